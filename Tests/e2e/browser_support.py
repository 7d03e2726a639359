"""What the browser suites (test_browser_*.py) share, besides the fixtures in conftest.py: where
things are, the harness web server's handler, a browser context that never leaves this machine
(`Browsing`), the sign-in page's steps, the widget host pages (`WidgetHost`), and the production
site's Content-Security-Policy with the helpers that watch for its violations.

Playwright (PyPI) drives Debian's chromium at /usr/bin/chromium; `playwright install` is not used.
"""
import os
import re
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
import pytest
from playwright.sync_api import expect

import oauth_flow as flow
from stack import PROJECT_DIR

CHROMIUM = "/usr/bin/chromium"
# Each browser suite sets `pytestmark = needs_chromium`.
needs_chromium = pytest.mark.skipif(not os.path.exists(CHROMIUM),
                                    reason=f"{CHROMIUM} is missing: install the Debian package chromium")

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


class HarnessHandler(SimpleHTTPRequestHandler):
    """/harness/… from widget_harness/, /widgets/… from widgets-dist/ (as nginx serves it, plus
    `Access-Control-Allow-Origin: *`, which the MCP Apps harness's opaque-origin frame needs to load
    a widget as a module script by URL with `inline=0`).
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
        if urlparse(self.path).path.startswith("/widgets/"):
            self.send_header("Access-Control-Allow-Origin", "*")
        if parse_qs(urlparse(self.path).query).get("csp") == ["production"]:
            self.send_header("Content-Security-Policy", production_csp())
        super().end_headers()

    def log_message(self, *_):
        pass


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


# ---------------------------------------------------------------------------------------------
# The sign-in page's OAuth steps


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
    tokens = flow.redeem(base_url, client_id, code, verifier, redirect_uri=CALLBACK)
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
# The widget host pages (widget_harness/): any widget of widgets-dist/ by id, list-view by default

HOSTS = ["openai", "mcp-apps"]
ITEM_TITLES = ["Buy milk", "Write the quarterly report", "Call Alice about the trip"]


class WidgetHost:
    """A harness page with a widget (`widget` id, default list-view); `ui` is where the widget's DOM
    lives (page or frame)."""

    def __init__(self, page, kind, base_url, widget="list-view"):
        self.page = page
        self.kind = kind
        self.base_url = base_url
        self.widget = widget
        self.ui = page if kind == "openai" else page.frame_locator("#widget")

    def open(self, **query):
        file = "openai.html" if self.kind == "openai" else "mcp_apps_host.html"
        self.page.goto(f"{self.base_url}/harness/{file}?{urlencode({'widget': self.widget, **query})}")
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


# ---------------------------------------------------------------------------------------------
# The production site's Content-Security-Policy (nginx/production.conf)


def production_site_for_fake_privy(site, fake_privy):
    """nginx/production.conf's text with the fake Privy server in Privy's place: its module as
    the one SDK source, and its origin where Privy's API (auth.privy.io) is allowed, since the
    fake module asks it for tokens."""
    line = 'set $chatgpt_app_privy_sdk_source "https://esm.sh/@privy-io/react-auth@2.13.0";'
    assert site.count(line) == 1
    site = site.replace(line, f'set $chatgpt_app_privy_sdk_source "{fake_privy.sdk_url}";')
    assert "https://auth.privy.io" in site
    return site.replace("https://auth.privy.io", fake_privy.base_url)


def production_csp(fake_privy=None):
    """The Content-Security-Policy value nginx/production.conf sends, evaluated from its `set`
    lines; with `fake_privy`, as production_site_for_fake_privy() changes the site."""
    site = (PROJECT_DIR / "nginx/production.conf").read_text()
    if fake_privy is not None:
        site = production_site_for_fake_privy(site, fake_privy)
    assert re.search(r"^\s*add_header Content-Security-Policy \$chatgpt_app_csp always;$", site, re.M)
    variables = {}
    for name, value in re.findall(r'^\s*set \$(chatgpt_app_\w+) "([^"]*)";$', site, re.M):
        variables[name] = re.sub(r"\$\{(\w+)\}|\$(\w+)", lambda m: variables[m.group(1) or m.group(2)], value)
    assert variables["chatgpt_app_privy_sdk_source"] in variables["chatgpt_app_csp"]
    return variables["chatgpt_app_csp"]


CSP_WATCH = """document.addEventListener("securitypolicyviolation", (event) => {
    (window.__cspViolations = window.__cspViolations || []).push(event.violatedDirective + " " + event.blockedURI);
});"""


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
