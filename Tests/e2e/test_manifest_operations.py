"""Running an app manifest: `FCGIApp check` on broken manifests (each problem with its JSON path),
a start refused on one, `SIGHUP` switching the tools under load without a failed request (and
keeping the running manifest when the new one is broken), and `FCGIApp manifest from-openapi`
writing a starter that checks clean.
"""
import json
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
import requests

from stack import BINARY, PROJECT_DIR, Stack, app_environment, wait_until
from test_mcp import oauth_tokens

MANIFESTS = PROJECT_DIR / "Tests/manifests"
BROKEN = sorted((MANIFESTS / "broken").glob("*.json"))
# The environment the manifest unit tests check the corpus with (AppManifestTests); the widgets
# folder as the expected output names it, relative to the project folder the check runs in.
CORPUS_ENV = {"NOTES_API_KEY": "k", "WIDGETS_DIR": "Tests/manifests/valid/widgets"}


def check(manifest: Path, cwd: Path, **env) -> subprocess.CompletedProcess:
    return subprocess.run([BINARY, "check"], cwd=cwd, capture_output=True, text=True, timeout=30,
                          env=app_environment({"APP_MANIFEST": str(manifest), **env}))


def test_the_corpus_has_a_dozen_broken_manifests():
    assert len(BROKEN) >= 12


@pytest.mark.parametrize("manifest", BROKEN, ids=[path.stem for path in BROKEN])
def test_check_names_every_problem_with_its_json_path(manifest, tmp_path):
    result = check(manifest, PROJECT_DIR, **CORPUS_ENV)
    assert result.returncode == 1, result.stdout + result.stderr
    # The unit tests also register a code tool named "health"; FCGIApp has none.
    expected = [line for line in manifest.with_suffix(".expected").read_text().splitlines(keepends=True)
                if "(a code tool has it)" not in line]
    assert result.stdout == "".join(expected)
    assert "problem" in result.stderr


def test_check_passes_the_valid_fixture_and_the_examples(tmp_path):
    valid = check(MANIFESTS / "valid/app.json", PROJECT_DIR, **CORPUS_ENV)
    assert valid.returncode == 0, valid.stdout + valid.stderr

    items = check(PROJECT_DIR / "examples/items/app.json", tmp_path)
    assert items.returncode == 0, items.stdout + items.stderr
    assert "OK: 2 tools (get-items, item-action), 1 widget, 2 scopes" in items.stdout
    notes = check(PROJECT_DIR / "examples/notes/app.json", tmp_path, NOTES_API_KEY="k")
    assert notes.returncode == 0, notes.stdout + notes.stderr
    unset = check(PROJECT_DIR / "examples/notes/app.json", tmp_path)
    assert unset.returncode == 1
    assert "environment variable NOTES_API_KEY is not set" in unset.stdout


def test_a_broken_manifest_stops_the_start_with_one_line(tmp_path):
    broken = tmp_path / "app.json"
    broken.write_text('{"server": {"name": "x"}, "scopes": [], "tools": []')
    result = subprocess.run([BINARY], cwd=tmp_path, capture_output=True, text=True, timeout=30,
                            env=app_environment({"APP_MANIFEST": str(broken), "FCGI_LISTEN": str(tmp_path / "s.sock")}))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("FCGIApp: configuration error: APP_MANIFEST: ")
    assert "is not valid JSON" in lines[0]


def test_from_openapi_writes_a_starter_that_checks_clean(tmp_path):
    written = subprocess.run([BINARY, "manifest", "from-openapi", str(PROJECT_DIR / "examples/notes/openapi.json"),
                              "--include", "GET /notes", "--include", "POST /notes"],
                             cwd=tmp_path, capture_output=True, text=True, timeout=30, env=app_environment())
    assert written.returncode == 0, written.stderr
    starter = json.loads(written.stdout)
    assert [tool["call"]["method"] + " " + tool["call"]["path"] for tool in starter["tools"]] == ["GET /notes", "POST /notes"]
    (tmp_path / "starter.json").write_text(written.stdout)
    checked = check(tmp_path / "starter.json", tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr

    unknown = subprocess.run([BINARY, "manifest", "from-openapi", str(PROJECT_DIR / "examples/notes/openapi.json"),
                              "--include", "PATCH /nowhere"], cwd=tmp_path, capture_output=True, text=True, timeout=30,
                             env=app_environment())
    assert unknown.returncode == 1
    assert "PATCH /nowhere" in unknown.stderr


# ---------------------------------------------------------------- reload

def manifest_with_extra_tool(name: str) -> dict:
    manifest = json.loads((PROJECT_DIR / "examples/items/app.json").read_text())
    manifest.pop("$schema", None)
    extra = json.loads(json.dumps(manifest["tools"][0]))
    extra["name"] = name
    manifest["tools"].append(extra)
    return manifest


def tool_names(base_url, token):
    response = requests.post(base_url + "/mcp", headers={"Authorization": "Bearer " + token, "MCP-Protocol-Version": "2025-06-18"},
                             json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"}, timeout=10)
    assert response.status_code == 200, response.text
    return [tool["name"] for tool in response.json()["result"]["tools"]]


def test_sighup_switches_the_manifest_under_load_without_a_failed_request(tmp_path):
    manifest = tmp_path / "app.json"
    manifest.write_text((PROJECT_DIR / "examples/items/app.json").read_text())
    # One user's load, far over the per-user budgets, which are not what this test is about.
    unlimited = {"MCP_CALLS_PER_USER_PER_MINUTE": "0", "BACKEND_CALLS_PER_USER_PER_MINUTE": "0"}
    stack = Stack(tmp_path, env={"APP_MANIFEST": str(manifest), **unlimited}).start()
    try:
        token = oauth_tokens(stack.base_url)["access_token"]
        assert tool_names(stack.base_url, token) == ["get-items", "item-action"]

        failures, answered, stop = [], [0], threading.Event()

        def load():
            session = requests.Session()
            headers = {"Authorization": "Bearer " + token, "MCP-Protocol-Version": "2025-06-18"}
            while not stop.is_set():
                for body in ({"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
                             {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "get-items", "arguments": {}}}):
                    response = session.post(stack.base_url + "/mcp", headers=headers, json=body, timeout=10)
                    if response.status_code != 200 or "error" in response.json() or response.json()["result"].get("isError"):
                        failures.append(response.text[:300])
                    answered[0] += 1

        workers = [threading.Thread(target=load) for _ in range(4)]
        for worker in workers:
            worker.start()
        try:
            time.sleep(0.5)
            manifest.write_text(json.dumps(manifest_with_extra_tool("get-items-again")))
            stack.app.send_signal(signal.SIGHUP)
            wait_until(lambda: "get-items-again" in tool_names(stack.base_url, token), what="the reloaded tools")
            before = answered[0]
            time.sleep(0.5)
            # A broken manifest is logged and not taken: the running one stays.
            manifest.write_text(json.dumps({**manifest_with_extra_tool("broken"), "colour": "red"}))
            stack.app.send_signal(signal.SIGHUP)
            wait_until(lambda: "app manifest problem" in stack.app_log_text(), what="the reload's problems in the log")
            time.sleep(0.5)
        finally:
            stop.set()
            for worker in workers:
                worker.join()
        assert failures == []
        assert answered[0] > before > 20
        assert tool_names(stack.base_url, token) == ["get-items", "item-action", "get-items-again"]
        log = stack.app_log_text()
        assert "app manifest reloaded" in log
        assert '"path":"colour"' in log.replace(" ", "") and "is not a known key" in log
        assert stack.app.poll() is None
    finally:
        stack.stop()
