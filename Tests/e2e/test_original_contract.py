"""The original system's two decision endpoints, replayed with exactly the bodies its clients send,
JSON and form-encoded, on memory and PostgreSQL: `POST /authorize/complete` (programmatic: no
response_type, no user_consent, optional fallback_token) and `POST /authorize` (the consent page's
decision: privy_user_id, privy_token and user_consent required).

Its answers: 200 {code, redirect_uri, state} with code, state and iss (RFC 9207 §2) on the
redirect URI; 400 invalid_client for an unknown client or unregistered redirect URI, never with a
redirect; 400 invalid_request for a missing field, a method other than S256 (RFC 7636 §4.4.1) or a
privy_user_id that is not the token's user; 401 invalid_token for a Privy token that does not
verify. Checks the original lacked keep their own answers (RFC 8707 invalid_target).
"""
import jwt
import pytest
import requests

import oauth_flow as flow
from conftest import EXCHANGE_CLIENT

CHATGPT_REDIRECT_URI = "https://chatgpt.com/connector_platform_oauth_redirect"
ENDPOINTS = ["/authorize/complete", "/authorize"]
ENCODINGS = ["json", "form"]


def original_body(base_url, client_id, endpoint, privy_token, user_id, redirect_uri=flow.REDIRECT_URI,
                  scope="read write"):
    """The fields the original's clients post, and no others; returns (body, PKCE verifier)."""
    verifier, challenge = flow.pkce_pair()
    body = {"client_id": client_id, "redirect_uri": redirect_uri, "scope": scope, "state": "original-state",
            "code_challenge": challenge, "code_challenge_method": "S256", "privy_token": privy_token}
    if endpoint == "/authorize":
        body.update({"privy_user_id": user_id, "user_consent": True})
    return body, verifier


def post(base_url, endpoint, body, encoding):
    present = {name: value for name, value in body.items() if value is not None}
    if encoding == "json":
        return requests.post(base_url + endpoint, json=present, timeout=10)
    # A form carries text: the original's page sent user_consent=true.
    form = {name: ("true" if value is True else "false" if value is False else value) for name, value in present.items()}
    return requests.post(base_url + endpoint, data=form, timeout=10)


@pytest.fixture(scope="module")
def client_id(privy_stack):
    return flow.register(privy_stack.base_url)["client_id"]


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_original_bodies_get_a_code_that_redeems(privy_stack, client_id, endpoint, encoding):
    base_url = privy_stack.base_url
    token, user_id = privy_stack.privy.mint(f"original-{encoding}@example.com")
    body, verifier = original_body(base_url, client_id, endpoint, token, user_id)
    answer = post(base_url, endpoint, body, encoding)
    assert answer.status_code == 200, answer.text
    assert answer.headers["Cache-Control"] == "no-store"
    decision = answer.json()
    assert set(decision) == {"code", "redirect_uri", "state"} and decision["state"] == "original-state"
    assert decision["redirect_uri"].startswith(flow.REDIRECT_URI + "?")
    assert flow.redirect_query(decision["redirect_uri"]) == {"code": decision["code"], "state": "original-state",
                                                              "iss": base_url}
    tokens = flow.exchange_code(base_url, client_id, decision["code"], verifier)
    assert tokens.status_code == 200, tokens.text
    claims = jwt.decode(tokens.json()["access_token"], options={"verify_signature": False})
    assert claims["sub"] == user_id and claims["scope"] == "read write"
    # Single use, as ours always were.
    assert flow.exchange_code(base_url, client_id, decision["code"], verifier).status_code == 400


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_fallback_token_is_used_when_the_privy_token_fails_and_the_code_is_bound_to_it(privy_stack, encoding):
    """The code's grant keeps whichever token verified: the Privy token exchange (granted here to
    the built-in ChatGPT client) hands back exactly the fallback token."""
    base_url = privy_stack.base_url
    expired, _ = privy_stack.privy.mint("fallback@example.com", lifetime=-600)
    fresh, user_id = privy_stack.privy.mint("fallback@example.com")
    body, verifier = original_body(base_url, EXCHANGE_CLIENT, "/authorize/complete", expired, user_id,
                                   redirect_uri=CHATGPT_REDIRECT_URI, scope="read privy:token:exchange")
    body["fallback_token"] = fresh
    answer = post(base_url, "/authorize/complete", body, encoding)
    assert answer.status_code == 200, answer.text
    tokens = flow.exchange_code(base_url, EXCHANGE_CLIENT, answer.json()["code"], verifier,
                                redirect_uri=CHATGPT_REDIRECT_URI)
    assert tokens.status_code == 200, tokens.text
    exchanged = requests.post(base_url + "/token/privy/access-token",
                              headers={"Authorization": "Bearer " + tokens.json()["access_token"]}, timeout=10)
    assert exchanged.status_code == 200, exchanged.text
    assert exchanged.json()["privy_access_token"] == fresh and exchanged.json()["privy_user_id"] == user_id

    # Both failing is 401 invalid_token; a fallback is never consulted when the Privy token verifies.
    body, _ = original_body(base_url, EXCHANGE_CLIENT, "/authorize/complete", expired, user_id,
                            redirect_uri=CHATGPT_REDIRECT_URI)
    body["fallback_token"] = expired
    both = post(base_url, "/authorize/complete", body, encoding)
    assert both.status_code == 401 and both.json()["error"] == "invalid_token", both.text


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_completion_optional_fields(privy_stack, client_id, encoding):
    """response_type and user_consent may be sent to the programmatic completion: `code` and
    `true` change nothing, another response type is unsupported_response_type, and `false` is a
    denial that answers access_denied at the redirect URI, without a code."""
    base_url = privy_stack.base_url
    token, user_id = privy_stack.privy.mint("optional@example.com")
    cases = [({"response_type": "code"}, 200, None), ({"user_consent": True}, 200, None),
             ({"response_type": "token"}, 400, "unsupported_response_type"),
             ({"user_consent": False}, 200, "access_denied")]
    for change, status, error in cases:
        body, _ = original_body(base_url, client_id, "/authorize/complete", token, user_id)
        body.update(change)
        answer = post(base_url, "/authorize/complete", body, encoding)
        assert answer.status_code == status, (change, answer.text)
        decision = answer.json()
        assert decision.get("error") == error, (change, decision)
        assert ("code" in decision) == (error is None), (change, decision)
        query = flow.redirect_query(decision["redirect_uri"])
        if error is not None:
            assert query["error"] == error and query["state"] == "original-state" and query["iss"] == base_url


def error_cases(endpoint, other_user_id):
    cases = [
        ("unknown client_id", {"client_id": "client_never_registered"}, 400, "invalid_client"),
        ("unregistered redirect_uri", {"redirect_uri": "https://evil.example/cb"}, 400, "invalid_client"),
        ("missing client_id", {"client_id": None}, 400, "invalid_request"),
        ("missing redirect_uri", {"redirect_uri": None}, 400, "invalid_request"),
        ("missing code_challenge", {"code_challenge": None}, 400, "invalid_request"),
        ("missing code_challenge_method", {"code_challenge_method": None}, 400, "invalid_request"),
        ("code_challenge_method plain", {"code_challenge_method": "plain"}, 400, "invalid_request"),
        ("privy_token that does not verify", {"privy_token": "x.y.z"}, 401, "invalid_token"),
        ("privy_user_id of another user", {"privy_user_id": other_user_id}, 400, "invalid_request"),
        ("resource of another server (our check)", {"resource": "https://evil.example/mcp"}, 400, "invalid_target"),
    ]
    if endpoint == "/authorize":
        cases += [("missing privy_user_id", {"privy_user_id": None}, 400, "invalid_request"),
                  ("missing privy_token", {"privy_token": None}, 400, "invalid_request")]
    return cases


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_original_error_answers(privy_stack, client_id, endpoint, encoding):
    base_url = privy_stack.base_url
    token, user_id = privy_stack.privy.mint("errors@example.com")
    _, other_user_id = privy_stack.privy.mint("someone-else@example.com")
    for name, change, status, error in error_cases(endpoint, other_user_id):
        body, _ = original_body(base_url, client_id, endpoint, token, user_id)
        body.update(change)
        answer = post(base_url, endpoint, body, encoding)
        assert answer.status_code == status, (name, answer.status_code, answer.text)
        decision = answer.json()
        assert decision["error"] == error and decision["error_description"], (name, decision)
        assert "code" not in decision, name
        if error == "invalid_client":
            assert "redirect_uri" not in decision, f"{name}: an untrusted client is never given a redirect"
