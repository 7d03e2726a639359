"""The Content-Security-Policy, the import map and the production front, with a real browser
(headless Chromium) where a policy has to be seen in force.

The import map's hash as documented (web/README.md, "Import map and CSP") and a web build that
does not depend on where the checkout lives; the sign-in page and the inlined widget under the
documented policy; the policy nginx/production.conf sends, read from its `set` lines; the
sign-in page and both widget harness hosts behind that policy with no violation; and the
headers the local nginx and the production site send for the /authorize page and the UI files.

The production site (nginx/production.conf, rendered as test_deployment_nginx.py does) is the
`production_front` fixture in conftest.py. Shared helpers: browser_support.py.
"""
import base64
import hashlib
import json
import re
import shutil
import subprocess

import pytest
import requests
from playwright.sync_api import expect

from browser_support import (CSP_WATCH, HOSTS, ITEM_TITLES, WIDGETS_DIR, WidgetHost, callback_query,
                             collect_csp_reports, consent_heading, csp_violations, luminance, needs_chromium,
                             new_request, privy_login, production_csp, redeem)
from stack import PROJECT_DIR

# Configuration.defaultPrivySDKURL, as Sources/Configuration/Configuration.swift writes it.
DEFAULT_PRIVY_SDK_URL = re.search(r'defaultPrivySDKURL = "([^"]+)"',
                                  (PROJECT_DIR / "Sources/Configuration/Configuration.swift").read_text()).group(1)

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def privy_stack(privy_page_stack):
    """Here privy_stack is conftest.py's privy_page_stack (the sign-in page's stack, trusting the
    fake Privy server), not conftest.py's privy_stack."""
    return privy_page_stack


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


def inlined_hash(data):
    """The CSP hash of a file as WidgetHTML.swift inlines it: the element's text is "\n" + file + "\n"."""
    return "sha256-" + base64.b64encode(hashlib.sha256(b"\n" + data + b"\n").digest()).decode()


def test_widget_inlined_under_a_strict_csp(open_browsing, static_server):
    """Inlined as the server does it (Sources/MCPEndpoint/WidgetHTML.swift), the widget runs with
    only its script's and its style's hashes allowed; manifest.json describes both files."""
    source = (WIDGETS_DIR / "list-view.js").read_bytes()
    style = (WIDGETS_DIR / "list-view.css").read_bytes()
    files = json.loads((WIDGETS_DIR / "manifest.json").read_text())["files"]
    for name, data in (("list-view.js", source), ("list-view.css", style)):
        assert files[name]["bytes"] == len(data)
        assert files[name]["sha256"] == hashlib.sha256(data).hexdigest()
        assert files[name]["sha256_base64"] == base64.b64encode(hashlib.sha256(data).digest()).decode()
    assert b"</script" not in source.lower() and b"<!--" not in source
    assert b"</style" not in style.lower()
    document = (b'<!doctype html>\n<html>\n<head>\n<meta charset="utf-8">\n'
                b'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                b"<style>\n" + style + b"\n</style>\n</head>\n<body>\n<div id=\"root\"></div>\n"
                b'<script type="module">\n' + source + b"\n</script>\n</body>\n</html>\n")
    policy = (f"default-src 'none'; script-src '{inlined_hash(source)}'; style-src '{inlined_hash(style)}'; "
              "img-src 'self' data:")
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
    assert luminance(background) < 60, background  # the inlined style applied
    widget.action("Complete", "Buy milk").click()
    expect(widget.row("Buy milk").locator(".lv-badge")).to_have_text("Done")
    assert page.evaluate("window.__cspViolations || []") == []
    assert browsing.page_errors == []


# ---------------------------------------------------------------------------------------------
# The production site's headers (nginx/production.conf) and the local stack's


def test_production_csp_is_read_from_the_site():
    policy = production_csp()
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    # The one SDK module the default PRIVY_SDK_URL names (without its query), not the CDN's host.
    sdk = "https://esm.sh/@privy-io/react-auth@2.13.0"
    assert "https://esm.sh/@privy-io/react-auth@2.13.0?" in DEFAULT_PRIVY_SDK_URL
    assert directives["script-src"].split()[:3] == ["'self'", f"'{import_map_hash()}'", sdk]
    assert "https://esm.sh " not in policy + " " and "https://esm.sh;" not in policy and policy.count("esm.sh") == 1
    assert "," not in policy  # a comma would start a second policy (CSP3 §3.1)
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"


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
    assert response.headers["content-security-policy"] == production_csp(privy)
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
    srcdoc frame, which inherits the policy) renders, styles itself and acts, with no violation.
    The files are loaded by URL (inline=0): that policy allows no inline script but the import map."""
    browsing = open_browsing(viewport={"width": 520, "height": 640})
    page = browsing.page
    console = collect_csp_reports(page)
    with page.expect_response(lambda response: "/harness/" in response.url and ".html" in response.url) as document:
        widget = WidgetHost(page, kind, static_server).open(fixture="three", theme="dark", csp="production", inline="0")
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
        assert response.headers["Content-Security-Policy"] == production_csp(fake_privy), response.url
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response.headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains"
        assert response.headers["Permissions-Policy"] == "camera=(), microphone=(), geolocation=()"
