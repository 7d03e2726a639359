"""The OAuth sign-in page and the ListView widget in a real browser (headless Chromium).

The sign-in page runs against the real stack (nginx + FCGIApp): once with Privy configured and the
fake Privy SDK module served by `fake_privy_server.py` (real ES256 tokens the server verifies), once
without PRIVY_APP_ID (the development login). The widget runs in two harness hosts from
`widget_harness/`: a `window.openai` emulation and an MCP Apps host speaking the postMessage bridge.

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

import oauth_flow as flow
from fake_privy_server import FakePrivyServer, user_id_for
from stack import PROJECT_DIR, Stack

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


@pytest.fixture(scope="module")
def dev_stack(tmp_path_factory):
    running = Stack(tmp_path_factory.mktemp("dev-stack"), env=PAGE_ENV).start()
    yield running
    running.stop()


class HarnessHandler(SimpleHTTPRequestHandler):
    """/harness/… from widget_harness/, /widgets/… from widgets-dist/ (as nginx serves it)."""

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
        self.page.route(lambda url: not url.startswith("http://127.0.0.1:"), self._outside)
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
