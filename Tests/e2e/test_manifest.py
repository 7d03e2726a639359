"""Manifest tools end to end: the official Python MCP client against nginx + FCGIApp serving the
notes example's manifest (examples/notes/app.json, plus the list-view widget so it has two) over
the notes API stand-in (fake_notes_api.py), on the memory store and on PostgreSQL.

What the manifest promises (docs/MANIFEST.md): path arguments are one percent-encoded segment each,
query and body follow the call's mapping, arguments are checked against inputSchema, per-status
error texts, `${NAME}` headers reach the API and nowhere else, 401/403 ask the user to sign in again.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from mcp.types import CallToolResult

from conftest import STORAGE_DRIVERS, storage_environment
from stack import PROJECT_DIR, Stack
from test_mcp import meta, oauth_tokens, read_only_tokens, run, with_session

NOTES_API = Path(__file__).with_name("fake_notes_api.py")
NOTES_API_KEY = "notes-key-" + "5f0c7e91d2ab"
ALL_SCOPES = "notes.read notes.write offline_access"


def notes_manifest(folder: Path) -> Path:
    """The notes example with a second widget (list-view on search-notes), so widgets are plural."""
    manifest = json.loads((PROJECT_DIR / "examples/notes/app.json").read_text())
    manifest.pop("$schema", None)
    manifest["widgets"].append({"id": "list-view", "title": "Notes list", "description": "The notes found."})
    for tool in manifest["tools"]:
        if tool["name"] == "search-notes":
            tool["widget"] = {"id": "list-view", "accessible": True}
    path = folder / "notes-app.json"
    path.write_text(json.dumps(manifest, indent=2))
    return path


class NotesAPI:
    def __init__(self):
        self.process = subprocess.Popen([sys.executable, str(NOTES_API)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, env={**os.environ, "NOTES_API_KEY": NOTES_API_KEY})
        self.url = f"http://127.0.0.1:{int(self.process.stdout.readline())}"

    def requests(self):
        return requests.get(self.url + "/_requests", timeout=10).json()

    def reset(self):
        requests.post(self.url + "/_reset", timeout=10)

    def control(self, **settings):
        requests.post(self.url + "/_control", json=settings, timeout=10).raise_for_status()

    def stop(self):
        self.process.stdin.close()
        self.process.kill()
        self.process.wait()


@pytest.fixture(scope="module", params=STORAGE_DRIVERS)
def notes(request, tmp_path_factory):
    """(stack, notes API, an access token with every scope, a read-only one)."""
    api = NotesAPI()
    folder = tmp_path_factory.mktemp("notes-stack")
    env = {**storage_environment(request.param), "APP_MANIFEST": str(notes_manifest(folder)),
           "BACKEND_API_URL": api.url, "NOTES_API_KEY": NOTES_API_KEY}
    stack = Stack(folder, env=env).start()
    try:
        full = oauth_tokens(stack.base_url, scope=ALL_SCOPES)
        read_only = oauth_tokens(stack.base_url, email="reader@example.com", scope="notes.read offline_access")
        yield stack, api, full, read_only
    finally:
        stack.stop()
        api.stop()


def call(stack, token, name, arguments) -> CallToolResult:
    return run(with_session(stack.base_url, lambda session: session_call(session, name, arguments), token["access_token"]))


async def session_call(session, name, arguments):
    await session.initialize()
    return await session.call_tool(name, arguments)


def text(result: CallToolResult) -> str:
    return "\n".join(block.text for block in result.content if block.type == "text")


def test_tools_and_both_widgets_are_listed_with_the_manifest_names(notes):
    stack, _, token, _ = notes

    async def body(session):
        initialized = await session.initialize()
        return initialized, await session.list_tools(), await session.list_resources(), [
            await session.read_resource(uri) for uri in ("ui://widget/note-detail.html", "ui://widget/list-view.html")]

    initialized, tools, resources, reads = run(with_session(stack.base_url, body, token["access_token"]))
    assert initialized.server_info.name == "notes"
    assert [tool.name for tool in tools.tools] == ["search-notes", "create-note", "show-note"]
    by_name = {tool.name: tool for tool in tools.tools}
    assert meta(by_name["show-note"])["ui"]["resourceUri"] == "ui://widget/note-detail.html"
    assert meta(by_name["create-note"])["securitySchemes"] == [{"type": "oauth2", "scopes": ["notes.write"]}]
    assert {str(resource.uri) for resource in resources.resources} == {"ui://widget/note-detail.html", "ui://widget/list-view.html"}
    for read in reads:
        assert [content.mime_type for content in read.contents] == ["text/html;profile=mcp-app", "text/html+skybridge"]
        assert '<div id="root"></div>' in read.contents[0].text


def test_query_mapping_and_structured_content_from_pointers(notes):
    stack, api, token, _ = notes
    api.reset()
    result = call(stack, token, "search-notes", {"q": "a b&c", "limit": 2})
    assert not result.is_error, text(result)
    assert set(result.structured_content) == {"notes", "total"}
    assert len(result.structured_content["notes"]) <= 2
    seen = api.requests()[-1]
    assert seen["method"] == "GET" and seen["path"] == "/notes"
    assert seen["rawQuery"] == "q=a%20b%26c&limit=2"
    assert seen["authorization"].startswith("Bearer ")


def test_body_mapping_and_a_status_error_text(notes):
    stack, api, token, _ = notes
    api.reset()
    created = call(stack, token, "create-note", {"title": "Weekend plans", "body": "milk", "tags": ["home"]})
    assert not created.is_error, text(created)
    assert created.structured_content["title"] == "Weekend plans"
    assert text(created) == f'Created the note "Weekend plans" (id {created.structured_content["id"]}).'
    assert json.loads(api.requests()[-1]["body"]) == {"title": "Weekend plans", "body": "milk", "tags": ["home"]}

    again = call(stack, token, "create-note", {"title": "Weekend plans"})
    assert again.is_error
    assert text(again) == 'There is already a note titled "Weekend plans"; choose another title.'


# Dots are encoded too: curl and many servers collapse "." and ".." segments (RFC 3986 §5.2.4).
@pytest.mark.parametrize("note_id, raw_path", [("../admin", "/notes/%2E%2E%2Fadmin"), ("a/b", "/notes/a%2Fb"),
                                               ("..", "/notes/%2E%2E"), ("x?y#z", "/notes/x%3Fy%23z")])
def test_a_path_argument_stays_one_segment(notes, note_id, raw_path):
    stack, api, token, _ = notes
    api.reset()
    result = call(stack, token, "show-note", {"id": note_id})
    assert result.is_error
    assert text(result) == f"There is no note {note_id}."
    assert [seen["path"] for seen in api.requests()] == [raw_path]


def test_schema_violations_are_tool_errors_naming_the_field(notes):
    stack, api, token, _ = notes
    api.reset()
    cases = [
        ("search-notes", {"limit": 0}, '"limit"'),
        ("search-notes", {"limit": "ten"}, '"limit"'),
        ("search-notes", {"colour": "red"}, '"colour"'),
        ("create-note", {"body": "no title"}, '"title"'),
        ("create-note", {"title": "t", "tags": ["a", 3]}, '"tags[1]"'),
        ("show-note", {}, '"id"'),
    ]
    for name, arguments, field in cases:
        result = call(stack, token, name, arguments)
        assert result.is_error, (name, arguments)
        assert text(result).startswith("Invalid argument " + field), text(result)
    assert api.requests() == [], "a call with bad arguments must not reach the API"


CREATE_NOTE_CALL = {"jsonrpc": "2.0", "id": 7, "method": "tools/call",
                    "params": {"name": "create-note", "arguments": {"title": "Nope"}}}
CHATGPT_REDIRECT_URI = "https://chatgpt.com/connector_platform_oauth_redirect"


def test_a_write_tool_with_a_read_only_token_asks_for_more_access(notes):
    """The step-up signals of README "Scopes": a standard client gets HTTP 403 insufficient_scope
    naming every scope of the manifest (RFC 6750 §3.1, MCP authorization "scope challenge
    handling"); ChatGPT gets its documented tool result with `_meta["mcp/www_authenticate"]`."""
    stack, api, _, read_only = notes
    api.reset()
    standard = requests.post(stack.base_url + "/mcp", json=CREATE_NOTE_CALL, timeout=10,
                             headers={"Authorization": "Bearer " + read_only["access_token"],
                                      "MCP-Protocol-Version": "2025-06-18"})
    assert standard.status_code == 403, standard.text
    challenge = standard.headers["WWW-Authenticate"]
    assert 'error="insufficient_scope"' in challenge and 'scope="notes.read notes.write"' in challenge
    assert standard.json()["id"] == 7

    chatgpt = read_only_tokens(stack.base_url, CHATGPT_REDIRECT_URI, scope="notes.read offline_access")
    result = call(stack, chatgpt, "create-note", {"title": "Nope"})
    assert result.is_error
    challenge = meta(result)["mcp/www_authenticate"]
    assert 'error="insufficient_scope"' in challenge
    assert 'scope="notes.read notes.write"' in challenge
    assert api.requests() == []


def test_the_environment_header_reaches_the_api_and_nothing_else(notes):
    stack, api, token, _ = notes
    api.reset()
    shown = call(stack, token, "show-note", {"id": "n1"})
    assert not shown.is_error, text(shown)
    assert api.requests()[-1]["headers"]["x-notes-api-key"] == NOTES_API_KEY
    api.control(status=500, times=1)
    failed = call(stack, token, "search-notes", {"q": "x"})
    assert text(failed) == "The notes service is not answering right now; try again in a moment."
    for result in (shown, failed):
        assert NOTES_API_KEY not in result.model_dump_json()
    assert NOTES_API_KEY not in stack.app_log_text()


def test_an_api_that_refuses_the_token_ends_the_grant(notes):
    stack, api, _, _ = notes
    token = oauth_tokens(stack.base_url, email="leaver@example.com", scope=ALL_SCOPES)
    api.control(status=401, times=1)
    result = call(stack, token, "show-note", {"id": "n1"})
    assert result.is_error
    assert 'error="invalid_token"' in meta(result)["mcp/www_authenticate"]
    refused = requests.post(stack.base_url + "/mcp", headers={"Authorization": "Bearer " + token["access_token"]},
                            json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"}, timeout=10)
    assert refused.status_code == 401
