"""/mcp at MCP 2026-07-28 end to end: the official Python SDK client (`mcp` 2.3) in each of its
modes, and raw requests whose statuses must survive nginx and FastCGI, on every storage driver.

A broken `server/discover` result makes the client's `auto` mode fall back to the handshake
quietly, so the revision a client lands on is always asserted, never assumed.
"""
import httpx2
import pytest
import requests
from mcp import Client
from mcp.client import advertise
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError

from conftest import STORAGE_DRIVERS, storage_environment
from stack import Stack
from test_mcp import WIDGET_URI, meta, oauth_tokens, run, widget_dir

MODERN = "2026-07-28"
UI_EXTENSION = "io.modelcontextprotocol/ui"
ENVELOPE = {"io.modelcontextprotocol/protocolVersion": MODERN, "io.modelcontextprotocol/clientCapabilities": {}}


@pytest.fixture(scope="module", params=STORAGE_DRIVERS)
def stack_2026(request, tmp_path_factory):
    """The stack with WIDGETS_DIR set, so every widget can be read, on each storage driver."""
    env = {**storage_environment(request.param), "WIDGETS_DIR": str(widget_dir(tmp_path_factory))}
    running = Stack(tmp_path_factory.mktemp("mcp2026-stack"), env=env).start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def token(stack_2026):
    """A token holding both tools' scopes (read, write)."""
    return oauth_tokens(stack_2026.base_url, scope="read write offline_access")["access_token"]


async def with_client(base_url, token, mode, body, extensions=None):
    http = httpx2.AsyncClient(headers={"Authorization": "Bearer " + token}, timeout=30)
    async with http, Client(streamable_http_client(base_url + "/mcp", http_client=http), mode=mode, cache=None,
                            extensions=extensions) as client:
        return await body(client)


# ---------------------------------------------------------------- the SDK client's modes

def test_auto_mode_lands_on_2026_through_discover(stack_2026, token):
    async def body(client):
        return client.protocol_version, client.session.discover_result, client.session.initialize_result, \
            client.server_info, client.instructions

    version, discovered, initialized, server_info, instructions = run(with_client(stack_2026.base_url, token, "auto", body))
    assert version == MODERN
    assert discovered is not None, "auto fell back to initialize: the discover result did not parse"
    assert initialized is None
    assert discovered.supported_versions == [MODERN]
    assert server_info.name == "chatgpt-app-fcgi"
    assert "get-items" in instructions


def test_legacy_mode_lands_on_2025_11_25_through_initialize(stack_2026, token):
    async def body(client):
        tools = await client.list_tools()
        return client.protocol_version, client.session.discover_result, client.session.initialize_result, tools

    version, discovered, initialized, tools = run(with_client(stack_2026.base_url, token, "legacy", body))
    assert version == "2025-11-25"
    assert discovered is None
    assert initialized is not None and initialized.protocol_version == "2025-11-25"
    # The handshake era keeps widgets on every tool, as before.
    assert all(meta(tool)["ui"]["resourceUri"] == WIDGET_URI for tool in tools.tools)


def test_2026_mode_lists_and_calls_every_tool_and_reads_every_widget(stack_2026, token):
    async def body(client):
        tools = await client.list_tools()
        listed = await client.call_tool("get-items", {})
        item_id = listed.structured_content["items"][0]["id"]
        changed = await client.call_tool("item-action", {"item_id": item_id, "action": "complete"})
        reopened = await client.call_tool("item-action", {"item_id": item_id, "action": "reopen"})
        resources = await client.list_resources()
        templates = await client.list_resource_templates()
        widgets = [await client.read_resource(resource.uri) for resource in resources.resources]
        with pytest.raises(MCPError) as missing:
            await client.read_resource("ui://widget/nope.html")
        return client.protocol_version, tools, listed, changed, reopened, resources, templates, widgets, missing.value

    version, tools, listed, changed, reopened, resources, templates, widgets, missing = \
        run(with_client(stack_2026.base_url, token, MODERN, body))
    assert version == MODERN

    by_name = {tool.name: tool for tool in tools.tools}
    assert list(by_name) == ["get-items", "item-action"]
    for name, scope in (("get-items", "read"), ("item-action", "write")):
        # This client declares no MCP Apps extension: no widget is named, the scopes stay.
        assert meta(by_name[name]) == {"securitySchemes": [{"type": "oauth2", "scopes": [scope]}]}

    assert listed.is_error is False and len(listed.structured_content["items"]) == 3
    assert changed.is_error is False and changed.structured_content["item"]["status"] == "done"
    assert reopened.is_error is False and reopened.structured_content["item"]["status"] == "open"

    assert [resource.uri for resource in resources.resources] == [WIDGET_URI]
    assert templates.resource_templates == []
    for widget in widgets:
        assert [content.mime_type for content in widget.contents] == ["text/html;profile=mcp-app", "text/html+skybridge"]
        assert '<div id="root"></div>' in widget.contents[0].text
    assert missing.error.code == -32602
    assert missing.error.data == {"uri": "ui://widget/nope.html"}


def test_a_host_declaring_mcp_apps_gets_the_widgets(stack_2026, token):
    async def body(client):
        return await client.list_tools()

    extension = advertise(UI_EXTENSION, {"mimeTypes": ["text/html;profile=mcp-app"]})
    tools = run(with_client(stack_2026.base_url, token, MODERN, body, extensions=[extension]))
    for tool in tools.tools:
        assert meta(tool)["ui"]["resourceUri"] == WIDGET_URI
        assert meta(tool)["openai/outputTemplate"] == WIDGET_URI


def test_listen_is_acknowledged_with_nothing_honoured_and_closes(stack_2026, token):
    async def body(client):
        events = []
        async with client.listen(tools_list_changed=True) as subscription:
            honored = subscription.honored
            async for event in subscription:
                events.append(event)
        return honored, events

    honored, events = run(with_client(stack_2026.base_url, token, MODERN, body))
    assert honored.model_dump(exclude_none=True) == {}
    assert events == []


# ---------------------------------------------------------------- raw requests through nginx

def post(stack, token, method, params=None, headers=None, version=MODERN):
    body = {"jsonrpc": "2.0", "id": 7, "method": method, "params": {**(params or {}), "_meta": {**ENVELOPE,
            "io.modelcontextprotocol/protocolVersion": version}}}
    sent = {"Authorization": "Bearer " + token, "MCP-Protocol-Version": version, "Mcp-Method": method,
            "Accept": "application/json, text/event-stream", **(headers or {})}
    return requests.post(stack.base_url + "/mcp", json=body, headers=sent, timeout=10)


def test_discover_result_through_nginx(stack_2026, token):
    response = post(stack_2026, token, "server/discover")
    assert response.status_code == 200
    result = response.json()["result"]
    assert result["resultType"] == "complete"
    assert result["supportedVersions"] == [MODERN]
    assert result["ttlMs"] == 0 and result["cacheScope"] == "public"
    assert result["_meta"]["io.modelcontextprotocol/serverInfo"]["name"] == "chatgpt-app-fcgi"


def test_header_mismatch_is_400_with_32020(stack_2026, token):
    response = post(stack_2026, token, "tools/call", {"name": "get-items"}, headers={"Mcp-Name": "item-action"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == -32020
    assert response.json()["id"] == 7
    base64_name = post(stack_2026, token, "tools/call", {"name": "get-items"}, headers={"Mcp-Name": "=?base64?Z2V0LWl0ZW1z?="})
    assert base64_name.status_code == 200
    assert base64_name.json()["result"]["resultType"] == "complete"


def test_unsupported_version_is_400_with_32022_listing_every_revision(stack_2026, token):
    response = post(stack_2026, token, "tools/list", version="2099-01-01")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == -32022
    assert error["data"] == {"supported": [MODERN, "2025-11-25", "2025-06-18", "2025-03-26"], "requested": "2099-01-01"}


def test_removed_methods_are_404_with_32601(stack_2026, token):
    for method in ("ping", "initialize"):
        response = post(stack_2026, token, method)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == -32601


def test_missing_envelope_is_400_with_32602(stack_2026, token):
    response = requests.post(stack_2026.base_url + "/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
                             headers={"Authorization": "Bearer " + token, "MCP-Protocol-Version": MODERN,
                                      "Mcp-Method": "tools/list"}, timeout=10)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == -32602


def test_listen_is_an_event_stream_through_nginx(stack_2026, token):
    response = post(stack_2026, token, "subscriptions/listen", {"notifications": {"toolsListChanged": True}})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/event-stream")
    assert response.text.count("event: message\n") == 2
    assert "notifications/subscriptions/acknowledged" in response.text


def test_older_revisions_answer_as_before(stack_2026, token):
    """Through nginx too: ping answers, discover is unknown with 200, Mcp-* headers mean nothing."""
    auth = {"Authorization": "Bearer " + token}
    for version in ("2025-03-26", "2025-06-18", "2025-11-25", None):
        headers = {**auth, **({"MCP-Protocol-Version": version} if version else {}), "Mcp-Method": "nonsense"}
        ping = requests.post(stack_2026.base_url + "/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "ping"}, headers=headers,
                             timeout=10)
        assert ping.status_code == 200 and ping.json() == {"id": 1, "jsonrpc": "2.0", "result": {}}
        discover = requests.post(stack_2026.base_url + "/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "server/discover"},
                                 headers=headers, timeout=10)
        assert discover.status_code == 200 and discover.json()["error"]["code"] == -32601
        tools = requests.post(stack_2026.base_url + "/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
                              headers=headers, timeout=10).json()["result"]
        assert "resultType" not in tools and "ttlMs" not in tools
