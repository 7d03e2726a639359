"""Where the sign-in page gets Privy's SDK from, and how it checks it: PRIVY_SDK_INTEGRITY (a
Subresource Integrity hash the page puts on a modulepreload of the module before importing it)
and a copy served from public/ (PRIVY_SDK_URL a path on our origin, allowed by 'self').

The fake Privy server (fake_privy_server.py) stands in for Privy: its module is the SDK. Shared
helpers: browser_support.py.
"""
import base64
import hashlib
import shutil

import pytest
import requests
from playwright.sync_api import expect

from browser_support import (CSP_WATCH, PAGE_ENV, callback_query, consent_heading, new_request, privy_login, redeem)
from stack import PROJECT_DIR, Stack

pytestmark = pytest.mark.usefixtures("browser")

SDK_LOAD_FAILURE = "The sign-in service could not be loaded. Check your connection and try again."
SELF_HOSTED_PATH = "/vendor/privy-react-auth-2.13.0.js"


def sri(data, algorithm="sha384"):
    return f"{algorithm}-" + base64.b64encode(hashlib.new(algorithm, data).digest()).decode()


def fake_module(fake_privy):
    response = requests.get(fake_privy.sdk_url, timeout=10)
    response.raise_for_status()
    return response.content


class SelfHostedStack(Stack):
    """The stack serving a copy of public/ with the fake SDK module added under vendor/."""

    def __init__(self, run_dir, public_dir, env):
        super().__init__(run_dir, env={**env, "PUBLIC_DIR": str(public_dir)})
        self.public_dir = public_dir

    def adjust_nginx_config(self, config):
        original = f"root {PROJECT_DIR}/public;"
        assert config.count(original) == 1
        return config.replace(original, f"root {self.public_dir};")


@pytest.fixture(scope="module")
def integrity_stacks(tmp_path_factory, fake_privy):
    """Two stacks loading the fake module with PRIVY_SDK_INTEGRITY: its true hash, and another."""
    data = fake_module(fake_privy)
    running = {}
    try:
        for name, integrity in (("matching", sri(data)), ("wrong", sri(data + b"\n// changed\n"))):
            env = {**fake_privy.app_env(), **PAGE_ENV, "PRIVY_SDK_INTEGRITY": integrity}
            running[name] = Stack(tmp_path_factory.mktemp(f"sdk-integrity-{name}"), env=env).start()
        yield running
    finally:
        for stack in running.values():
            stack.stop()


@pytest.fixture(scope="module")
def self_hosted_stack(tmp_path_factory, fake_privy):
    folder = tmp_path_factory.mktemp("sdk-self-hosted")
    public = folder / "public"
    shutil.copytree(PROJECT_DIR / "public", public)
    data = fake_module(fake_privy)
    (public / SELF_HOSTED_PATH.lstrip("/")).parent.mkdir(parents=True)
    (public / SELF_HOSTED_PATH.lstrip("/")).write_bytes(data)
    env = {**fake_privy.app_env(), **PAGE_ENV, "PRIVY_SDK_URL": SELF_HOSTED_PATH, "PRIVY_SDK_INTEGRITY": sri(data)}
    (folder / "run").mkdir()
    running = SelfHostedStack(folder / "run", public, env).start()
    yield running
    running.stop()


def login_details(stack):
    _, _, _, url = new_request(stack.base_url)
    answer = requests.get(url, headers={"Accept": "application/json"}, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()["login"]


def sign_in_and_approve(stack, page, email):
    client_id, verifier, state, url = new_request(stack.base_url)
    page.goto(url)
    privy_login(page, email)
    expect(consent_heading(page)).to_be_visible()
    page.get_by_role("button", name="Approve").click()
    query = callback_query(page)
    assert query["state"] == state
    redeem(stack.base_url, client_id, query["code"], verifier)


def test_integrity_is_served_with_the_login_configuration(integrity_stacks, fake_privy):
    data = fake_module(fake_privy)
    login = login_details(integrity_stacks["matching"])
    assert login == {"mode": "privy", "app_id": fake_privy.app_id, "sdk_url": fake_privy.sdk_url,
                     "sdk_integrity": sri(data)}


def test_no_integrity_key_when_none_is_configured(privy_page_stack):
    assert "sdk_integrity" not in login_details(privy_page_stack)


def test_module_matching_its_integrity_signs_in(integrity_stacks, privy, open_browsing):
    """The page preloads the module with the configured hash on the element, then imports it."""
    stack = integrity_stacks["matching"]
    browsing = open_browsing(privy)
    page = browsing.page
    sign_in_and_approve(stack, page, "integrity@example.com")
    assert browsing.page_errors == []
    page.go_back()
    preload = page.locator(f'link[rel="modulepreload"][href="{privy.sdk_url}"]')
    expect(preload).to_have_count(1)
    assert preload.get_attribute("integrity") == login_details(stack)["sdk_integrity"]


def test_module_not_matching_its_integrity_is_refused(integrity_stacks, privy, open_browsing):
    """A module whose bytes do not match PRIVY_SDK_INTEGRITY is refused by the browser: the page
    shows the load failure, no sign-in is offered and nothing can be approved."""
    stack = integrity_stacks["wrong"]
    browsing = open_browsing(privy)
    page = browsing.page
    _, _, _, url = new_request(stack.base_url)
    page.goto(url)
    expect(page.get_by_role("alert")).to_contain_text(SDK_LOAD_FAILURE)
    preload = page.locator(f'link[rel="modulepreload"][href="{privy.sdk_url}"]')
    expect(preload).to_have_count(1)
    assert preload.get_attribute("integrity") == login_details(stack)["sdk_integrity"]
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_have_count(0)
    expect(consent_heading(page)).to_have_count(0)


def test_self_hosted_module_signs_in_under_self_only(self_hosted_stack, privy, open_browsing):
    """PRIVY_SDK_URL a path on our origin (a copy in public/): the page loads it from the site,
    with its integrity checked, under a policy whose script-src is only 'self' and the import
    map's hash: no third-party script host at all. The fake's token endpoint stands in for
    Privy's API in connect-src."""
    from test_browser_csp import import_map_hash
    policy = (f"default-src 'self'; script-src 'self' '{import_map_hash()}'; style-src 'self'; "
              f"connect-src 'self' {privy.base_url}; img-src 'self' data:; base-uri 'none'; form-action 'self'; "
              "frame-ancestors 'none'")
    assert login_details(self_hosted_stack)["sdk_url"] == SELF_HOSTED_PATH
    module = requests.get(self_hosted_stack.base_url + SELF_HOSTED_PATH, timeout=10)
    assert module.status_code == 200 and module.headers["Content-Type"] == "application/javascript"
    browsing = open_browsing(privy)
    page = browsing.page
    page.add_init_script(CSP_WATCH)
    # Privy's module requests, by where they went.
    loaded = []
    page.on("request", lambda request: loaded.append(request.url) if "privy" in request.url else None)

    def with_csp(route):
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": policy})

    page.route(self_hosted_stack.base_url + "/authorize?**", with_csp)
    # A document fulfilled by a route has no address space of its own, so Chromium's Local
    # Network Access check asks permission before it may reach the fake's token endpoint.
    browsing.context.grant_permissions(["local-network-access"], origin=self_hosted_stack.base_url)
    sign_in_and_approve(self_hosted_stack, page, "self-hosted@example.com")
    assert self_hosted_stack.base_url + SELF_HOSTED_PATH in loaded
    assert privy.sdk_url not in loaded
    assert page.evaluate("window.__cspViolations || []") == []
    assert browsing.page_errors == []
