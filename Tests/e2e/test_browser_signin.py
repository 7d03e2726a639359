"""The OAuth sign-in page in a real browser (headless Chromium), when everything works.

Against the real stack (nginx + FCGIApp): with Privy configured and the fake Privy SDK module
served by `fake_privy_server.py` (real ES256 tokens the server verifies), the Privy login,
consent, approval and denial, and the consent screen's email when the server had to look it up
(also when Privy's user API fails or is slow); without PRIVY_APP_ID, the development login. Then
keyboard-only use and the consent screenshots (light, dark, phone) in docs/screenshots/.

What the page does when something fails is in test_browser_signin_failures.py. Shared helpers:
browser_support.py; fixtures (browser, stacks, the fake Privy server): conftest.py.
"""
import pytest
from playwright.sync_api import expect

from browser_support import (CLIENT_NAME, PAGE_ENV, SCOPE_WORDS, callback_query, consent_heading, luminance, needs_chromium,
                             new_request, privy_login, redeem, screenshot, subject_of)
from fake_privy_server import user_id_for
from stack import PROJECT_DIR, Stack, wait_until

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def privy_stack(privy_page_stack):
    """Here privy_stack is conftest.py's privy_page_stack (the sign-in page's stack, trusting the
    fake Privy server), not conftest.py's privy_stack."""
    return privy_page_stack


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


@pytest.fixture(scope="module")
def notes_dev_stack(tmp_path_factory):
    """The development login serving the notes example's manifest, whose scopes have their own words."""
    env = {**PAGE_ENV, "APP_MANIFEST": str(PROJECT_DIR / "examples/notes/app.json"), "NOTES_API_KEY": "unused-here"}
    running = Stack(tmp_path_factory.mktemp("notes-dev-stack"), env=env).start()
    yield running
    running.stop()


def test_consent_shows_the_manifests_scope_wording(notes_dev_stack, open_browsing):
    """The consent screen's sentences are the manifest's (`scopes[].consent`), in its order; a
    request that names no scope is offered every scope of the app and staying connected."""
    _, _, _, url = new_request(notes_dev_stack.base_url)
    page = open_browsing().page
    page.goto(url)
    page.get_by_label("Email").fill("notes@example.com")
    page.get_by_role("button", name="Continue").click()
    expect(consent_heading(page)).to_be_visible()
    expect(page.locator("ul.scopes li")).to_have_text(
        ["See your notes", "Create notes for you", "Stay connected without signing in again"])


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
