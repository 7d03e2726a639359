"""The OAuth sign-in page in a real browser (headless Chromium), when something fails.

A Privy token signed by a key the server does not know, the fake Privy token endpoint failing,
a Privy SDK module that cannot be loaded (404, throws on import, lacks its exports) and its
"Try again" (also behind the production site, nginx/production.conf), getAccessToken() failing,
an unknown client, and a request left open past its ten minutes. Each must leave the user on
our page with a clear message and nothing approved.

The flows that work are in test_browser_signin.py. Shared helpers: browser_support.py; fixtures
(browser, stacks, the fake Privy server, the production front): conftest.py.
"""
import json

import pytest
from playwright.sync_api import expect

from browser_support import (CLIENT_NAME, PAGE_ENV, callback_query, collect_csp_reports, consent_heading,
                             csp_violations, needs_chromium, new_request, privy_login, redeem)
from stack import Stack

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def privy_stack(privy_page_stack):
    """Here privy_stack is conftest.py's privy_page_stack (the sign-in page's stack, trusting the
    fake Privy server), not conftest.py's privy_stack."""
    return privy_page_stack


# With a query, as the default esm.sh URL has one: a retry adds "&retry=N" to it.
MISSING_SDK_PATH = "/no-such-module.mjs?external=react,react-dom"


@pytest.fixture(scope="module")
def missing_sdk_stack(tmp_path_factory, fake_privy):
    """Privy configured, but PRIVY_SDK_URL names a module the fake Privy server answers with 404."""
    env = {**fake_privy.app_env(), **PAGE_ENV, "PRIVY_SDK_URL": fake_privy.base_url + MISSING_SDK_PATH}
    running = Stack(tmp_path_factory.mktemp("missing-sdk-stack"), env=env).start()
    yield running
    running.stop()


# ---------------------------------------------------------------------------------------------
# Failures on the sign-in page


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
