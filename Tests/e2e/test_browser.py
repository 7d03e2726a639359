"""The OAuth sign-in page and the ListView widget in a real browser (headless Chromium).

The sign-in page runs against the real stack (nginx + FCGIApp): once with Privy configured and the
fake Privy SDK module served by `fake_privy_server.py` (real ES256 tokens the server verifies), once
without PRIVY_APP_ID (the development login). The widget runs in two harness hosts from
`widget_harness/`: a `window.openai` emulation and an MCP Apps host speaking the postMessage bridge.
The production site (nginx/production.conf, rendered as test_deployment.py does) is put in front of
the Privy stack for its headers and its Content-Security-Policy.

Playwright (PyPI) drives Debian's chromium at /usr/bin/chromium; `playwright install` is not used.
Everything binds to 127.0.0.1; a route on every browser context answers the OAuth client's callback
(https://client.example/…) and aborts any other request that would leave this machine.
Screenshots go to docs/screenshots/.
"""
import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
import pytest
import requests

import oauth_flow as flow
from fake_privy_server import FakePrivyServer, user_id_for
from stack import PROJECT_DIR, Stack, free_port, wait_until

CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM),
                                reason=f"{CHROMIUM} is missing: install the Debian package chromium")

from playwright.sync_api import expect, sync_playwright  # noqa: E402

HARNESS_DIR = Path(__file__).resolve().parent / "widget_harness"
WIDGETS_DIR = PROJECT_DIR / "widgets-dist"
SCREENSHOTS = PROJECT_DIR / "docs/screenshots"
CALLBACK = "https://client.example/callback"
CLIENT_NAME = "Browser E2E client"
SCOPE_WORDS = ["See your items", "Change your items (complete, reopen, delete)", "Stay connected without signing in again"]
# The app serves the page from PUBLIC_DIR (default "public", relative to its working directory,
# which Stack sets to the run folder): point it at the committed build.
PAGE_ENV = {"PUBLIC_DIR": str(PROJECT_DIR / "public"), "WIDGETS_DIR": str(WIDGETS_DIR)}

expect.set_options(timeout=10_000)


# ---------------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def fake_privy():
    server = FakePrivyServer().start()
    yield server
    server.stop()


@pytest.fixture
def privy(fake_privy):
    fake_privy.reset()
    yield fake_privy
    fake_privy.reset()


@pytest.fixture(scope="module")
def privy_stack(tmp_path_factory, fake_privy):
    running = Stack(tmp_path_factory.mktemp("privy-stack"), env={**fake_privy.app_env(), **PAGE_ENV}).start()
    yield running
    running.stop()


# With a query, as the default esm.sh URL has one: a retry adds "&retry=N" to it.
MISSING_SDK_PATH = "/no-such-module.mjs?external=react,react-dom"


@pytest.fixture(scope="module")
def missing_sdk_stack(tmp_path_factory, fake_privy):
    """Privy configured, but PRIVY_SDK_URL names a module the fake Privy server answers with 404."""
    env = {**fake_privy.app_env(), **PAGE_ENV, "PRIVY_SDK_URL": fake_privy.base_url + MISSING_SDK_PATH}
    running = Stack(tmp_path_factory.mktemp("missing-sdk-stack"), env=env).start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def dev_stack(tmp_path_factory):
    running = Stack(tmp_path_factory.mktemp("dev-stack"), env=PAGE_ENV).start()
    yield running
    running.stop()


class HarnessHandler(SimpleHTTPRequestHandler):
    """/harness/… from widget_harness/, /widgets/… from widgets-dist/ (as nginx serves it).
    `?csp=production` adds nginx/production.conf's Content-Security-Policy header."""

    def translate_path(self, path):
        path = urlparse(path).path
        for prefix, folder in (("/harness/", HARNESS_DIR), ("/widgets/", WIDGETS_DIR)):
            if path.startswith(prefix):
                name = path[len(prefix):]
                if "/" not in name and name not in ("", ".", ".."):
                    return str(folder / name)
        return str(HARNESS_DIR / "missing")

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        if parse_qs(urlparse(self.path).query).get("csp") == ["production"]:
            self.send_header("Content-Security-Policy", production_csp())
        super().end_headers()

    def log_message(self, *_):
        pass


@pytest.fixture(scope="module")
def static_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(HarnessHandler, directory=str(HARNESS_DIR)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="widget-harness", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(10)


class Browsing:
    """One browser context: the client callback is answered locally, every other non-loopback
    request is aborted and recorded, page errors are collected."""

    def __init__(self, context):
        self.context = context
        self.callbacks = []
        self.escaped = []
        self.page_errors = []
        self.posts = []
        self.page = context.new_page()
        self.page.route(lambda url: not url.startswith(("http://127.0.0.1:", "https://127.0.0.1:")), self._outside)
        self.page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        self.page.on("request", lambda request: self.posts.append(request.url) if request.method == "POST" else None)

    def _outside(self, route):
        url = route.request.url
        if url.startswith("https://client.example/"):
            self.callbacks.append(url)
            route.fulfill(status=200, content_type="text/html",
                          body="<!doctype html><html lang=en><title>Client callback</title><p>Back at the client.</p>")
        else:
            self.escaped.append(url)
            route.abort()


@pytest.fixture
def open_browsing(browser):
    contexts = []

    def opener(privy_server=None, **options):
        context = browser.new_context(**{"viewport": {"width": 800, "height": 900}, **options})
        contexts.append(context)
        if privy_server is not None:
            context.add_init_script(privy_server.init_script())
        return Browsing(context)

    yield opener
    for context in contexts:
        context.close()


# ---------------------------------------------------------------------------------------------
# OAuth helpers


def new_request(base_url, client_id=None, state=None):
    """Registers a client for https://client.example/callback; returns (client_id, verifier, state, url)."""
    if client_id is None:
        client_id = flow.register(base_url, redirect_uris=(CALLBACK,), name=CLIENT_NAME)["client_id"]
    verifier, challenge = flow.pkce_pair()
    state = state or "st-" + os.urandom(6).hex()
    params = flow.authorize_params(client_id, challenge, redirect_uri=CALLBACK, state=state)
    return client_id, verifier, state, base_url + "/authorize?" + urlencode(params)


def consent_heading(page):
    return page.get_by_role("heading", name=f"Allow {CLIENT_NAME} to access your account?")


def privy_login(page, email):
    sign_in = page.get_by_role("button", name="Sign in", exact=True)
    expect(sign_in).to_be_enabled()
    sign_in.click()
    expect(page.get_by_test_id("fake-privy-dialog")).to_be_visible()
    page.get_by_test_id("fake-privy-email").fill(email)
    page.get_by_test_id("fake-privy-continue").click()


def callback_query(page):
    page.wait_for_url(CALLBACK + "?**")
    return {name: values[0] for name, values in parse_qs(urlparse(page.url).query).items()}


def redeem(base_url, client_id, code, verifier):
    response = flow.exchange_code(base_url, client_id, code, verifier, redirect_uri=CALLBACK)
    assert response.status_code == 200, response.text
    tokens = response.json()
    assert tokens["token_type"] == "Bearer" and tokens["access_token"]
    return tokens


def subject_of(access_token):
    return jwt.decode(access_token, options={"verify_signature": False})["sub"]


def luminance(css_color):
    """Relative brightness 0..255 of an rgb()/rgba() computed colour."""
    numbers = [float(part) for part in css_color[css_color.index("(") + 1:-1].split(",")[:3]]
    return 0.2126 * numbers[0] + 0.7152 * numbers[1] + 0.0722 * numbers[2]


def screenshot(target, name, **options):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target.screenshot(path=str(SCREENSHOTS / name), animations="disabled", caret="hide", **options)


# ---------------------------------------------------------------------------------------------
# Sign-in page with the fake Privy module


def test_privy_flow_approve_and_redeem(privy_stack, privy, open_browsing):
    client_id, verifier, state, url = new_request(privy_stack.base_url)
    browsing = open_browsing(privy)
    page = browsing.page
    page.goto(url)
    expect(page.get_by_role("heading", name=f"Sign in to continue to {CLIENT_NAME}")).to_be_visible()
    privy_login(page, "alice@example.com")

    expect(consent_heading(page)).to_be_visible()
    expect(page.get_by_text("Signed in as")).to_contain_text("alice@example.com")
    expect(page.get_by_text("Either way, you will return to")).to_contain_text("client.example")
    expect(page.locator("ul.scopes li")).to_have_text(SCOPE_WORDS)
    expect(page.get_by_role("heading", name=f"{CLIENT_NAME} will be able to:")).to_be_visible()
    assert privy.module_requests >= 1 and privy.issued[-1] == ("alice@example.com", user_id_for("alice@example.com"))

    page.get_by_role("button", name="Approve").click()
    query = callback_query(page)
    assert query["state"] == state and query["iss"] == privy_stack.base_url and query["code"]
    assert browsing.callbacks == [page.url] and browsing.escaped == []
    tokens = redeem(privy_stack.base_url, client_id, query["code"], verifier)
    assert subject_of(tokens["access_token"]) == user_id_for("alice@example.com")
    assert browsing.page_errors == []


def test_privy_flow_deny(privy_stack, privy, open_browsing):
    _, _, state, url = new_request(privy_stack.base_url)
    page = open_browsing(privy).page
    page.goto(url)
    privy_login(page, "bob@example.com")
    expect(consent_heading(page)).to_be_visible()
    page.get_by_role("button", name="Deny").click()
    query = callback_query(page)
    assert query["error"] == "access_denied" and query["state"] == state and "code" not in query


def test_consent_shows_the_email_the_server_looked_up(privy_stack, privy, open_browsing):
    """A login whose SDK identity has no email (Google, wallet): the page asks POST
    /authorize/identity, the server looks the user up in Privy's user API with the app's Basic
    credentials, and the consent screen shows that email; the flow then completes as usual."""
    client_id, verifier, state, url = new_request(privy_stack.base_url)
    browsing = open_browsing(privy)
    page = browsing.page
    page.goto(url)
    privy.sdk_email = False
    with page.expect_response(privy_stack.base_url + "/authorize/identity") as identity:
        privy_login(page, "carol@example.com")
    user_id = user_id_for("carol@example.com")

    expect(consent_heading(page)).to_be_visible()
    expect(page.locator("strong.identity")).to_have_text("carol@example.com")
    assert privy.user_lookups == [(user_id, True)]
    answer = identity.value
    assert answer.status == 200 and answer.headers["cache-control"] == "no-store"
    assert answer.json() == {"privy_user_id": user_id, "email": "carol@example.com"}

    page.get_by_role("button", name="Approve").click()
    query = callback_query(page)
    assert query["state"] == state
    assert subject_of(redeem(privy_stack.base_url, client_id, query["code"], verifier)["access_token"]) == user_id
    # The decision made no second call to Privy's user API.
    assert privy.user_lookups == [(user_id, True)]
    assert browsing.page_errors == [] and browsing.escaped == []


@pytest.mark.parametrize("failure", ["error", "slow"])
def test_consent_completes_when_the_user_api_fails(privy_stack, privy, open_browsing, failure):
    """Privy's user API answers 500, or not within the server's 2 s bound: no email and no error
    on the consent screen, and Approve works at once (when slow, while the lookup is pending)."""
    client_id, verifier, state, url = new_request(privy_stack.base_url)
    user_id = user_id_for("dave@example.com")
    browsing = open_browsing(privy)
    page = browsing.page
    identity_answers = []
    page.on("response", lambda response: identity_answers.append(response.status)
            if response.url == privy_stack.base_url + "/authorize/identity" else None)
    page.goto(url)
    privy.sdk_email = False
    if failure == "error":
        privy.users_fail_status = 500
        with page.expect_response(privy_stack.base_url + "/authorize/identity") as identity:
            privy_login(page, "dave@example.com")
        # The lookup failed: the answer is the id alone, not an error.
        assert identity.value.status == 200 and identity.value.json() == {"privy_user_id": user_id}
    else:
        privy.users_delay = 5
        privy_login(page, "dave@example.com")

    expect(consent_heading(page)).to_be_visible()
    wait_until(lambda: privy.user_lookups, what="the user API call")
    assert privy.user_lookups == [(user_id, True)]
    expect(page.locator("strong.identity")).to_have_text(user_id)
    expect(page.get_by_role("alert")).to_have_count(0)
    approve = page.get_by_role("button", name="Approve")
    expect(approve).to_be_enabled()
    if failure == "slow":
        assert identity_answers == [], "the lookup is expected to be pending when Approve is clicked"
    approve.click()
    query = callback_query(page)
    assert query["state"] == state
    redeem(privy_stack.base_url, client_id, query["code"], verifier)
    assert browsing.page_errors == []


def test_privy_token_from_another_key_is_not_verified(privy_stack, privy, open_browsing):
    client_id, verifier, state, url = new_request(privy_stack.base_url)
    browsing = open_browsing(privy)
    page = browsing.page
    page.goto(url)
    privy.sign_with_wrong_key = True
    privy_login(page, "mallory@example.com")
    expect(consent_heading(page)).to_be_visible()
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("heading", name="Your login could not be verified")).to_be_visible()
    assert browsing.callbacks == []

    # "Try again" signs out and offers the login again; a good token then completes the flow.
    privy.sign_with_wrong_key = False
    page.get_by_role("button", name="Try again").click()
    privy_login(page, "mallory@example.com")
    expect(consent_heading(page)).to_be_visible()
    page.get_by_role("button", name="Approve").click()
    query = callback_query(page)
    assert query["state"] == state
    redeem(privy_stack.base_url, client_id, query["code"], verifier)


def test_fake_privy_token_endpoint_failure_shows_in_the_dialog(privy_stack, privy, open_browsing):
    _, _, _, url = new_request(privy_stack.base_url)
    page = open_browsing(privy).page
    page.goto(url)
    privy.fail_status = 500
    privy_login(page, "carol@example.com")
    expect(page.get_by_test_id("fake-privy-error")).to_contain_text("500")
    expect(consent_heading(page)).to_have_count(0)


SDK_LOAD_FAILURE = "The sign-in service could not be loaded. Check your connection and try again."


def module_response(route, body):
    """Answers a cross-origin module request (module scripts are fetched with CORS)."""
    route.fulfill(status=200, body=body, headers={
        "content-type": "application/javascript; charset=utf-8", "access-control-allow-origin": "*",
        "cache-control": "no-store"})


@pytest.mark.parametrize("failure", ["404", "throws on import", "missing exports"])
def test_privy_module_that_cannot_be_loaded_shows_a_clear_page(missing_sdk_stack, fake_privy, open_browsing, failure):
    """PRIVY_SDK_URL answers 404, or a module that throws while it is evaluated, or one without
    PrivyProvider/usePrivy: the page says so in an alert, offers a retry and nothing to approve."""
    sdk_url = fake_privy.base_url + MISSING_SDK_PATH
    browsing = open_browsing(fake_privy)
    page = browsing.page
    sdk_responses = []
    page.on("response", lambda response: sdk_responses.append(response.status) if response.url == sdk_url else None)
    if failure == "throws on import":
        page.route(lambda address: address == sdk_url,
                   lambda route: module_response(route, 'throw new Error("Privy SDK failed to start");'))
    elif failure == "missing exports":
        page.route(lambda address: address == sdk_url, lambda route: module_response(route, "export const somethingElse = 1;"))
    _, _, _, url = new_request(missing_sdk_stack.base_url)
    page.goto(url)
    expect(page.get_by_role("heading", name=f"Sign in to continue to {CLIENT_NAME}")).to_be_visible()
    alert = page.get_by_role("alert")
    expect(alert).to_have_count(1)
    expect(alert).to_contain_text(SDK_LOAD_FAILURE)
    expect(alert.get_by_role("button", name="Try again")).to_be_enabled()
    assert sdk_responses and sdk_responses[0] == (404 if failure == "404" else 200)
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)
    expect(consent_heading(page)).to_have_count(0)
    assert browsing.callbacks == [] and browsing.escaped == []
    assert [post for post in browsing.posts if "/authorize" in post] == []


def test_privy_module_try_again_after_a_transient_404(missing_sdk_stack, fake_privy, open_browsing):
    """The first request for the module fails; "Try again" fetches it again (sdk_url already has a
    query: "&retry=1" is added to it) and the login works."""
    sdk_url = fake_privy.base_url + MISSING_SDK_PATH
    browsing = open_browsing(fake_privy)
    page = browsing.page
    responses = []
    page.on("response", lambda response: responses.append((response.url, response.status))
            if response.url.startswith(sdk_url) else None)
    _, _, _, url = new_request(missing_sdk_stack.base_url)
    page.goto(url)
    expect(page.get_by_role("alert")).to_contain_text(SDK_LOAD_FAILURE)
    module = fake_privy.module_path.read_text()
    page.route(lambda address: address.startswith(sdk_url), lambda route: module_response(route, module))
    page.get_by_role("button", name="Try again").click()
    privy_login(page, "retry@example.com")
    expect(consent_heading(page)).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)
    assert responses == [(sdk_url, 404), (sdk_url + "&retry=1", 200)]
    assert browsing.page_errors == [] and browsing.escaped == []


@pytest.mark.parametrize("site", ["stack", "production site"])
def test_privy_module_try_again_after_it_threw_on_import(request, privy_stack, privy, open_browsing, site):
    """The module throws while it is evaluated on its first import and works afterwards. The
    browser keeps the failed module for that URL, so "Try again" imports sdk_url with "?retry=1"
    (the first attempt used it unchanged) and the sign-in completes without a reload; behind
    nginx/production.conf its CSP allows that URL (no violation, no console error)."""
    browsing = open_browsing(privy, ignore_https_errors=True)
    page = browsing.page
    console = collect_csp_reports(page)
    client_id, verifier, state, url = new_request(privy_stack.base_url)
    if site == "production site":
        base_url, _ = request.getfixturevalue("production_front")
        url = base_url + url[len(privy_stack.base_url):]
    privy.module_throws = 1
    page.goto(url)
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(SDK_LOAD_FAILURE)
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_have_count(0)
    assert privy.module_paths == ["/fake-privy.mjs"]
    alert.get_by_role("button", name="Try again").click()
    privy_login(page, "threw-once@example.com")
    expect(consent_heading(page)).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)
    assert privy.module_paths == ["/fake-privy.mjs", "/fake-privy.mjs?retry=1"]
    page.get_by_role("button", name="Approve").click()
    query = callback_query(page)
    assert query["state"] == state
    redeem(privy_stack.base_url, client_id, query["code"], verifier)
    assert csp_violations(page) == [] and console == []
    assert browsing.page_errors == [] and browsing.escaped == []


def access_token_wrapper(sdk_url):
    """A module in front of the fake SDK whose getAccessToken() fails while window.tokenFailure
    is "throws" (a rejected promise, as when Privy cannot refresh the session) or "null"."""
    return f"""import {{ PrivyProvider, usePrivy as fakeUsePrivy }} from {json.dumps(sdk_url + "?wrapped")};
export {{ PrivyProvider }};
export function usePrivy() {{
  const api = fakeUsePrivy();
  const getAccessToken = async () => {{
    window.tokenRequests = (window.tokenRequests || 0) + 1;
    if (window.tokenFailure === "throws") throw new Error("session refresh failed");
    if (window.tokenFailure === "null") return null;
    return api.getAccessToken();
  }};
  return {{ ...api, getAccessToken }};
}}
"""


@pytest.mark.parametrize("failure", ["throws", "null"])
def test_privy_access_token_failure_stays_on_our_page(privy_stack, privy, open_browsing, failure):
    """Privy reports a login but getAccessToken() fails: our page says so, posts nothing, and a
    second "Sign in" (once Privy answers) continues to the consent screen."""
    client_id, verifier, state, url = new_request(privy_stack.base_url)
    browsing = open_browsing(privy)
    page = browsing.page
    page.add_init_script(f"window.tokenFailure = {json.dumps(failure)};")
    wrapper = access_token_wrapper(privy.sdk_url)
    page.route(lambda address: address == privy.sdk_url, lambda route: module_response(route, wrapper))
    page.goto(url)
    privy_login(page, "erin@example.com")
    expect(page.get_by_role("alert")).to_have_text("Privy did not return a session. Please sign in again.")
    assert page.evaluate("window.tokenRequests") == 1
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_enabled()
    expect(consent_heading(page)).to_have_count(0)
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)
    assert page.url == url and browsing.callbacks == []
    assert [post for post in browsing.posts if post.startswith(privy_stack.base_url)] == []

    page.evaluate("window.tokenFailure = null")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(consent_heading(page)).to_be_visible()
    expect(page.get_by_text("Signed in as")).to_contain_text("erin@example.com")
    page.get_by_role("button", name="Approve").click()
    query = callback_query(page)
    assert query["state"] == state
    redeem(privy_stack.base_url, client_id, query["code"], verifier)
    assert browsing.page_errors == [] and browsing.escaped == []


def test_unknown_client_shows_not_valid_and_never_navigates(privy_stack, privy, open_browsing):
    _, _, _, url = new_request(privy_stack.base_url, client_id="client-that-does-not-exist")
    browsing = open_browsing(privy)
    page = browsing.page
    response = page.goto(url)
    assert response.status == 400
    expect(page.get_by_role("heading", name="This sign-in link is not valid")).to_be_visible()
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)
    page.wait_for_timeout(300)
    assert page.url == url and browsing.callbacks == [] and browsing.escaped == []
    assert browsing.posts == []


def test_request_expires_after_ten_minutes(privy_stack, privy, open_browsing):
    _, _, _, url = new_request(privy_stack.base_url)
    browsing = open_browsing(privy)
    page = browsing.page
    page.clock.install()
    page.goto(url)
    privy_login(page, "dave@example.com")
    expect(consent_heading(page)).to_be_visible()
    page.clock.fast_forward("09:00")
    expect(consent_heading(page)).to_be_visible()
    page.clock.fast_forward("01:05")
    expect(page.get_by_role("heading", name="This sign-in request has expired. Start again from ChatGPT.")).to_be_visible()
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)
    assert [post for post in browsing.posts if post.startswith(privy_stack.base_url + "/authorize")] == []
    assert browsing.callbacks == []


# ---------------------------------------------------------------------------------------------
# Development login


def test_development_login_flow(dev_stack, open_browsing):
    client_id, verifier, state, url = new_request(dev_stack.base_url)
    browsing = open_browsing()
    page = browsing.page
    page.goto(url)
    expect(page.get_by_text("Development login (this server has no Privy app; local use only)")).to_be_visible()
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_have_count(0)
    page.get_by_label("Email").fill("dev@example.com")
    page.get_by_role("button", name="Continue").click()
    expect(consent_heading(page)).to_be_visible()
    expect(page.get_by_text("Signed in as")).to_contain_text("dev@example.com")
    page.get_by_role("button", name="Approve").click()
    query = callback_query(page)
    assert query["state"] == state and query["iss"] == dev_stack.base_url
    tokens = redeem(dev_stack.base_url, client_id, query["code"], verifier)
    assert subject_of(tokens["access_token"]).startswith("did:privy:")
    assert browsing.page_errors == [] and browsing.escaped == []


def test_development_login_needs_an_email(dev_stack, open_browsing):
    _, _, _, url = new_request(dev_stack.base_url)
    page = open_browsing().page
    page.goto(url)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_have_text("Enter an email address.")
    expect(page.get_by_label("Email")).to_have_attribute("aria-invalid", "true")


# ---------------------------------------------------------------------------------------------
# Accessibility smoke tests and screenshots


def test_keyboard_only_sign_in_and_approve(privy_stack, privy, open_browsing):
    client_id, verifier, state, url = new_request(privy_stack.base_url)
    page = open_browsing(privy).page
    page.goto(url)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("main")).to_have_count(1)
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_enabled()

    def tab_to(name, limit=15):
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement && document.activeElement.textContent.trim()") == name:
                return
        raise AssertionError(f"Tab never reached {name!r}")

    tab_to("Sign in")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("fake-privy-email")).to_be_focused()
    page.keyboard.type("keyboard@example.com")
    page.keyboard.press("Enter")

    expect(consent_heading(page)).to_be_focused()  # focus moves to the new screen's heading
    for name in ("Approve", "Deny"):
        expect(page.get_by_role("button", name=name, exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Use a different account")).to_be_visible()
    assert page.get_by_role("main").count() == 1
    unnamed = page.evaluate("""[...document.querySelectorAll('button')]
        .filter(b => !(b.getAttribute('aria-label') || b.textContent).trim()).length""")
    assert unnamed == 0

    tab_to("Approve")
    page.keyboard.press("Enter")
    query = callback_query(page)
    assert query["state"] == state
    redeem(privy_stack.base_url, client_id, query["code"], verifier)


@pytest.mark.parametrize("name, options", [
    ("consent-light.png", {"color_scheme": "light"}),
    ("consent-dark.png", {"color_scheme": "dark"}),
    ("consent-phone.png", {"color_scheme": "light", "viewport": {"width": 360, "height": 740},
                           "device_scale_factor": 2, "is_mobile": True, "has_touch": True}),
])
def test_consent_screenshots(privy_stack, privy, open_browsing, name, options):
    _, _, _, url = new_request(privy_stack.base_url)
    page = open_browsing(privy, **options).page
    page.goto(url)
    privy_login(page, "screenshots@example.com")
    expect(consent_heading(page)).to_be_visible()
    page.locator(":focus").evaluate("element => element.blur()")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    if options["color_scheme"] == "dark":
        assert luminance(background) < 60, background
    else:
        assert luminance(background) > 200, background
    width = options.get("viewport", {}).get("width", 800)
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
    approve = page.get_by_role("button", name="Approve").bounding_box()
    assert approve["x"] >= 0 and approve["x"] + approve["width"] <= width
    if width <= 400:
        assert approve["height"] >= 40  # a comfortable touch target on a phone
    screenshot(page, name, full_page=True)


# ---------------------------------------------------------------------------------------------
# ListView widget in both hosts

HOSTS = ["openai", "mcp-apps"]
ITEM_TITLES = ["Buy milk", "Write the quarterly report", "Call Alice about the trip"]


class WidgetHost:
    """A harness page with the widget; `ui` is where the widget's DOM lives (page or frame)."""

    def __init__(self, page, kind, base_url):
        self.page = page
        self.kind = kind
        self.base_url = base_url
        self.ui = page if kind == "openai" else page.frame_locator("#widget")

    def open(self, **query):
        file = "openai.html" if self.kind == "openai" else "mcp_apps_host.html"
        self.page.goto(f"{self.base_url}/harness/{file}?{urlencode(query)}")
        return self

    def js(self, expression):
        return self.page.evaluate(expression)

    @property
    def html(self):
        return self.ui.locator(":root")

    @property
    def rows(self):
        return self.ui.locator("li.lv-item")

    def row(self, title):
        return self.rows.filter(has=self.ui.get_by_role("button", name=title, exact=True))

    def action(self, verb, title):
        return self.ui.get_by_role("button", name=f"{verb} “{title}”", exact=True)

    def tool_calls(self):
        return self.js("harness.service.calls")


@pytest.fixture(params=HOSTS)
def widget(request, open_browsing, static_server):
    browsing = open_browsing(viewport={"width": 520, "height": 640})
    host = WidgetHost(browsing.page, request.param, static_server)
    yield host
    assert browsing.page_errors == [] and browsing.escaped == []


def test_widget_renders_the_items(widget):
    widget.open(fixture="three")
    expect(widget.rows).to_have_count(3)
    expect(widget.rows.locator(".lv-title")).to_have_text(ITEM_TITLES)
    expect(widget.rows.locator(".lv-badge")).to_have_text(["Open", "Done", "Open"])
    expect(widget.ui.get_by_role("heading", name="Items")).to_be_visible()
    expect(widget.ui.locator(".lv-count")).to_have_text("2 open · 1 done")
    expect(widget.action("Complete", "Buy milk")).to_be_visible()
    expect(widget.action("Reopen", "Write the quarterly report")).to_be_visible()
    expect(widget.ui.get_by_role("button", name="Delete", exact=False)).to_have_count(3)
    if widget.kind == "mcp-apps":
        init = widget.js("harness.initializeRequests")
        assert init == [{"appInfo": {"name": "list-view", "version": "1.0.0"}, "appCapabilities": {},
                         "protocolVersion": "2026-01-26"}]
        assert widget.js("harness.initialized") is True
        widget.page.wait_for_function("harness.sizes.some(s => s.height > 100)")
        methods = [m.get("method") for m in widget.js("harness.messages")]
        assert methods.index("ui/initialize") < methods.index("ui/notifications/initialized")


def test_widget_action_calls_the_tool_and_rerenders(widget):
    widget.open(fixture="three")
    expect(widget.rows).to_have_count(3)

    # All action buttons are disabled while a call runs.
    widget.js("harness.service.hold = true")
    widget.action("Complete", "Buy milk").click()
    expect(widget.ui.locator(".lv-actions button:disabled")).to_have_count(6)
    expect(widget.ui.get_by_role("status")).to_have_text("Completing “Buy milk”…")
    widget.js("harness.service.release()")
    expect(widget.row("Buy milk").locator(".lv-badge")).to_have_text("Done")
    expect(widget.action("Reopen", "Buy milk")).to_be_enabled()
    expect(widget.ui.get_by_role("status")).to_have_text("Completed “Buy milk”.")
    expect(widget.ui.locator(".lv-count")).to_have_text("1 open · 2 done")

    # A numeric id goes back as a string; Delete removes the row.
    widget.action("Delete", "Write the quarterly report").click()
    expect(widget.rows).to_have_count(2)
    expect(widget.rows.locator(".lv-title")).to_have_text(["Buy milk", "Call Alice about the trip"])

    widget.action("Reopen", "Buy milk").click()
    expect(widget.row("Buy milk").locator(".lv-badge")).to_have_text("Open")
    assert widget.tool_calls() == [
        {"name": "item-action", "args": {"item_id": "a1", "action": "complete"}},
        {"name": "item-action", "args": {"item_id": "2", "action": "delete"}},
        {"name": "item-action", "args": {"item_id": "a1", "action": "reopen"}},
    ]

    # The result's items replace the list (here the server knows of an item the widget did not).
    widget.js("""harness.service.nextResult = {structuredContent: {
        item: {id: "c3", title: "Call Alice about the trip", status: "done"},
        items: [{id: "c3", title: "Call Alice about the trip", status: "done"},
                {id: "n9", title: "Added elsewhere", status: "open"}]}}""")
    widget.action("Complete", "Call Alice about the trip").click()
    expect(widget.rows.locator(".lv-title")).to_have_text(["Call Alice about the trip", "Added elsewhere"])
    expect(widget.rows.locator(".lv-badge")).to_have_text(["Done", "Open"])

    # Only "item" in the result: that row is replaced.
    widget.js("""harness.service.nextResult = {structuredContent: {
        item: {id: "n9", title: "Added elsewhere (renamed)", status: "done"}}}""")
    widget.action("Complete", "Added elsewhere").click()
    expect(widget.rows.locator(".lv-title")).to_have_text(["Call Alice about the trip", "Added elsewhere (renamed)"])


def test_widget_openai_accepts_a_result_string(open_browsing, static_server):
    """ChatGPT's callTool may answer {result: "<JSON>"} instead of a CallToolResult."""
    widget = WidgetHost(open_browsing().page, "openai", static_server).open(fixture="three")
    widget.js("""harness.service.nextResult = {result: JSON.stringify({structuredContent: {
        item: {id: "a1", title: "Buy milk", status: "done"}}})}""")
    widget.action("Complete", "Buy milk").click()
    expect(widget.row("Buy milk").locator(".lv-badge")).to_have_text("Done")


def test_widget_selection(widget):
    widget.open(fixture="three")
    title = widget.ui.get_by_role("button", name="Call Alice about the trip", exact=True)
    expect(title).to_have_attribute("aria-pressed", "false")
    title.click()
    expect(title).to_have_attribute("aria-pressed", "true")
    expect(widget.row("Call Alice about the trip")).to_have_class("lv-item is-selected")

    # Selection survives a re-render from a tool result.
    widget.action("Complete", "Buy milk").click()
    expect(widget.row("Buy milk").locator(".lv-badge")).to_have_text("Done")
    expect(title).to_have_attribute("aria-pressed", "true")

    if widget.kind == "openai":
        assert widget.js("harness.setWidgetStateCalls") == [{"selectedId": "c3"}]
        widget.page.reload()
        # Restored from window.openai.widgetState (the harness keeps it like ChatGPT does).
        expect(title).to_have_attribute("aria-pressed", "true")
        assert widget.js("window.openai.widgetState") == {"selectedId": "c3"}
        title.click()
        expect(title).to_have_attribute("aria-pressed", "false")
        assert widget.js("harness.setWidgetStateCalls") == [{"selectedId": None}]
        # Deleting the selected item clears the selection in the host too.
        widget.ui.get_by_role("button", name="Buy milk", exact=True).click()
        widget.action("Delete", "Buy milk").click()
        expect(widget.rows).to_have_count(2)
        assert widget.js("harness.setWidgetStateCalls")[-1] == {"selectedId": None}
        widget.page.reload()
        expect(widget.ui.locator("[aria-pressed=true]")).to_have_count(0)
    else:
        # MCP Apps has no widget state store: selection lives in the frame only.
        widget.page.reload()
        expect(widget.rows).to_have_count(3)
        expect(widget.ui.locator("[aria-pressed=true]")).to_have_count(0)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_widget_theme_follows_the_host(widget, theme):
    other = "dark" if theme == "light" else "light"
    widget.open(fixture="three", theme=theme)
    expect(widget.rows).to_have_count(3)
    expect(widget.html).to_have_attribute("data-theme", theme)
    background = widget.ui.locator(".lv").evaluate("element => getComputedStyle(element).backgroundColor")
    assert (luminance(background) < 60) == (theme == "dark"), background
    if widget.kind == "openai":
        # Screenshots with the second item selected, as a user would see it.
        widget.ui.get_by_role("button", name="Write the quarterly report", exact=True).click()
        widget.page.mouse.move(0, 0)
        widget.page.locator(":focus").evaluate("element => element.blur()")
        screenshot(widget.ui.locator(".lv"), f"widget-{theme}.png")
    widget.js(f"harness.setTheme({json.dumps(other)})")
    expect(widget.html).to_have_attribute("data-theme", other)
    background = widget.ui.locator(".lv").evaluate("element => getComputedStyle(element).backgroundColor")
    assert (luminance(background) < 60) == (other == "dark"), background


def test_widget_without_host_theme_follows_the_system(open_browsing, static_server):
    page = open_browsing(color_scheme="dark").page
    widget = WidgetHost(page, "openai", static_server).open(fixture="three", theme="none")
    expect(widget.rows).to_have_count(3)
    assert widget.html.get_attribute("data-theme") is None
    background = widget.ui.locator(".lv").evaluate("element => getComputedStyle(element).backgroundColor")
    assert luminance(background) < 60, background


def widget_layout(widget):
    """Where the widget's box sits in its own document (page or frame)."""
    return widget.ui.locator(".lv").evaluate("""element => {
        const box = element.getBoundingClientRect();
        return {left: box.left, width: box.width, page: document.documentElement.clientWidth,
                padding: getComputedStyle(element).paddingLeft};
    }""")


def assert_fills_the_width(layout):
    assert layout["left"] == 0 and layout["width"] == layout["page"] and layout["padding"] == "12px", layout


def assert_centred_and_widened(layout):
    assert layout["page"] > 800, layout  # wide enough for the 760 px column to show
    assert layout["width"] == 760 and layout["padding"] == "20px", layout
    assert abs(layout["left"] - (layout["page"] - 760) / 2) <= 1, layout


@pytest.mark.parametrize("kind", HOSTS)
@pytest.mark.parametrize("mode", ["inline", "fullscreen", "pip"])
def test_widget_layout_follows_the_display_mode(open_browsing, static_server, kind, mode):
    """inline and pip fill the host's width; fullscreen centres a 760 px column with more padding."""
    browsing = open_browsing(viewport={"width": 1000, "height": 700})
    widget = WidgetHost(browsing.page, kind, static_server).open(fixture="three", displayMode=mode)
    expect(widget.rows).to_have_count(3)
    expect(widget.html).to_have_attribute("data-display-mode", mode)
    if mode == "fullscreen":
        assert_centred_and_widened(widget_layout(widget))
    else:
        assert_fills_the_width(widget_layout(widget))
    assert browsing.page_errors == [] and browsing.escaped == []


@pytest.mark.parametrize("kind", HOSTS)
def test_widget_follows_a_display_mode_change_at_run_time(open_browsing, static_server, kind):
    """openai:set_globals (ChatGPT) or ui/notifications/host-context-changed (MCP Apps) with only
    displayMode: the layout changes, the items, the selection and the theme stay."""
    browsing = open_browsing(viewport={"width": 1000, "height": 700})
    widget = WidgetHost(browsing.page, kind, static_server).open(fixture="three", theme="dark", displayMode="inline")
    change = "harness.setGlobals" if kind == "openai" else "harness.setContext"
    expect(widget.rows).to_have_count(3)
    assert_fills_the_width(widget_layout(widget))
    title = widget.ui.get_by_role("button", name="Buy milk", exact=True)
    title.click()

    widget.js(f'{change}({{displayMode: "fullscreen"}})')
    expect(widget.html).to_have_attribute("data-display-mode", "fullscreen")
    assert_centred_and_widened(widget_layout(widget))
    expect(widget.rows.locator(".lv-title")).to_have_text(ITEM_TITLES)
    expect(title).to_have_attribute("aria-pressed", "true")
    expect(widget.html).to_have_attribute("data-theme", "dark")

    widget.js(f'{change}({{displayMode: "pip"}})')
    expect(widget.html).to_have_attribute("data-display-mode", "pip")
    assert_fills_the_width(widget_layout(widget))

    widget.js(f'{change}({{displayMode: "inline"}})')
    expect(widget.html).to_have_attribute("data-display-mode", "inline")
    assert_fills_the_width(widget_layout(widget))
    expect(widget.rows).to_have_count(3)
    # A value that is not a string is ignored: the last mode stays.
    widget.js(f"{change}({{displayMode: 42}})")
    widget.js(f'{change}({{theme: "light"}})')
    expect(widget.html).to_have_attribute("data-theme", "light")
    expect(widget.html).to_have_attribute("data-display-mode", "inline")
    assert browsing.page_errors == [] and browsing.escaped == []


@pytest.mark.parametrize("fixture", ["empty", "none"])
def test_widget_empty_list(widget, fixture):
    widget.open(fixture=fixture)
    expect(widget.ui.get_by_text("No items yet")).to_be_visible()
    expect(widget.rows).to_have_count(0)
    expect(widget.ui.get_by_role("alert")).to_have_count(0)


def test_widget_error_output(widget):
    widget.open(fixture="error")
    expect(widget.ui.get_by_role("alert")).to_have_text("The item service is unavailable")
    expect(widget.ui.get_by_text("No items to show")).to_be_visible()


def test_widget_mcp_tool_error_result(open_browsing, static_server):
    widget = WidgetHost(open_browsing().page, "mcp-apps", static_server).open(fixture="tool-error")
    expect(widget.ui.get_by_role("alert")).to_have_text("Listing items failed: backend timed out")


def test_widget_failed_actions_show_a_message(widget):
    widget.open(fixture="three")
    expect(widget.rows).to_have_count(3)
    # A CallToolResult with isError.
    widget.js("harness.service.failNext = 'Item is locked'")
    widget.action("Complete", "Buy milk").click()
    expect(widget.ui.get_by_role("alert")).to_have_text("Could not complete “Buy milk”: Item is locked")
    expect(widget.action("Complete", "Buy milk")).to_be_enabled()
    expect(widget.row("Buy milk").locator(".lv-badge")).to_have_text("Open")
    # structuredContent.error.
    widget.js("harness.service.nextResult = {structuredContent: {error: {message: 'Quota exceeded'}}}")
    widget.action("Delete", "Buy milk").click()
    expect(widget.ui.get_by_role("alert")).to_have_text("Could not delete “Buy milk”: Quota exceeded")
    expect(widget.rows).to_have_count(3)
    # A transport failure: a rejected callTool (openai) or a JSON-RPC error (MCP Apps).
    widget.js("harness.service.rejectNext = 'Connection lost'")
    widget.action("Reopen", "Write the quarterly report").click()
    expect(widget.ui.get_by_role("alert")).to_have_text("Could not reopen “Write the quarterly report”: Connection lost")
    expect(widget.ui.locator(".lv-actions button:disabled")).to_have_count(0)
    # The next successful action clears the message.
    widget.action("Complete", "Buy milk").click()
    expect(widget.row("Buy milk").locator(".lv-badge")).to_have_text("Done")
    expect(widget.ui.get_by_role("alert")).to_have_count(0)


def test_mcp_bridge_loading_state_and_host_requests(open_browsing, static_server):
    widget = WidgetHost(open_browsing().page, "mcp-apps", static_server).open(autoResult="0", theme="dark")
    page = widget.page
    page.wait_for_function("harness.initialized === true")
    expect(widget.ui.get_by_text("Loading…")).to_be_visible()
    expect(widget.html).to_have_attribute("data-theme", "dark")
    assert page.evaluate("harness.request('ping')")["result"] == {}
    assert page.evaluate("harness.request('ui/resource-teardown')")["result"] == {}
    unknown = page.evaluate("harness.request('ui/no-such-method')")
    assert unknown["error"]["code"] == -32601 and "result" not in unknown
    page.evaluate("harness.sendToolResult(HarnessItems.initialResult('three'))")
    expect(widget.rows).to_have_count(3)
    page.evaluate("""harness.sendToolResult({structuredContent: {items: [{id: 7, title: "", status: "weird"}]}})""")
    expect(widget.rows.locator(".lv-title")).to_have_text(["(untitled)"])
    expect(widget.rows.locator(".lv-badge")).to_have_text(["Open"])


# ---------------------------------------------------------------------------------------------
# The documented Content-Security-Policy (web/README.md, "Import map and CSP")


def import_map_hash():
    html = (PROJECT_DIR / "public/index.html").read_text()
    scripts = re.findall(r"<script(?P<attributes>[^>]*)>(?P<body>.*?)</script>", html, re.S)
    inline = [body for attributes, body in scripts if "src=" not in attributes]
    assert len(inline) == 1 and 'type="importmap"' in html, "index.html must have exactly one inline script"
    return "sha256-" + base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()


def test_documented_import_map_hash_is_current():
    readme = (PROJECT_DIR / "web/README.md").read_text()
    assert f"'{import_map_hash()}'" in readme


def test_web_build_does_not_depend_on_where_the_checkout_lives(tmp_path):
    """esbuild hashes input paths relative to its working directory; a checkout one folder deeper
    must still build the committed public/ and widgets-dist/ byte for byte."""
    checkout = tmp_path / "one" / "two" / "three" / "checkout"
    subprocess.run(["git", "clone", "--quiet", str(PROJECT_DIR), str(checkout)], check=True)
    for changed in (PROJECT_DIR / "web", PROJECT_DIR / "public", PROJECT_DIR / "widgets-dist"):
        # Uncommitted edits in the working tree are what the check compares, so copy them over.
        shutil.rmtree(checkout / changed.name)
        shutil.copytree(changed, checkout / changed.name, symlinks=True)
    result = subprocess.run(["node", "web/build.mjs", "--check"], cwd=checkout, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


CSP_WATCH = """document.addEventListener("securitypolicyviolation", (event) => {
    (window.__cspViolations = window.__cspViolations || []).push(event.violatedDirective + " " + event.blockedURI);
});"""


def page_csp(extra_origin=""):
    origin = f" {extra_origin}" if extra_origin else ""
    return (f"default-src 'self'; script-src 'self' '{import_map_hash()}'{origin}; style-src 'self'; "
            f"connect-src 'self'{origin}; img-src 'self' data:; base-uri 'none'; form-action 'self'; "
            "frame-ancestors 'none'")


@pytest.mark.parametrize("mode", ["development", "privy"])
def test_sign_in_page_under_the_documented_csp(mode, request, open_browsing):
    """The page (and the fake Privy module) work under the README's policy with no violation."""
    if mode == "privy":
        running, fake = request.getfixturevalue("privy_stack"), request.getfixturevalue("privy")
        browsing = open_browsing(fake)
        policy = page_csp(fake.base_url)
        # A document fulfilled by a route has no address space of its own, so Chromium's Local
        # Network Access check asks permission before it may load the fake module from loopback.
        browsing.context.grant_permissions(["local-network-access"], origin=running.base_url)
    else:
        running, fake = request.getfixturevalue("dev_stack"), None
        browsing = open_browsing()
        policy = page_csp()
    page = browsing.page
    page.add_init_script(CSP_WATCH)
    console = []
    page.on("console", lambda message: console.append(message.text))

    def with_csp(route):
        if route.request.resource_type != "document":
            route.continue_()
            return
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": policy})

    page.route(running.base_url + "/authorize?**", with_csp)
    client_id, verifier, state, url = new_request(running.base_url)
    page.goto(url)
    if fake is not None:
        privy_login(page, "csp@example.com")
    else:
        page.get_by_label("Email").fill("csp@example.com")
        page.get_by_role("button", name="Continue").click()
    expect(consent_heading(page)).to_be_visible()
    assert page.evaluate("window.__cspViolations || []") == []
    page.get_by_role("button", name="Approve").click()
    query = callback_query(page)
    redeem(running.base_url, client_id, query["code"], verifier)
    assert [text for text in console if "Content Security Policy" in text] == []
    assert browsing.page_errors == []


def test_widget_inlined_under_a_strict_csp(open_browsing, static_server):
    """Inlined as the server does it, the widget runs with only its manifest hash allowed."""
    source = (WIDGETS_DIR / "list-view.js").read_bytes()
    manifest = json.loads((WIDGETS_DIR / "manifest.json").read_text())["files"]["list-view.js"]
    assert manifest["bytes"] == len(source)
    assert manifest["sha256"] == hashlib.sha256(source).hexdigest()
    assert manifest["sha256_base64"] == base64.b64encode(hashlib.sha256(source).digest()).decode()
    assert b"</script" not in source.lower() and b"<!--" not in source
    document = (b'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ListView</title></head>'
                b'<body><div id="root"></div><script>' + source + b"</script></body></html>")
    policy = f"default-src 'none'; script-src 'sha256-{manifest['sha256_base64']}'; style-src 'self'; img-src 'self' data:"
    browsing = open_browsing()
    page = browsing.page
    page.add_init_script(CSP_WATCH)
    page.add_init_script("""window.openai = {theme: "dark", displayMode: "inline", widgetState: null,
        toolOutput: {items: [{id: "a1", title: "Buy milk", status: "open"}]},
        setWidgetState() {}, callTool: async () => ({structuredContent: {item: {id: "a1", title: "Buy milk", status: "done"}}})};""")
    url = static_server + "/harness/inlined-widget.html"
    page.route(url, lambda route: route.fulfill(status=200, body=document, headers={
        "content-type": "text/html; charset=utf-8", "content-security-policy": policy}))
    page.goto(url)
    widget = WidgetHost(page, "openai", static_server)
    expect(widget.rows.locator(".lv-title")).to_have_text(["Buy milk"])
    expect(widget.html).to_have_attribute("data-theme", "dark")
    background = widget.ui.locator(".lv").evaluate("element => getComputedStyle(element).backgroundColor")
    assert luminance(background) < 60, background  # the styles applied (a constructed sheet)
    widget.action("Complete", "Buy milk").click()
    expect(widget.row("Buy milk").locator(".lv-badge")).to_have_text("Done")
    assert page.evaluate("window.__cspViolations || []") == []
    assert browsing.page_errors == []


# ---------------------------------------------------------------------------------------------
# The production site's headers (nginx/production.conf) and the local stack's


def production_csp(privy_sdk_origin=None):
    """The Content-Security-Policy value nginx/production.conf sends, evaluated from its `set`
    lines; `privy_sdk_origin` replaces the one deployment-specific part, the SDK's origin."""
    site = (PROJECT_DIR / "nginx/production.conf").read_text()
    assert re.search(r"^\s*add_header Content-Security-Policy \$chatgpt_app_csp always;$", site, re.M)
    variables = {}
    for name, value in re.findall(r'^\s*set \$(chatgpt_app_\w+) "([^"]*)";$', site, re.M):
        variables[name] = re.sub(r"\$\{(\w+)\}|\$(\w+)", lambda m: variables[m.group(1) or m.group(2)], value)
        if name == "chatgpt_app_privy_sdk_origin" and privy_sdk_origin is not None:
            variables[name] = privy_sdk_origin
    assert variables["chatgpt_app_privy_sdk_origin"] in variables["chatgpt_app_csp"]
    return variables["chatgpt_app_csp"]


@pytest.fixture(scope="module")
def production_front(tmp_path_factory, privy_stack, fake_privy):
    """nginx with nginx/production.conf as the deployment tests render it (installed tree, TLS with
    a test certificate, 127.0.0.1 ports) in front of privy_stack's FCGIApp; the Privy SDK origin
    is the fake's. Yields (base URL, certificate)."""
    from test_deployment import Nginx, install_real, production_site
    folder = tmp_path_factory.mktemp("production-front")
    layout = install_real(folder / "root")
    https_port, http_port = free_port(), free_port()
    socket_path = Path(privy_stack.socket_path)
    site, cert, _ = production_site(layout, folder, https_port, http_port, [socket_path, socket_path])
    origin_line = 'set $chatgpt_app_privy_sdk_origin "https://esm.sh";'
    assert site.count(origin_line) == 1
    site = site.replace(origin_line, f'set $chatgpt_app_privy_sdk_origin "{fake_privy.base_url}";')
    nginx = Nginx(folder / "nginx", site).start(https_port)
    yield f"https://127.0.0.1:{https_port}", cert
    nginx.stop()


def test_production_csp_is_read_from_the_site():
    policy = production_csp()
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"].split()[:3] == ["'self'", f"'{import_map_hash()}'", "https://esm.sh"]
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert production_csp("http://127.0.0.1:1") == policy.replace("https://esm.sh", "http://127.0.0.1:1")


def collect_csp_reports(page):
    """securitypolicyviolation events (every frame) and console errors, as they happen."""
    page.add_init_script(CSP_WATCH)
    console = []
    page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
    return console


def csp_violations(page):
    found = []
    for frame in page.frames:
        found += frame.evaluate("window.__cspViolations || []")
    return found


def assert_policy_in_force(page):
    """The policy applies (in frames too) and the watch sees violations: an inline script added
    now does not run and is reported."""
    for frame in page.frames:
        frame.evaluate("""() => { const script = document.createElement("script");
            script.textContent = "window.inlineScriptRan = true"; document.head.append(script); }""")
        frame.wait_for_function("(window.__cspViolations || []).length > 0")
        assert frame.evaluate("window.inlineScriptRan") is None
    assert [entry.split()[0] for entry in csp_violations(page)] == ["script-src-elem"] * len(page.frames)


def test_sign_in_page_behind_the_production_site(production_front, privy_stack, privy, open_browsing):
    """The consent UI through nginx/production.conf itself (its CSP and headers, TLS): the Privy
    login, consent and approval run with no CSP violation and no console error."""
    base_url, _ = production_front
    browsing = open_browsing(privy, ignore_https_errors=True)
    page = browsing.page
    console = collect_csp_reports(page)
    # The app's issuer is privy_stack's address; the page only uses its own origin.
    client_id, verifier, state, url = new_request(privy_stack.base_url)
    url = base_url + url[len(privy_stack.base_url):]
    response = page.goto(url)
    assert response.status == 200
    assert response.headers["content-security-policy"] == production_csp(privy.base_url)
    privy_login(page, "production@example.com")
    expect(consent_heading(page)).to_be_visible()
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert luminance(background) > 200, background  # the stylesheet applied
    assert csp_violations(page) == [] and console == []
    page.get_by_role("button", name="Approve").click()
    query = callback_query(page)
    assert query["state"] == state
    redeem(privy_stack.base_url, client_id, query["code"], verifier)
    assert console == [] and browsing.page_errors == [] and browsing.escaped == []


@pytest.mark.parametrize("kind", HOSTS)
def test_widget_harness_under_the_production_csp(open_browsing, static_server, kind):
    """Both harness pages served with the production site's CSP: the widget (and, in MCP Apps, its
    srcdoc frame, which inherits the policy) renders, styles itself and acts, with no violation."""
    browsing = open_browsing(viewport={"width": 520, "height": 640})
    page = browsing.page
    console = collect_csp_reports(page)
    with page.expect_response(lambda response: "/harness/" in response.url and ".html" in response.url) as document:
        widget = WidgetHost(page, kind, static_server).open(fixture="three", theme="dark", csp="production")
    assert document.value.headers["content-security-policy"] == production_csp()
    expect(widget.rows.locator(".lv-title")).to_have_text(ITEM_TITLES)
    expect(widget.html).to_have_attribute("data-theme", "dark")
    background = widget.ui.locator(".lv").evaluate("element => getComputedStyle(element).backgroundColor")
    assert luminance(background) < 60, background
    widget.action("Complete", "Buy milk").click()
    expect(widget.row("Buy milk").locator(".lv-badge")).to_have_text("Done")
    assert page.evaluate("document.querySelectorAll('script:not([src])').length") == 0
    assert csp_violations(page) == []
    assert console == [] and browsing.page_errors == [] and browsing.escaped == []
    assert_policy_in_force(page)


def ui_assets():
    """The content-hashed files public/index.html names."""
    html = (PROJECT_DIR / "public/index.html").read_text()
    assets = sorted(set(re.findall(r'(?:src|href)="(/assets/[^"]+)"', html)))
    assert any(name.endswith(".js") for name in assets) and any(name.endswith(".css") for name in assets)
    return assets


def assert_ui_page(response, status):
    assert response.status_code == status
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.content == (PROJECT_DIR / "public/index.html").read_bytes()


def test_authorize_page_headers_through_the_local_nginx(privy_stack):
    """What the local site (nginx/local.conf.in + app-routes.conf) and FCGIApp send for the UI:
    the /authorize page is never stored and never framed; hashed assets are cached for a year;
    index.html is revalidated."""
    _, _, _, url = new_request(privy_stack.base_url)
    assert_ui_page(requests.get(url, headers={"Accept": "text/html"}, timeout=10), 200)
    _, _, _, invalid = new_request(privy_stack.base_url, client_id="client-that-does-not-exist")
    assert_ui_page(requests.get(invalid, headers={"Accept": "text/html"}, timeout=10), 400)
    for asset in ui_assets():
        response = requests.get(privy_stack.base_url + asset, timeout=10)
        assert response.status_code == 200 and response.headers["Cache-Control"] == "max-age=31536000", asset
        assert "Expires" in response.headers
    index = requests.get(privy_stack.base_url + "/index.html", timeout=10)
    assert index.status_code == 200 and index.headers["Cache-Control"] == "no-cache"


def test_authorize_page_headers_through_the_production_site(production_front, privy_stack, fake_privy):
    """nginx/production.conf adds its security headers to the /authorize page (FastCGI) and to the
    static UI files; the app's own no-store and X-Frame-Options pass through unchanged."""
    base_url, cert = production_front
    _, _, _, url = new_request(privy_stack.base_url)
    _, _, _, invalid = new_request(privy_stack.base_url, client_id="client-that-does-not-exist")
    pages = [(requests.get(base_url + address[len(privy_stack.base_url):], headers={"Accept": "text/html"},
                           verify=str(cert), timeout=10), status) for address, status in ((url, 200), (invalid, 400))]
    for response, status in pages:
        assert_ui_page(response, status)
    assets = [requests.get(base_url + asset, verify=str(cert), timeout=10) for asset in ui_assets()]
    for response in assets:
        assert response.status_code == 200 and response.headers["Cache-Control"] == "max-age=31536000", response.url
    index = requests.get(base_url + "/index.html", verify=str(cert), timeout=10)
    assert index.status_code == 200 and index.headers["Cache-Control"] == "no-cache"
    for response in [page for page, _ in pages] + assets + [index]:
        # One value each (requests joins repeated headers with ", ").
        assert response.headers["Content-Security-Policy"] == production_csp(fake_privy.base_url), response.url
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response.headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains"
        assert response.headers["Permissions-Policy"] == "camera=(), microphone=(), geolocation=()"
