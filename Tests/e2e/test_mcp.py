"""/mcp end to end: the official Python MCP SDK (client, OAuth provider) through nginx + FCGIApp.

The stack runs with the development login (no PRIVY_APP_ID, loopback base URL), so a real OAuth
flow is: register -> GET /authorize (JSON) -> dev login -> POST /authorize (consent) -> /token.
"""
import asyncio
import json
import secrets
import urllib.parse

import httpx2
import pytest
import requests
from mcp import ClientSession
from mcp.client.auth import OAuthClientProvider
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.auth import AuthorizationCodeResult, OAuthClientInformationFull, OAuthClientMetadata, OAuthToken

import oauth_flow as flow
from stack import PROJECT_DIR, Stack

# Never contacted: the consent answer is JSON that names the redirect, and the test reads the code from it.
REDIRECT_URI = "http://127.0.0.1:33418/callback"
WIDGET_URI = "ui://widget/list-view.html"


# ---------------------------------------------------------------- OAuth by hand (the UI's requests)

def consent(base_url, params, email):
    """What the OAuth UI does: dev login, then POST /authorize with the request's parameters."""
    shown = flow.consent_details(base_url, params)
    assert shown.status_code == 200, shown.text
    login = flow.dev_login(base_url, email)
    decided = flow.decide(base_url, params, login, approve="true")
    assert decided.status_code == 200, decided.text
    return flow.redirect_query(decided.json()["redirect_uri"]), login["privy_token"]


def oauth_tokens(base_url, email="alice@example.com", scope="read write offline_access"):
    client_id = flow.register(base_url, redirect_uris=(REDIRECT_URI,), name="e2e MCP test")["client_id"]
    verifier, challenge = flow.pkce_pair()
    state = secrets.token_urlsafe(16)
    params = flow.authorize_params(client_id, challenge, redirect_uri=REDIRECT_URI, state=state, scope=scope,
                                   resource=base_url + "/mcp")
    redirect, privy_token = consent(base_url, params, email)
    assert redirect["state"] == state
    tokens = flow.redeem(base_url, client_id, redirect["code"], verifier, redirect_uri=REDIRECT_URI,
                         resource=base_url + "/mcp")
    return {**tokens, "client_id": client_id, "privy_token": privy_token}


# ---------------------------------------------------------------- SDK helpers

def run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, 60))


async def with_session(base_url, body, access_token=None, auth=None):
    headers = {"Authorization": "Bearer " + access_token} if access_token else {}
    async with httpx2.AsyncClient(headers=headers, auth=auth, timeout=30) as http:
        async with streamable_http_client(base_url + "/mcp", http_client=http) as (read, write):
            async with ClientSession(read, write) as session:
                return await body(session)


def meta(model):
    dumped = model.model_dump(by_alias=True, exclude_none=True)
    return dumped.get("_meta") or {}


def widget_dir(tmp_path_factory):
    """The built widget when there is one, else a placeholder bundle."""
    built = PROJECT_DIR / "widgets-dist"
    if (built / "list-view.js").exists():
        return built
    folder = tmp_path_factory.mktemp("widgets")
    (folder / "list-view.js").write_text("document.getElementById('root').textContent = 'placeholder list view';")
    return folder


@pytest.fixture(scope="module")
def mcp_stack(tmp_path_factory):
    """The stack with WIDGETS_DIR set, so the widget resource can be read."""
    running = Stack(tmp_path_factory.mktemp("mcp-stack"), env={"WIDGETS_DIR": str(widget_dir(tmp_path_factory))}).start()
    yield running
    running.stop()


# ---------------------------------------------------------------- the transport's HTTP face

def test_unauthenticated_requests_get_401_with_resource_metadata(stack):
    for method in ("POST", "GET"):
        response = requests.request(method, stack.base_url + "/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "ping"},
                                    timeout=10)
        assert response.status_code == 401
        challenge = response.headers["WWW-Authenticate"]
        assert challenge.startswith("Bearer ")
        assert f'resource_metadata="{stack.base_url}/.well-known/oauth-protected-resource/mcp"' in challenge
        assert "error=" not in challenge

    response = requests.post(stack.base_url + "/mcp", headers={"Authorization": "Bearer not-a-token"},
                             json={"jsonrpc": "2.0", "id": 1, "method": "ping"}, timeout=10)
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_get_and_delete_are_405_after_auth_and_foreign_origin_403(stack):
    token = oauth_tokens(stack.base_url)["access_token"]
    auth = {"Authorization": "Bearer " + token}
    for method in ("GET", "DELETE"):
        response = requests.request(method, stack.base_url + "/mcp", headers=auth, timeout=10)
        assert response.status_code == 405
        assert response.headers["Allow"] == "POST"

    ping = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
    foreign = requests.post(stack.base_url + "/mcp", headers={**auth, "Origin": "https://evil.example"}, json=ping, timeout=10)
    assert foreign.status_code == 403
    own = requests.post(stack.base_url + "/mcp", headers={**auth, "Origin": stack.base_url}, json=ping, timeout=10)
    assert own.status_code == 200
    # Lenient Accept: no 406 whatever the client sends.
    odd = requests.post(stack.base_url + "/mcp", headers={**auth, "Accept": "text/plain"}, json=ping, timeout=10)
    assert odd.status_code == 200
    notification = requests.post(stack.base_url + "/mcp", headers={**auth, "MCP-Protocol-Version": "2025-06-18"},
                                 json={"jsonrpc": "2.0", "method": "notifications/initialized"}, timeout=10)
    assert notification.status_code == 202
    assert notification.content == b""


def test_read_scope_is_required(stack):
    token = oauth_tokens(stack.base_url, scope="offline_access")["access_token"]
    response = requests.post(stack.base_url + "/mcp", headers={"Authorization": "Bearer " + token},
                             json={"jsonrpc": "2.0", "id": 1, "method": "ping"}, timeout=10)
    assert response.status_code == 403
    assert 'error="insufficient_scope"' in response.headers["WWW-Authenticate"]


def read_only_tokens(base_url, redirect_uri, scope="read"):
    """A client registered with `redirect_uri` and a token holding only `scope`."""
    client_id = flow.register(base_url, redirect_uris=(redirect_uri,), name="step-up test")["client_id"]
    verifier, challenge = flow.pkce_pair()
    params = flow.authorize_params(client_id, challenge, redirect_uri=redirect_uri, state="s", scope=scope,
                                   resource=base_url + "/mcp")
    redirect, _ = consent(base_url, params, "reader@example.com")
    return flow.redeem(base_url, client_id, redirect["code"], verifier, redirect_uri=redirect_uri, resource=base_url + "/mcp")


STEP_UP_CALL = {"jsonrpc": "2.0", "id": 9, "method": "tools/call",
                "params": {"name": "item-action", "arguments": {"item_id": "item-1", "action": "reopen"}}}


def test_a_standard_client_lacking_a_scope_gets_http_403(stack):
    """MCP authorization (scope challenge handling), RFC 6750 §3.1: a standard client steps up on
    an HTTP 403 `insufficient_scope` naming the scopes to ask for: every scope of the app."""
    token = read_only_tokens(stack.base_url, REDIRECT_URI)["access_token"]
    response = requests.post(stack.base_url + "/mcp", json=STEP_UP_CALL, timeout=10,
                             headers={"Authorization": "Bearer " + token, "MCP-Protocol-Version": "2025-06-18"})
    assert response.status_code == 403
    challenge = response.headers["WWW-Authenticate"]
    assert 'error="insufficient_scope"' in challenge and 'scope="read write"' in challenge
    assert f'resource_metadata="{stack.base_url}/.well-known/oauth-protected-resource/mcp"' in challenge
    assert response.json()["id"] == 9


def test_chatgpt_lacking_a_scope_gets_its_tool_result(stack):
    """ChatGPT (a client registered with ChatGPT's callback) keeps the signal the Apps SDK
    documents: HTTP 200, a tool error whose `_meta["mcp/www_authenticate"]` holds the challenge."""
    token = read_only_tokens(stack.base_url, "https://chatgpt.com/connector_platform_oauth_redirect")["access_token"]
    response = requests.post(stack.base_url + "/mcp", json=STEP_UP_CALL, timeout=10,
                             headers={"Authorization": "Bearer " + token, "MCP-Protocol-Version": "2025-06-18"})
    assert response.status_code == 200 and "WWW-Authenticate" not in response.headers
    result = response.json()["result"]
    assert result["isError"] is True
    challenge = result["_meta"]["mcp/www_authenticate"]
    assert 'error="insufficient_scope"' in challenge and 'scope="read write"' in challenge


def test_the_401_challenge_names_every_scope_the_tools_need(stack):
    response = requests.post(stack.base_url + "/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"}, timeout=10)
    assert response.status_code == 401
    assert 'scope="read write"' in response.headers["WWW-Authenticate"]


def test_revoked_token_stops_working(stack):
    tokens = oauth_tokens(stack.base_url)
    auth = {"Authorization": "Bearer " + tokens["access_token"]}
    ping = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
    assert requests.post(stack.base_url + "/mcp", headers=auth, json=ping, timeout=10).status_code == 200
    revoked = requests.post(stack.base_url + "/revoke", data={"token": tokens["access_token"], "client_id": tokens["client_id"]},
                            timeout=10)
    assert revoked.status_code == 200
    response = requests.post(stack.base_url + "/mcp", headers=auth, json=ping, timeout=10)
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


# ---------------------------------------------------------------- the official SDK client

def test_sdk_client_initializes_lists_calls_and_reads(mcp_stack):
    token = oauth_tokens(mcp_stack.base_url)["access_token"]

    async def body(session):
        initialized = await session.initialize()
        tools = await session.list_tools()
        listed = await session.call_tool("get-items", {})
        first_id = listed.structured_content["items"][1]["id"]
        changed = await session.call_tool("item-action", {"item_id": first_id, "action": "complete"})
        invalid = await session.call_tool("item-action", {"item_id": first_id, "action": "explode"})
        resources = await session.list_resources()
        widget = await session.read_resource(WIDGET_URI)
        return initialized, tools, listed, changed, invalid, resources, widget

    initialized, tools, listed, changed, invalid, resources, widget = run(with_session(mcp_stack.base_url, body, token))

    assert initialized.protocol_version in ("2025-03-26", "2025-06-18", "2025-11-25")
    assert initialized.server_info.name == "chatgpt-app-fcgi"

    by_name = {tool.name: tool for tool in tools.tools}
    assert set(by_name) == {"get-items", "item-action"}
    for name, scope in (("get-items", "read"), ("item-action", "write")):
        tool_meta = meta(by_name[name])
        assert tool_meta["securitySchemes"] == [{"type": "oauth2", "scopes": [scope]}]
        assert tool_meta["openai/outputTemplate"] == WIDGET_URI
        assert tool_meta["ui"]["resourceUri"] == WIDGET_URI
        assert by_name[name].output_schema["type"] == "object"
    assert by_name["get-items"].annotations.read_only_hint is True
    assert by_name["item-action"].annotations.destructive_hint is True

    assert listed.is_error is False
    assert len(listed.structured_content["items"]) == 3
    assert listed.content[0].text
    assert changed.is_error is False
    assert changed.structured_content["item"]["status"] == "done"
    # The API answers with the changed item only; the widget loads the list itself.
    assert "items" not in changed.structured_content
    assert invalid.is_error is True
    assert '"action"' in invalid.content[0].text

    assert [resource.uri for resource in resources.resources] == [WIDGET_URI]
    mime_types = [content.mime_type for content in widget.contents]
    assert mime_types == ["text/html;profile=mcp-app", "text/html+skybridge"]
    html = widget.contents[0].text
    assert '<div id="root"></div>' in html
    assert '<script type="module">' in html
    assert meta(widget.contents[0])["openai/widgetPrefersBorder"] is True


def test_sdk_oauth_provider_discovers_registers_and_authorizes(stack):
    """The SDK's own OAuth client: discovery from the 401, DCR, PKCE; our handlers act as the user."""
    base_url = stack.base_url
    codes = asyncio.Queue()

    class MemoryStorage:
        def __init__(self):
            self.tokens = None
            self.client = None

        async def get_tokens(self):
            return self.tokens

        async def set_tokens(self, tokens: OAuthToken):
            self.tokens = tokens

        async def get_client_info(self):
            return self.client

        async def set_client_info(self, client_info: OAuthClientInformationFull):
            self.client = client_info

    async def redirect_handler(authorization_url: str):
        # The user's browser: the consent page, a development login, "Allow".
        params = {name: values[0] for name, values in
                  urllib.parse.parse_qs(urllib.parse.urlsplit(authorization_url).query).items()}
        redirect, _ = await asyncio.to_thread(consent, base_url, params, "oauth-provider@example.com")
        await codes.put(redirect)

    async def callback_handler():
        redirect = await codes.get()
        return AuthorizationCodeResult(code=redirect["code"], state=redirect.get("state"), iss=redirect.get("iss"))

    storage = MemoryStorage()
    provider = OAuthClientProvider(
        server_url=base_url + "/mcp",
        client_metadata=OAuthClientMetadata(client_name="SDK OAuth test", redirect_uris=[REDIRECT_URI],
                                            grant_types=["authorization_code", "refresh_token"], response_types=["code"],
                                            token_endpoint_auth_method="none", scope="read write offline_access"),
        storage=storage, redirect_handler=redirect_handler, callback_handler=callback_handler)

    async def body(session):
        await session.initialize()
        return await session.call_tool("get-items", {})

    result = run(with_session(base_url, body, auth=provider))
    assert result.is_error is False
    assert len(result.structured_content["items"]) == 3
    assert storage.client is not None and storage.client.client_id
    assert storage.tokens is not None and storage.tokens.refresh_token


# ---------------------------------------------------------------- the user's API (BACKEND_API_URL)

def test_backend_api_gets_the_privy_token_and_401_revokes_the_grant(tmp_path_factory, fake_backend):
    running = Stack(tmp_path_factory.mktemp("backend-stack"),
                    env={"BACKEND_API_URL": fake_backend, "BACKEND_TIMEOUT_SECONDS": "3"}).start()
    try:
        tokens = oauth_tokens(running.base_url)

        async def body(session):
            await session.initialize()
            listed = await session.call_tool("get-items", {})
            changed = await session.call_tool("item-action", {"item_id": "a/1", "action": "complete"})
            missing = await session.call_tool("item-action", {"item_id": "nope", "action": "delete"})
            return listed, changed, missing

        listed, changed, missing = run(with_session(running.base_url, body, tokens["access_token"]))
        assert [item["id"] for item in listed.structured_content["items"]] == ["a/1", "b 2", "c.3"]
        assert changed.structured_content["item"] == {"id": "a/1", "title": "Write the report", "status": "done", "priority": 2}
        assert missing.is_error is True
        assert "No such item" in missing.content[0].text

        seen = requests.get(fake_backend + "/_requests", timeout=5).json()
        assert seen and all(request["authorization"] == "Bearer " + tokens["privy_token"] for request in seen)
        assert {"method": "POST", "path": "/items/a%2F1/actions"} in [{"method": r["method"], "path": r["path"]} for r in seen]
        assert tokens["access_token"] not in json.dumps(seen)  # our token never goes upstream

        # The Privy token expires: the API answers 401.
        requests.post(fake_backend + "/_control", json={"mode": "unauthorized"}, timeout=5)

        async def expired(session):
            await session.initialize()
            return await session.call_tool("get-items", {})

        result = run(with_session(running.base_url, expired, tokens["access_token"]))
        assert result.is_error is True
        challenge = meta(result)["mcp/www_authenticate"]
        assert 'error="invalid_token"' in challenge
        assert f'resource_metadata="{running.base_url}/.well-known/oauth-protected-resource/mcp"' in challenge
        assert "error_description=" in challenge

        # The grant is gone: the access token and the refresh token stop working.
        ping = requests.post(running.base_url + "/mcp", headers={"Authorization": "Bearer " + tokens["access_token"]},
                             json={"jsonrpc": "2.0", "id": 1, "method": "ping"}, timeout=10)
        assert ping.status_code == 401
        refreshed = requests.post(running.base_url + "/token", data={
            "grant_type": "refresh_token", "refresh_token": tokens["refresh_token"], "client_id": tokens["client_id"],
        }, timeout=10)
        assert refreshed.status_code == 400
        assert refreshed.json()["error"] == "invalid_grant"
    finally:
        running.stop()
