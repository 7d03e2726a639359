"""Standard MCP clients, as their users run them, against the real stack (nginx + FCGIApp with the
development login and the built consent page): each signs in without being told which scopes to
ask for, and can then call every tool, `item-action` (scope `write`) included.

What makes that work is the server's side of the MCP authorization spec:
- Scope selection strategy: a client that was not configured with scopes asks for the `scope` of
  the 401's `WWW-Authenticate` challenge (else the protected resource metadata's
  `scopes_supported`). The challenge on /mcp names every scope the tools need ("read write"), so
  the one consent covers `get-items` and `item-action` alike.
- Scope challenge handling (step-up): a token that lacks a tool's scope gets an HTTP 403 with
  `WWW-Authenticate: Bearer error="insufficient_scope", scope="read write"` (RFC 6750 §3.1); the
  client asks the user again for those scopes and retries the call.

Proven here:
1. FastMCP's `Client(url, auth="oauth")`, all defaults: it registers itself, opens "the browser"
   (here a headless Chromium page that does what a user does: development login, Approve on the
   real consent page), receives the code on its own callback server on localhost, and calls both
   tools. Only `webbrowser.open` is replaced, by handing the URL to that page.
2. The official Python SDK's `OAuthClientProvider` with no scope in its client metadata gets a
   token that `item-action` accepts.
3. Step-up with the SDK's provider: a client holding a grant of `read` alone calls `item-action`,
   is answered 403 insufficient_scope (exact header checked on the wire), asks the user again for
   "read write" with the same registration, and its retried call succeeds. The `read` grant is
   put in the provider's token storage, as if from an earlier sign-in: a sign-in that the SDK
   starts itself always asks for the 401 challenge's scopes (they replace any `scope` of its
   client metadata), so it cannot end up with `read` alone.
"""
import asyncio
import contextlib
import queue
import threading
import urllib.parse
import warnings
import webbrowser

import httpx2
import jwt
from fastmcp import Client
from mcp import ClientSession
from mcp.client.auth import OAuthClientProvider
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.auth import AuthorizationCodeResult, OAuthClientInformationFull, OAuthClientMetadata, OAuthToken
from playwright.sync_api import expect

import oauth_flow as flow
from browser_support import SCOPE_WORDS, needs_chromium
from stack import wait_until

# Never contacted: the SDK tests read the code from the consent answer, as test_mcp.py does.
SDK_REDIRECT_URI = "http://127.0.0.1:33419/callback"
ALL_SCOPES = "read write"
CLIENT_WAIT = 90  # seconds any one client run may take, sign-in included


def query_of(url):
    return {name: values[0] for name, values in urllib.parse.parse_qs(urllib.parse.urlsplit(url).query).items()}


def scope_claim(access_token):
    return jwt.decode(access_token, options={"verify_signature": False})["scope"].split()


@contextlib.contextmanager
def event_loop_thread():
    """An event loop on a thread of its own, for a client whose sign-in waits on the browser that
    this (the test's) thread drives with Playwright's sync API. On exit whatever still runs on it is
    cancelled (its callback server stops with it) and the thread ends."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="mcp-client-loop", daemon=True)
    thread.start()
    try:
        yield loop
    finally:
        async def cancel_the_rest():
            tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(cancel_the_rest(), loop).result(15)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(15)
        assert not thread.is_alive(), "the client's event loop did not stop"
        loop.close()


def run(coroutine_function):
    """Runs a client to the end on its own loop: this thread may hold Playwright's (the browser
    fixture's), on which asyncio.run() cannot start another."""
    with event_loop_thread() as loop:
        return asyncio.run_coroutine_threadsafe(asyncio.wait_for(coroutine_function(), CLIENT_WAIT),
                                                loop).result(CLIENT_WAIT + 5)


# ---------------------------------------------------------------------------------------------
# 1. FastMCP's client, default settings, through the consent page in Chromium


def loopback_only(page):
    """Requests to anything but this machine (127.0.0.1 or localhost) are aborted and recorded as
    (URL of the page that made it, URL requested)."""
    escaped = []

    def outside(route):
        escaped.append((route.request.frame.url, route.request.url))
        route.abort()

    page.route(lambda url: urllib.parse.urlsplit(url).hostname not in ("127.0.0.1", "localhost"), outside)
    return escaped


def callback_server_listens(redirect_uri):
    parts = urllib.parse.urlsplit(redirect_uri)
    try:
        return httpx2.get(f"http://{parts.hostname}:{parts.port}/", timeout=1).status_code > 0
    except httpx2.HTTPError:
        return False


@needs_chromium
def test_fastmcp_client_with_default_settings_signs_in_on_the_consent_page_and_calls_both_tools(dev_stack, browser, monkeypatch):
    mcp_url = dev_stack.base_url + "/mcp"
    opened = queue.Queue()

    def open_in_the_test_browser(url, *_, **__):
        opened.put(url)
        return True

    # The one step replaced: "open the user's browser" hands the URL to the page below.
    monkeypatch.setattr(webbrowser, "open", open_in_the_test_browser)

    async def use_the_app():
        with warnings.catch_warnings():
            # The default token storage is in memory (nothing is written to disk); FastMCP warns about it.
            warnings.filterwarnings("ignore", message="Using in-memory token storage")
            client = Client(mcp_url, auth="oauth")
        async with client:
            tools = await client.list_tools()
            listed = await client.call_tool("get-items", {})
            second = listed.structured_content["items"][1]
            changed = await client.call_tool("item-action", {"item_id": second["id"], "action": "complete"})
            listed_again = await client.call_tool("get-items", {})
            tokens = client.transport.auth.context.current_tokens
            return tools, listed, second, changed, listed_again, tokens

    context = browser.new_context(viewport={"width": 800, "height": 900})
    try:
        page = context.new_page()
        escaped = loopback_only(page)
        page_errors = []
        page.on("pageerror", lambda error: page_errors.append(str(error)))
        with event_loop_thread() as loop:
            outcome = asyncio.run_coroutine_threadsafe(asyncio.wait_for(use_the_app(), CLIENT_WAIT), loop)

            authorization_url = opened.get(timeout=30)
            asked = query_of(authorization_url)
            # The client asked for what the 401 challenge named, though nobody told it any scope.
            assert authorization_url.startswith(dev_stack.base_url + "/authorize?")
            assert asked["scope"] == ALL_SCOPES
            assert asked["resource"] == mcp_url
            assert asked["redirect_uri"].startswith("http://localhost:") and asked["redirect_uri"].endswith("/callback")

            # What the user does: the development login, then Approve on the consent screen.
            page.goto(authorization_url)
            page.get_by_label("Email").fill("fastmcp-user@example.com")
            page.get_by_role("button", name="Continue").click()
            expect(page.get_by_role("heading", name="Allow FastMCP Client to access your account?")).to_be_visible()
            for words in SCOPE_WORDS[:2]:
                expect(page.get_by_text(words, exact=True)).to_be_visible()
            # A person takes longer than the client needs to start its callback server; wait for it.
            wait_until(lambda: callback_server_listens(asked["redirect_uri"]), timeout=15, what="FastMCP's callback server")
            page.get_by_role("button", name="Approve").click()

            # The redirect lands on FastMCP's own callback server, which finishes the flow.
            page.wait_for_url(asked["redirect_uri"] + "?**", timeout=15_000)
            landed = query_of(page.url)
            assert landed["state"] == asked["state"] and landed["iss"] == dev_stack.base_url
            expect(page.get_by_text("Authentication successful")).to_be_visible()

            tools, listed, second, changed, listed_again, tokens = outcome.result(timeout=CLIENT_WAIT)
        # Our pages load nothing from elsewhere (FastMCP's own "successful" page shows a logo from its website).
        assert [url for page_url, url in escaped if not page_url.startswith(asked["redirect_uri"])] == []
        assert page_errors == []
    finally:
        context.close()

    assert {"get-items", "item-action"} <= {tool.name for tool in tools}
    assert listed.is_error is False and len(listed.structured_content["items"]) == 3
    assert changed.is_error is False
    assert changed.structured_content["item"]["id"] == second["id"]
    assert changed.structured_content["item"]["status"] == "done"
    assert [item["status"] for item in listed_again.structured_content["items"] if item["id"] == second["id"]] == ["done"]
    assert set(scope_claim(tokens.access_token)) == {"read", "write"}


# ---------------------------------------------------------------------------------------------
# The official Python SDK's OAuthClientProvider; the user's steps are the consent page's requests


class MemoryStorage:
    """The SDK's TokenStorage, in memory."""

    def __init__(self, tokens=None, client=None):
        self.tokens = tokens
        self.client = client

    async def get_tokens(self):
        return self.tokens

    async def set_tokens(self, tokens: OAuthToken):
        self.tokens = tokens

    async def get_client_info(self):
        return self.client

    async def set_client_info(self, client_info: OAuthClientInformationFull):
        self.client = client_info


class ConsentingUser:
    """The SDK provider's redirect and callback handlers: the user approves every authorization
    URL the client opens, through the consent page's requests (development login, Approve).
    `opened` lists those URLs."""

    def __init__(self, base_url, email):
        self.base_url = base_url
        self.email = email
        self.opened = []
        self.codes = asyncio.Queue()

    def approve(self, authorization_url):
        shown = flow.consent_details(self.base_url, query_of(authorization_url))
        assert shown.status_code == 200, shown.text
        decided = flow.decide(self.base_url, shown.json()["request"], flow.dev_login(self.base_url, self.email), approve=True)
        assert decided.status_code == 200, decided.text
        return flow.redirect_query(decided.json()["redirect_uri"])

    async def redirect_handler(self, authorization_url: str):
        self.opened.append(authorization_url)
        await self.codes.put(await asyncio.to_thread(self.approve, authorization_url))

    async def callback_handler(self):
        redirect = await asyncio.wait_for(self.codes.get(), 30)
        return AuthorizationCodeResult(code=redirect["code"], state=redirect.get("state"), iss=redirect.get("iss"))


def sdk_metadata(scope):
    return OAuthClientMetadata(client_name="SDK standard client", redirect_uris=[SDK_REDIRECT_URI],
                               grant_types=["authorization_code", "refresh_token"], response_types=["code"],
                               token_endpoint_auth_method="none", scope=scope)


async def with_session(mcp_url, provider, body, exchange):
    """An SDK session over streamable HTTP; `exchange` records every HTTP response the client saw,
    those inside the OAuth flow included: (method, URL, status, WWW-Authenticate)."""
    async def record(response):
        exchange.append((response.request.method, str(response.request.url), response.status_code,
                         response.headers.get("WWW-Authenticate")))

    async with httpx2.AsyncClient(auth=provider, timeout=30, event_hooks={"response": [record]}) as http:
        async with streamable_http_client(mcp_url, http_client=http) as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                return await body(session)


async def complete_second_item(session):
    listed = await session.call_tool("get-items", {})
    second = listed.structured_content["items"][1]
    return second, await session.call_tool("item-action", {"item_id": second["id"], "action": "complete"})


def test_sdk_oauth_provider_without_scopes_follows_the_challenge_and_gets_write(dev_stack):
    mcp_url = dev_stack.base_url + "/mcp"
    user = ConsentingUser(dev_stack.base_url, "sdk-user@example.com")
    storage = MemoryStorage()
    provider = OAuthClientProvider(server_url=mcp_url, client_metadata=sdk_metadata(scope=None), storage=storage,
                                   redirect_handler=user.redirect_handler, callback_handler=user.callback_handler)
    exchange = []

    second, changed = run(lambda: with_session(mcp_url, provider, complete_second_item, exchange))

    assert changed.is_error is False
    assert changed.structured_content["item"] == {**second, "status": "done"}
    # One sign-in, asking for what the challenge named.
    assert len(user.opened) == 1
    assert query_of(user.opened[0])["scope"] == ALL_SCOPES
    first_challenge = next(header for method, url, status, header in exchange if url == mcp_url and status == 401)
    assert f'scope="{ALL_SCOPES}"' in first_challenge
    assert set(scope_claim(storage.tokens.access_token)) == {"read", "write"}
    assert not [entry for entry in exchange if entry[2] == 403]


def read_only_grant(base_url, email):
    """A client that was authorized earlier for `read` alone, as the SDK stores it: its
    registration (with `scope="read"` in its metadata) and its token response."""
    registered = flow.register(base_url, redirect_uris=(SDK_REDIRECT_URI,), name="SDK standard client")
    client_info = OAuthClientInformationFull(**{**sdk_metadata("read").model_dump(exclude_none=True), **registered})
    verifier, challenge = flow.pkce_pair()
    params = flow.authorize_params(registered["client_id"], challenge, redirect_uri=SDK_REDIRECT_URI, state="earlier",
                                   scope="read", resource=base_url + "/mcp")
    code = ConsentingUser(base_url, email).approve(base_url + "/authorize?" + urllib.parse.urlencode(params))["code"]
    tokens = flow.redeem(base_url, registered["client_id"], code, verifier, redirect_uri=SDK_REDIRECT_URI,
                         resource=base_url + "/mcp")
    assert scope_claim(tokens["access_token"]) == ["read"]
    return client_info, OAuthToken(**tokens)


def test_sdk_oauth_provider_steps_up_on_403_insufficient_scope(dev_stack):
    base_url, mcp_url = dev_stack.base_url, dev_stack.base_url + "/mcp"
    email = "step-up@example.com"
    client_info, read_tokens = read_only_grant(base_url, email)
    user = ConsentingUser(base_url, email)
    storage = MemoryStorage(tokens=read_tokens, client=client_info)
    provider = OAuthClientProvider(server_url=mcp_url, client_metadata=sdk_metadata(scope="read"), storage=storage,
                                   redirect_handler=user.redirect_handler, callback_handler=user.callback_handler)
    exchange = []

    async def body(session):
        listed = await session.call_tool("get-items", {})  # `read` is enough
        assert listed.is_error is False and user.opened == []
        return await complete_second_item(session)

    second, changed = run(lambda: with_session(mcp_url, provider, body, exchange))

    # On the wire: the call with the `read` token was refused with RFC 6750 §3.1's answer...
    refused = [entry for entry in exchange if entry[2] == 403]
    assert len(refused) == 1
    method, url, _, challenge = refused[0]
    assert (method, url) == ("POST", mcp_url)
    assert challenge == (f'Bearer resource_metadata="{base_url}/.well-known/oauth-protected-resource/mcp", '
                         'error="insufficient_scope", '
                         "error_description=\"This action needs the 'write' permission; reconnect the app to grant it\", "
                         f'scope="{ALL_SCOPES}"')
    # ...the client asked the user again, for the challenged scopes, with the same registration...
    assert len(user.opened) == 1
    asked = query_of(user.opened[0])
    assert asked["scope"] == ALL_SCOPES and asked["client_id"] == client_info.client_id
    assert not [entry for entry in exchange if entry[1] == base_url + "/register"]
    # ...and the retried call went through with the new token.
    after = exchange[exchange.index(refused[0]) + 1:]
    assert [status for method, url, status, _ in after if method == "POST" and url == mcp_url] == [200]
    assert changed.is_error is False
    assert changed.structured_content["item"] == {**second, "status": "done"}
    assert set(scope_claim(storage.tokens.access_token)) == {"read", "write"}
    assert storage.tokens.access_token != read_tokens.access_token
