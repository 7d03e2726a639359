"""Attacks on the OAuth 2.1 authorization server and the MCP endpoint, end to end through nginx.

Each test names the rule it checks in its docstring: RFC 6749 (OAuth 2.0), RFC 7636 (PKCE),
RFC 9700 (OAuth 2.0 Security BCP), RFC 8707 (resource indicators), RFC 9207 (iss in the
authorization response), RFC 6750 (bearer tokens), RFC 7515/7519/8725/9068 (JWS, JWT, JWT BCP,
JWT access tokens), and the MCP specification (2025-06-18 / 2025-11-25: Authorization, Transports).

The `stack` fixture (conftest.py) runs with a signing key generated inside the app, so tokens
forged here can only be signed with OTHER keys. `keyed_stack` runs with JWT keys this module
generates, so it can also mint tokens signed with the server's own key and change one claim at a
time (expired, not yet valid, wrong issuer, wrong audience, wrong typ): those tests prove the
claim checks themselves, not only the signature check.

Everything binds to 127.0.0.1; every loop is bounded in count and time.
"""
import base64
import hashlib
import hmac
import json
import re
import socket
import threading
import time
import uuid
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
import pytest
import requests
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

import oauth_flow as flow
from conftest import STORAGE_DRIVERS, start_fake_backend, stop_fake_backend, storage_environment
from stack import REFRESH_REUSE_INTERVAL, Stack, operator_keys

TIMEOUT = 10
APP_REDIRECT = "https://app.example.com/callback"
PING = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
MAX_BODY_BYTES = 1048576  # the default of MAX_BODY_BYTES (README, Configuration)


# ------------------------------------------------------------------------------------ helpers

def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_json(value) -> str:
    return b64url(json.dumps(value, separators=(",", ":")).encode())


def unverified(token):
    header, payload, _ = token.split(".")
    pad = lambda text: text + "=" * (-len(text) % 4)  # noqa: E731
    return json.loads(base64.urlsafe_b64decode(pad(header))), json.loads(base64.urlsafe_b64decode(pad(payload)))


def new_rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_pem(key) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def mcp(base_url, token=None, body=None, headers=None, path="/mcp", **kwargs):
    all_headers = {"Authorization": "Bearer " + token} if token else {}
    all_headers.update(headers or {})
    return requests.post(base_url + path, headers=all_headers, json=PING if body is None else body, timeout=TIMEOUT, **kwargs)


def challenge(response) -> dict:
    value = response.headers.get("WWW-Authenticate", "")
    assert value.startswith("Bearer "), value
    return dict(re.findall(r'(\w+)="([^"]*)"', value))


def assert_invalid_token(response, what=""):
    """RFC 6750 §3 / §3.1: 401 with a Bearer challenge naming error="invalid_token"."""
    assert response.status_code == 401, (what, response.status_code, response.text[:300])
    assert challenge(response).get("error") == "invalid_token", (what, response.headers.get("WWW-Authenticate"))


def assert_error_page(response, what=""):
    """RFC 6749 §4.1.2.1 / RFC 9700 §4.11.2: an untrusted redirect URI gets an error page; the
    user agent is never redirected there."""
    assert 400 <= response.status_code < 500, (what, response.status_code)
    assert "Location" not in response.headers, (what, response.headers.get("Location"))


def register(base_url, redirect_uris=(APP_REDIRECT,), name="attack client"):
    return flow.register(base_url, redirect_uris=redirect_uris, name=name)["client_id"]


def authorize_get(base_url, params, json_accept=False):
    headers = {"Accept": "application/json"} if json_accept else {}
    return requests.get(base_url + "/authorize?" + urlencode(params), headers=headers, allow_redirects=False,
                        timeout=TIMEOUT)


def full_flow(base_url, client_id=None, redirect_uri=flow.REDIRECT_URI, scope=None, resource=None, email=None):
    """register (unless given) -> authorize -> dev login -> consent -> token. Returns (client_id, tokens)."""
    client_id = client_id or flow.register(base_url, redirect_uris=(redirect_uri,))["client_id"]
    code, verifier, _ = flow.obtain_code(base_url, client_id, email or f"{uuid.uuid4().hex[:8]}@example.com",
                                         redirect_uri=redirect_uri, scope=scope, resource=resource)
    extra = {"resource": resource} if resource else {}
    response = flow.exchange_code(base_url, client_id, code, verifier, redirect_uri=redirect_uri, **extra)
    assert response.status_code == 200, response.text
    return client_id, response.json()


def jwks(base_url):
    return requests.get(base_url + "/.well-known/jwks.json", timeout=TIMEOUT).json()["keys"]


def rs256(header, claims, key) -> str:
    signing_input = b64url_json(header) + "." + b64url_json(claims)
    signature = key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    return signing_input + "." + b64url(signature)


def hs256(header, claims, secret: bytes) -> str:
    signing_input = b64url_json(header) + "." + b64url_json(claims)
    return signing_input + "." + b64url(hmac.new(secret, signing_input.encode(), hashlib.sha256).digest())


def app_alive(stack):
    assert stack.app.poll() is None, "FCGIApp exited: " + stack.app_log_text()[-2000:]
    assert requests.get(stack.base_url + "/health", timeout=TIMEOUT).status_code == 200


# --------------------------------------------------------------------------- keyed_stack

@pytest.fixture(scope="module", params=STORAGE_DRIVERS)
def keyed_stack(request, tmp_path_factory):
    """The stack with JWT keys known to the test (as an operator would configure them)."""
    key, environment = operator_keys()
    running = Stack(tmp_path_factory.mktemp("keyed-stack"), env={**storage_environment(request.param), **environment}).start()
    running.signing_key = key
    yield running
    running.stop()


# ============================================================== authorization code and PKCE

def test_authorization_code_replay_is_refused_and_revokes_what_it_issued(stack):
    """RFC 6749 §4.1.2 and §10.5, OAuth 2.1 §4.1.3: a code works once; a
    second use is refused and SHOULD revoke the tokens the first use issued."""
    client_id = register(stack.base_url, (flow.REDIRECT_URI,))
    code, verifier, _ = flow.obtain_code(stack.base_url, client_id)
    first = flow.exchange_code(stack.base_url, client_id, code, verifier)
    assert first.status_code == 200, first.text
    tokens = first.json()
    assert mcp(stack.base_url, tokens["access_token"]).status_code == 200

    replay = flow.exchange_code(stack.base_url, client_id, code, verifier)
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
    assert_invalid_token(mcp(stack.base_url, tokens["access_token"]), "access token issued from a replayed code")
    assert flow.refresh(stack.base_url, client_id, tokens["refresh_token"]).json()["error"] == "invalid_grant"


@pytest.mark.parametrize("change", [
    {"code_challenge_method": "plain"},       # RFC 7636 §4.2: plain is a downgrade; OAuth 2.1 §4.1.1: S256 only
    {"code_challenge_method": None},          # RFC 7636 §4.3: absent method means plain
    {"code_challenge": None},                 # RFC 9700 §2.1.1 / §4.8.2: PKCE required, no downgrade to none
    {"code_challenge": "short"},              # RFC 7636 §4.2: 43 characters of base64url(SHA-256)
])
def test_pkce_downgrade_at_authorize_is_refused(stack, change):
    """RFC 7636 §4.4.1 and RFC 9700 §2.1.1/§4.8: the request is refused (invalid_request), sent
    back to the registered redirect URI with state and iss (RFC 9207 §2)."""
    client_id = register(stack.base_url)
    _, challenge_value = flow.pkce_pair()
    params = flow.authorize_params(client_id, challenge_value, redirect_uri=APP_REDIRECT)
    for name, value in change.items():
        params.pop(name) if value is None else params.__setitem__(name, value)
    response = authorize_get(stack.base_url, params)
    assert response.status_code == 302
    query = flow.redirect_query(response.headers["Location"])
    assert response.headers["Location"].startswith(APP_REDIRECT + "?")
    assert query["error"] == "invalid_request" and query["state"] == "state-123" and query["iss"] == stack.base_url


@pytest.mark.parametrize("verifier_kind, errors", [
    ("missing", ("invalid_request", "invalid_grant")),   # RFC 7636 §4.5: code_verifier REQUIRED
    ("wrong", ("invalid_grant",)),                       # RFC 7636 §4.6: must match the challenge
    ("challenge", ("invalid_grant",)),                   # the challenge itself (a "plain" downgrade)
    ("short", ("invalid_request", "invalid_grant")),     # RFC 7636 §4.1: 43..128 characters
])
def test_pkce_verifier_must_match_at_the_token_endpoint(stack, verifier_kind, errors):
    """RFC 7636 §4.5/§4.6, RFC 9700 §4.8.2: without the right code_verifier the code is useless."""
    client_id = register(stack.base_url, (flow.REDIRECT_URI,))
    verifier, challenge_value = flow.pkce_pair()
    details = flow.consent_details(stack.base_url, flow.authorize_params(client_id, challenge_value))
    request_params = details.json()["request"]
    decision = flow.decide(stack.base_url, request_params, flow.dev_login(stack.base_url))
    code = flow.redirect_query(decision.json()["redirect_uri"])["code"]
    data = {"grant_type": "authorization_code", "code": code, "client_id": client_id, "redirect_uri": flow.REDIRECT_URI}
    data.update({"missing": {}, "wrong": {"code_verifier": flow.pkce_pair()[0]},
                 "challenge": {"code_verifier": challenge_value}, "short": {"code_verifier": verifier[:42]}}[verifier_kind])
    response = requests.post(stack.base_url + "/token", data=data, timeout=TIMEOUT)
    assert response.status_code == 400 and response.json()["error"] in errors, response.text
    assert "access_token" not in response.json()


# ===================================================================== redirect URI tricks

REGISTERED_TRICKS = [
    ("prefix", "https://app.example.com/call"),
    ("prefix: host only", "https://app.example.com/"),
    ("suffix: path", "https://app.example.com/callback/evil"),
    ("suffix: characters", "https://app.example.com/callbackevil"),
    ("suffix: host", "https://app.example.com.evil.example/callback"),
    ("added query", "https://app.example.com/callback?next=https://evil.example"),
    ("path traversal", "https://app.example.com/callback/../../evil"),
    ("path traversal: encoded", "https://app.example.com/callback/%2e%2e/evil"),
    ("path traversal: encoded slash", "https://app.example.com/callback%2F..%2Fevil"),
    ("path traversal: into it", "https://app.example.com/evil/../callback"),
    ("userinfo @ evil host", "https://app.example.com@evil.example/callback"),
    ("userinfo @ same host", "https://evil.example@app.example.com/callback"),
    ("encoded @", "https://app.example.com%40evil.example/callback"),
    ("backslash", "https://app.example.com\\@evil.example/callback"),
    ("explicit default port", "https://app.example.com:443/callback"),
    ("other port", "https://app.example.com:8443/callback"),
    ("upper-case host", "https://APP.EXAMPLE.COM/callback"),
    ("upper-case path", "https://app.example.com/CALLBACK"),
    ("upper-case scheme", "HTTPS://app.example.com/callback"),
    ("http downgrade", "http://app.example.com/callback"),
    ("encoded character", "https://app.example.com/%63allback"),
    ("encoded NUL", "https://app.example.com/callback%00"),
    ("encoded fragment", "https://app.example.com/callback%23x"),
    ("empty fragment", "https://app.example.com/callback#"),
    ("fragment", "https://app.example.com/callback#x"),
    ("trailing slash", "https://app.example.com/callback/"),
    ("trailing dot in host", "https://app.example.com./callback"),
    ("leading space", " https://app.example.com/callback"),
    ("trailing space", "https://app.example.com/callback "),
    ("homograph", "https://app.example.com/callbac\u043a"),
]
CONNECTOR_TRICKS = [
    ("connector: traversal", "https://chatgpt.com/connector/oauth/abc/../../../evil"),
    ("connector: encoded traversal", "https://chatgpt.com/connector/oauth/abc%2F..%2F..%2Fevil"),
    ("connector: userinfo", "https://chatgpt.com/connector/oauth/abc@evil.example"),
    ("connector: fragment", "https://chatgpt.com/connector/oauth/abc#x"),
    ("connector: query", "https://chatgpt.com/connector/oauth/abc?x=1"),
    ("connector: empty id", "https://chatgpt.com/connector/oauth/"),
    ("connector: host suffix", "https://chatgpt.com.evil.example/connector/oauth/abc"),
    ("connector: port", "https://chatgpt.com:444/connector/oauth/abc"),
    ("connector: http", "http://chatgpt.com/connector/oauth/abc"),
    ("connector: upper-case host", "https://CHATGPT.com/connector/oauth/abc"),
    ("connector: id with dot", "https://chatgpt.com/connector/oauth/abc.evil"),
    ("connector: id too long", "https://chatgpt.com/connector/oauth/" + "a" * 129),
]


@pytest.fixture(scope="module")
def trick_client(stack):
    return register(stack.base_url)


@pytest.mark.parametrize("what, uri", REGISTERED_TRICKS + CONNECTOR_TRICKS, ids=[t[0] for t in REGISTERED_TRICKS + CONNECTOR_TRICKS])
def test_redirect_uri_tricks_get_an_error_page_never_a_redirect(stack, trick_client, what, uri):
    """RFC 9700 §4.1.3 and §2.1 (exact string matching of redirect URIs), RFC 6749 §3.1.2.2,
    §4.1.2.1 (never redirect to an unverified URI), OAuth 2.1 §4.1.2.1: GET /authorize shows an
    error page without Location, the JSON variant is a 4xx without Location, and the user's
    decision (POST /authorize) is refused without naming the URI as the place to go."""
    client_id = "chatgpt-connector" if what.startswith("connector") else trick_client
    _, challenge_value = flow.pkce_pair()
    params = flow.authorize_params(client_id, challenge_value, redirect_uri=uri)
    assert_error_page(authorize_get(stack.base_url, params), what)
    details = authorize_get(stack.base_url, params, json_accept=True)
    assert_error_page(details, what)
    assert details.json()["error"] in ("invalid_request", "invalid_client")

    decision = flow.decide(stack.base_url, params, flow.dev_login(stack.base_url))
    assert_error_page(decision, what)
    assert "redirect_uri" not in decision.json() and "code" not in decision.json()


def test_registered_redirect_uri_itself_works(stack, trick_client):
    """Control for the tricks above: the exact registered URI is accepted (RFC 9700 §4.1.3)."""
    _, challenge_value = flow.pkce_pair()
    details = authorize_get(stack.base_url, flow.authorize_params(trick_client, challenge_value, redirect_uri=APP_REDIRECT),
                            json_accept=True)
    assert details.status_code == 200, details.text


@pytest.mark.parametrize("uri", ["https://app.example.com/caf\u00e9", "https://app.example.com/cafe\u0301",
                                 "https://app.example.com/cb#\u0301", "https://app.example.com@\u0301evil.example/cb"])
def test_registration_refuses_non_ascii_redirect_uris(stack, uri):
    """RFC 3986 §2 (URIs are ASCII; anything else is percent-encoded), RFC 6749 §3.1.2 (no
    fragment), RFC 3986 §3.2.1 (no user info): a combining mark after '#' or '@' must not hide
    them, and canonically equivalent spellings must not become equal URIs (fuzzing found both;
    fixed by comparing bytes and refusing non-ASCII URIs)."""
    response = requests.post(stack.base_url + "/register", json={"redirect_uris": [uri]}, timeout=TIMEOUT)
    assert response.status_code == 400 and response.json()["error"] == "invalid_redirect_uri", response.text


def test_redirect_uri_comparison_is_by_bytes(stack):
    """RFC 9700 §4.1.3 / RFC 3986 §6.2.1: exact, simple string comparison. A client registered
    with the percent-encoded form gets neither the raw UTF-8 spelling, nor a canonically
    equivalent encoding (NFD), nor a lower-case percent-encoding."""
    registered = "https://app.example.com/caf%C3%A9"
    client_id = register(stack.base_url, (registered,))
    _, challenge_value = flow.pkce_pair()
    assert authorize_get(stack.base_url, flow.authorize_params(client_id, challenge_value, redirect_uri=registered),
                         json_accept=True).status_code == 200
    for other in ("https://app.example.com/caf\u00e9", "https://app.example.com/cafe%CC%81",
                  "https://app.example.com/caf%c3%a9"):
        params = flow.authorize_params(client_id, challenge_value, redirect_uri=other)
        assert_error_page(authorize_get(stack.base_url, params), other)
        assert_error_page(authorize_get(stack.base_url, params, json_accept=True), other)


# ======================================================================= open redirect on error

def test_errors_before_the_client_is_trusted_never_redirect(stack):
    """RFC 6749 §4.1.2.1 and RFC 9700 §4.11.2 (open redirectors): unknown client, missing
    client_id, a client with several URIs and none named, or a repeated redirect_uri: an error
    page, no Location, whatever redirect_uri says."""
    _, challenge_value = flow.pkce_pair()
    two_uris = register(stack.base_url, (APP_REDIRECT, "https://app.example.com/other"))
    one_uri = register(stack.base_url)
    cases = {
        "unknown client": flow.authorize_params("client_unknown", challenge_value, redirect_uri="https://evil.example/cb"),
        "missing client_id": {k: v for k, v in flow.authorize_params("x", challenge_value,
                                                                     redirect_uri="https://evil.example/cb").items()
                              if k != "client_id"},
        "several URIs, none named": {k: v for k, v in flow.authorize_params(two_uris, challenge_value).items()
                                     if k != "redirect_uri"},
    }
    for what, params in cases.items():
        assert_error_page(authorize_get(stack.base_url, params), what)
        assert_error_page(authorize_get(stack.base_url, params, json_accept=True), what)
    # RFC 6749 §3.1: parameters MUST NOT be repeated (one good, one evil redirect_uri).
    query = urlencode(flow.authorize_params(one_uri, challenge_value, redirect_uri=APP_REDIRECT)) \
        + "&" + urlencode({"redirect_uri": "https://evil.example/cb"})
    repeated = requests.get(stack.base_url + "/authorize?" + query, allow_redirects=False, timeout=TIMEOUT)
    assert_error_page(repeated, "repeated redirect_uri")


@pytest.mark.parametrize("change, error", [
    ({"response_type": "token"}, "unsupported_response_type"),
    ({"scope": "admin"}, "invalid_scope"),
    ({"resource": "https://other.example"}, "invalid_target"),
])
def test_errors_after_the_client_is_trusted_go_only_to_the_registered_uri(stack, change, error):
    """RFC 6749 §4.1.2.1 (second paragraph) and RFC 9700 §4.11.2: other errors go back to the
    client, and only to its registered redirect URI (never to a host the request names)."""
    client_id = register(stack.base_url)
    _, challenge_value = flow.pkce_pair()
    params = {**flow.authorize_params(client_id, challenge_value, redirect_uri=APP_REDIRECT), **change}
    response = authorize_get(stack.base_url, params)
    assert response.status_code == 302
    location = urlparse(response.headers["Location"])
    assert (location.scheme, location.netloc, location.path) == ("https", "app.example.com", "/callback")
    assert flow.redirect_query(response.headers["Location"])["error"] == error


# ===================================================================== state and iss (RFC 9207)

STATE = "a b&c=d/é?#%25+\u00e9\u4e2d"


def test_state_is_echoed_exactly_and_iss_is_present_on_success(stack):
    """RFC 6749 §4.1.2 (state exactly as received), RFC 9207 §2 (iss in every authorization
    response), RFC 9700 §4.4.2 (mix-up defence): on the success redirect."""
    client_id = register(stack.base_url)
    _, challenge_value = flow.pkce_pair()
    params = flow.authorize_params(client_id, challenge_value, redirect_uri=APP_REDIRECT, state=STATE)
    details = authorize_get(stack.base_url, params, json_accept=True).json()
    decision = flow.decide(stack.base_url, details["request"], flow.dev_login(stack.base_url)).json()
    assert decision["state"] == STATE
    query = parse_qs(urlparse(decision["redirect_uri"]).query)
    assert query["state"] == [STATE] and query["iss"] == [stack.base_url] and len(query["code"]) == 1
    metadata = requests.get(stack.base_url + "/.well-known/oauth-authorization-server", timeout=TIMEOUT).json()
    assert metadata["authorization_response_iss_parameter_supported"] is True


def test_state_and_iss_on_error_redirects_and_no_state_when_none_was_sent(stack):
    """RFC 6749 §4.1.2.1 (state in error responses too), RFC 9207 §2 (iss in error responses)."""
    client_id = register(stack.base_url)
    _, challenge_value = flow.pkce_pair()
    params = flow.authorize_params(client_id, challenge_value, redirect_uri=APP_REDIRECT, state=STATE, scope="admin")
    query = parse_qs(urlparse(authorize_get(stack.base_url, params).headers["Location"]).query)
    assert query["state"] == [STATE] and query["iss"] == [stack.base_url] and query["error"] == ["invalid_scope"]

    denied = flow.decide(stack.base_url, authorize_get(stack.base_url, {**params, "scope": "read"}, json_accept=True)
                         .json()["request"], flow.dev_login(stack.base_url), approve=False).json()
    query = parse_qs(urlparse(denied["redirect_uri"]).query)
    assert query["error"] == ["access_denied"] and query["state"] == [STATE] and query["iss"] == [stack.base_url]

    params.pop("state")
    query = parse_qs(urlparse(authorize_get(stack.base_url, params).headers["Location"]).query)
    assert "state" not in query and query["iss"] == [stack.base_url]


# ==================================================================== client impersonation

def test_code_redeemed_by_another_client_is_refused(stack):
    """RFC 6749 §4.1.3 (the code was issued to this client_id), RFC 9700 §4.5 (code injection):
    client B cannot redeem client A's code, even with A's verifier and redirect URI."""
    client_a = register(stack.base_url, (flow.REDIRECT_URI,))
    client_b = register(stack.base_url, (flow.REDIRECT_URI,))
    code, verifier, _ = flow.obtain_code(stack.base_url, client_a)
    for other in (client_b, "chatgpt-connector"):
        response = flow.exchange_code(stack.base_url, other, code, verifier)
        assert response.status_code in (400, 401) and response.json()["error"] in ("invalid_grant", "invalid_client"), other


def test_refresh_token_used_by_another_client_is_refused_and_revocation_by_it_is_ignored(stack):
    """RFC 6749 §6 (the refresh token is bound to the client it was issued to), RFC 7009 §2.1
    (a client may only revoke its own tokens)."""
    client_a, tokens = full_flow(stack.base_url)
    client_b = register(stack.base_url, (flow.REDIRECT_URI,))
    stolen = flow.refresh(stack.base_url, client_b, tokens["refresh_token"])
    assert stolen.status_code == 400 and stolen.json()["error"] == "invalid_grant"
    revoke = requests.post(stack.base_url + "/revoke", data={"token": tokens["refresh_token"], "client_id": client_b},
                           timeout=TIMEOUT)
    assert revoke.status_code in (200, 400, 401)
    assert mcp(stack.base_url, tokens["access_token"]).status_code == 200
    own = flow.refresh(stack.base_url, client_a, tokens["refresh_token"])
    assert own.status_code == 200, own.text


def test_refresh_token_reuse_after_rotation_revokes_the_grant(stack):
    """RFC 9700 §4.14.2 and OAuth 2.1 §4.3.1: refresh tokens rotate; presenting a used one after
    the reuse interval is refused and revokes the whole grant (every refresh and access token of it)."""
    client_id, first = full_flow(stack.base_url)
    rotated = flow.refresh(stack.base_url, client_id, first["refresh_token"])
    assert rotated.status_code == 200
    second = rotated.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert mcp(stack.base_url, second["access_token"]).status_code == 200

    time.sleep(REFRESH_REUSE_INTERVAL + 0.2)
    reuse = flow.refresh(stack.base_url, client_id, first["refresh_token"])
    assert reuse.status_code == 400 and reuse.json()["error"] == "invalid_grant"
    assert flow.refresh(stack.base_url, client_id, second["refresh_token"]).json()["error"] == "invalid_grant"
    assert_invalid_token(mcp(stack.base_url, second["access_token"]), "access token of a revoked grant")
    assert_invalid_token(mcp(stack.base_url, first["access_token"]), "first access token of a revoked grant")


def test_parallel_refreshes_with_one_token_keep_the_grant_and_a_late_reuse_revokes_it(stack):
    """A client retrying a refresh whose answer it lost (here: eight at once with one token) is
    not a thief: within REFRESH_REUSE_INTERVAL every one gets new tokens and the grant stays
    (RFC 9700 §4.14.2 leaves the detection window to the server; Auth0 and Okta offer the same).
    The same token presented after the interval revokes the grant as before."""
    client_id, first = full_flow(stack.base_url)
    answers = [None] * 8

    def refresh(index):
        answers[index] = flow.refresh(stack.base_url, client_id, first["refresh_token"])

    threads = [threading.Thread(target=refresh, args=(index,)) for index in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert [answer.status_code for answer in answers] == [200] * 8, [answer.text for answer in answers]
    issued = [answer.json() for answer in answers]
    assert len({tokens["refresh_token"] for tokens in issued}) == 8
    for tokens in issued:
        assert mcp(stack.base_url, tokens["access_token"]).status_code == 200
    assert flow.refresh(stack.base_url, client_id, issued[3]["refresh_token"]).status_code == 200

    time.sleep(REFRESH_REUSE_INTERVAL + 0.2)
    late = flow.refresh(stack.base_url, client_id, first["refresh_token"])
    assert late.status_code == 400 and late.json()["error"] == "invalid_grant"
    assert_invalid_token(mcp(stack.base_url, issued[0]["access_token"]), "access token of a grant revoked by a late reuse")
    assert flow.refresh(stack.base_url, client_id, issued[5]["refresh_token"]).json()["error"] == "invalid_grant"


def test_scope_cannot_grow_at_refresh(stack):
    """RFC 6749 §6: the requested scope MUST NOT include any scope not originally granted
    (invalid_scope, RFC 6749 §5.2); a narrower scope is allowed."""
    client_id, tokens = full_flow(stack.base_url, scope="read offline_access")
    for wider in ("read write", "read offline_access write", "privy:token:exchange", "admin"):
        response = flow.refresh(stack.base_url, client_id, tokens["refresh_token"], scope=wider)
        assert response.status_code == 400 and response.json()["error"] == "invalid_scope", (wider, response.text)
    narrower = flow.refresh(stack.base_url, client_id, tokens["refresh_token"], scope="read")
    assert narrower.status_code == 200, narrower.text
    assert narrower.json()["scope"].split() == ["read"]
    assert unverified(narrower.json()["access_token"])[1]["scope"].split() == ["read"]


# ===================================================================== audience (RFC 8707)

def test_token_of_another_key_for_another_audience_is_refused(stack):
    """RFC 8707 §2, RFC 9068 §4, RFC 8725 §3.9, MCP Authorization (token audience validation,
    no token passthrough): a token for another resource, signed with a key that is not ours
    (with our kid, and with its own), is refused at /mcp."""
    attacker = new_rsa_key()
    our_kid = jwks(stack.base_url)[0]["kid"]
    now = int(time.time())
    claims = {"iss": stack.base_url, "sub": "did:privy:victim", "aud": "https://other.example", "client_id": "chatgpt-connector",
              "scope": "read write", "jti": str(uuid.uuid4()), "iat": now, "exp": now + 600}
    for kid in (our_kid, "attacker-key"):
        token = jwt.encode(claims, attacker, algorithm="RS256", headers={"kid": kid, "typ": "at+jwt"})
        assert_invalid_token(mcp(stack.base_url, token), f"aud=other, kid={kid}")
    token = jwt.encode({**claims, "aud": stack.base_url + "/mcp"}, attacker, algorithm="RS256",
                       headers={"kid": our_kid, "typ": "at+jwt"})
    assert_invalid_token(mcp(stack.base_url, token), "our audience, another key")


def test_resource_indicators_bind_the_token_audience(stack):
    """RFC 8707 §2: resource=<base URL> gives a token whose aud is the base URL and that works at
    /mcp (both are our resource); resource=https://other.example is invalid_target at /authorize
    (RFC 8707 §2 error code)."""
    _, tokens = full_flow(stack.base_url, resource=stack.base_url)
    assert unverified(tokens["access_token"])[1]["aud"] == stack.base_url
    assert mcp(stack.base_url, tokens["access_token"]).status_code == 200

    client_id = register(stack.base_url)
    _, challenge_value = flow.pkce_pair()
    response = authorize_get(stack.base_url, flow.authorize_params(client_id, challenge_value, redirect_uri=APP_REDIRECT,
                                                                   resource="https://other.example"))
    assert response.status_code == 302
    assert flow.redirect_query(response.headers["Location"])["error"] == "invalid_target"


@pytest.mark.parametrize("headers", [{"Host": "evil.example"}, {"X-Forwarded-Host": "evil.example"},
                                     {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example:443"},
                                     {"Forwarded": "host=evil.example;proto=https"}])
def test_issuer_and_endpoints_ignore_request_host_headers(stack, headers):
    """RFC 8414 §3.3 (the issuer in the metadata is the configured one), RFC 9207 §2 and RFC 9728
    §3.3: metadata, the 401 challenge and the iss of redirects come from SERVER_BASE_URL, never
    from Host or X-Forwarded-* (host header injection would point clients at an attacker)."""
    metadata = requests.get(stack.base_url + "/.well-known/oauth-authorization-server", headers=headers, timeout=TIMEOUT)
    assert metadata.status_code in (200, 400, 404), metadata.status_code  # nginx may refuse an unknown Host
    if metadata.status_code == 200:
        assert "evil.example" not in metadata.text and metadata.json()["issuer"] == stack.base_url
    resource = requests.get(stack.base_url + "/.well-known/oauth-protected-resource/mcp", headers=headers, timeout=TIMEOUT)
    if resource.status_code == 200:
        assert "evil.example" not in resource.text
    challenge_response = requests.post(stack.base_url + "/mcp", json=PING, headers=headers, timeout=TIMEOUT)
    assert "evil.example" not in challenge_response.headers.get("WWW-Authenticate", "")
    client_id = register(stack.base_url)
    _, challenge_value = flow.pkce_pair()
    redirect = requests.get(stack.base_url + "/authorize?" + urlencode(flow.authorize_params(
        client_id, challenge_value, redirect_uri=APP_REDIRECT, scope="admin")), headers=headers, allow_redirects=False,
        timeout=TIMEOUT)
    if redirect.status_code == 302:
        assert flow.redirect_query(redirect.headers["Location"])["iss"] == stack.base_url


# ======================================================================= JWT tricks at /mcp

def forged_tokens(base_url, real):
    """Each forgery derived from a real access token of ours."""
    header, claims = unverified(real)
    signing_input, signature = real.rsplit(".", 1)
    key = jwks(base_url)[0]
    attacker = new_rsa_key()
    escalated = {**claims, "scope": "read write privy:token:exchange"}
    modulus = base64.urlsafe_b64decode(key["n"] + "=" * (-len(key["n"]) % 4))
    jwk_text = json.dumps(key, separators=(",", ":"), sort_keys=True).encode()
    public = jwt.PyJWK(key).key
    pem = public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    pkcs1 = public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1)
    attacker_jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(attacker.public_key()))
    return {
        # RFC 8725 §2.1 / §3.1, RFC 7518 §3.6: "none" is never accepted.
        "alg none, no signature": b64url_json({**header, "alg": "none"}) + "." + signing_input.split(".")[1] + ".",
        "alg none, signature kept": b64url_json({**header, "alg": "none"}) + "." + signing_input.split(".")[1] + "." + signature,
        "alg NONE": b64url_json({**header, "alg": "NONE"}) + "." + signing_input.split(".")[1] + ".",
        # RFC 8725 §2.1 / §3.1 (key confusion): HS256 with our public key as the HMAC secret.
        "HS256, public key PEM as secret": hs256({**header, "alg": "HS256"}, escalated, pem),
        "HS256, PKCS#1 PEM as secret": hs256({**header, "alg": "HS256"}, escalated, pkcs1),
        "HS256, JWK JSON as secret": hs256({**header, "alg": "HS256"}, escalated, jwk_text),
        "HS256, modulus as secret": hs256({**header, "alg": "HS256"}, escalated, modulus),
        # RFC 7515 §4.1.4 (kid is a hint, never a path or query), RFC 8725 §3.10.
        "kid path traversal": rs256({**header, "kid": "../../etc/passwd"}, claims, attacker),
        "kid /dev/null": rs256({**header, "kid": "/dev/null"}, claims, attacker),
        "kid SQL": rs256({**header, "kid": "' OR '1'='1"}, claims, attacker),
        "kid empty": rs256({**header, "kid": ""}, claims, attacker),
        "kid not a string": rs256({**header, "kid": 1}, claims, attacker),
        "kid missing": rs256({k: v for k, v in header.items() if k != "kid"}, claims, attacker),
        "kid of our key, signed by another": rs256(header, escalated, attacker),
        # RFC 8725 §3.1: keys named in the token itself are not trusted.
        "embedded jwk": rs256({**header, "jwk": attacker_jwk}, escalated, attacker),
        "jku to attacker": rs256({**header, "jku": "http://127.0.0.1:9/jwks.json"}, escalated, attacker),
        "x5u to attacker": rs256({**header, "x5u": "http://127.0.0.1:9/cert.pem"}, escalated, attacker),
        "RS512 with another key": jwt.encode(claims, attacker, algorithm="RS512", headers={"kid": header["kid"]}),
        "PS256 with another key": jwt.encode(claims, attacker, algorithm="PS256", headers={"kid": header["kid"]}),
        # RFC 7515 §5.2: the signature covers header and payload; nothing may change.
        "signature stripped": signing_input + ".",
        "signature segment missing": signing_input,
        "payload changed, signature kept": signing_input.split(".")[0] + "." + b64url_json(escalated) + "." + signature,
        "header changed, signature kept": b64url_json({**header, "typ": "JWT"}) + "." + signing_input.split(".")[1] + "." + signature,
        "signature truncated": signing_input + "." + signature[:-4],
        "signature padded": signing_input + "." + signature + "==",
        "extra segment": real + ".e30",
        "JWE-shaped": ".".join([b64url_json({"alg": "RSA-OAEP", "enc": "A256GCM"}), "", "", "", ""]),
    }


def test_jwt_tricks_at_mcp_are_401_invalid_token(stack):
    """RFC 6750 §3.1 (invalid_token), RFC 7515 §5.2, RFC 7519 §7.2, RFC 8725 §2.1/§3.1/§3.10:
    every forgery of a real token is refused with 401 and error="invalid_token"; the real one works."""
    _, tokens = full_flow(stack.base_url)
    real = tokens["access_token"]
    assert mcp(stack.base_url, real).status_code == 200
    failures = []
    for what, token in forged_tokens(stack.base_url, real).items():
        response = mcp(stack.base_url, token)
        header = response.headers.get("WWW-Authenticate", "")
        if response.status_code != 401 or not header.startswith("Bearer ") or 'error="invalid_token"' not in header:
            failures.append((what, response.status_code, header, response.text[:120]))
        elif token.split(".")[-1] and token.split(".")[-1] in response.text + header:
            failures.append((what, "the answer echoes the token"))
    assert not failures, failures
    # Not a b64token at all (RFC 6750 §2.1): no credentials were presented, so 401 without an
    # error code (RFC 6750 §3.1 allows that) or 400 invalid_request; never accepted.
    for what, header in (("whitespace inside", "Bearer " + real.replace(".", ". ", 1)), ("NUL", "Bearer " + real + "%00"),
                         ("non-ASCII", "Bearer " + real + "\u00e9"), ("comma list", "Bearer " + real + ", Bearer x")):
        response = requests.post(stack.base_url + "/mcp", headers={"Authorization": header.encode("utf-8")}, json=PING,
                                 timeout=TIMEOUT)
        assert response.status_code in (400, 401), (what, response.status_code)
    assert mcp(stack.base_url, real).status_code == 200  # nothing above disturbed the real session


def mint(stack, claims_change, header_change=None, remove=()):
    """A token signed with the SERVER'S key (keyed_stack), for a live session: one claim changed."""
    _, tokens = full_flow(stack.base_url)
    header, claims = unverified(tokens["access_token"])
    claims.update(claims_change)
    for name in remove:
        claims.pop(name, None)
    header.update(header_change or {})
    return tokens["access_token"], rs256(header, claims, stack.signing_key)


def test_minted_control_token_with_the_servers_key_works(keyed_stack):
    """Control for the claim tests below: re-signing a real token's claims with the configured
    key gives a token the server accepts, so a 401 below comes from the one changed claim."""
    real, minted = mint(keyed_stack, {})
    assert mcp(keyed_stack.base_url, minted).status_code == 200


@pytest.mark.parametrize("what, change, remove", [
    ("expired", lambda now: {"exp": now - 5, "iat": now - 3605}, ()),             # RFC 7519 §4.1.4
    ("not yet valid: nbf", lambda now: {"nbf": now + 3600}, ()),                   # RFC 7519 §4.1.5
    ("issued in the future", lambda now: {"iat": now + 3600, "exp": now + 7200}, ()),  # RFC 7519 §4.1.6
    ("wrong issuer", lambda now: {"iss": "https://evil.example"}, ()),             # RFC 7519 §4.1.1, RFC 9068 §4
    ("issuer with trailing slash", lambda now: {"iss": "@BASE@/"}, ()),
    ("another audience", lambda now: {"aud": "https://other.example"}, ()),        # RFC 8707, RFC 9068 §4
    ("audience list without us", lambda now: {"aud": ["https://other.example"]}, ()),
    ("no exp", lambda now: {}, ("exp",)),                                          # RFC 9068 §2.2: exp REQUIRED
    ("exp as a string", lambda now: {"exp": str(now + 600)}, ()),
    ("unknown jti", lambda now: {"jti": str(uuid.uuid4())}, ()),                    # no session: cannot be revoked
    ("another subject", lambda now: {"sub": "did:privy:someone-else"}, ()),
    ("another client", lambda now: {"client_id": "chatgpt-connector"}, ()),
])
def test_claims_of_tokens_signed_with_the_servers_key_are_checked(keyed_stack, what, change, remove):
    """RFC 7519 §4.1, RFC 9068 §4 (validate iss, aud, exp; the token's session, RFC 7009): each
    gives 401 with error="invalid_token"."""
    now = int(time.time())
    claims = {k: (v.replace("@BASE@", keyed_stack.base_url) if isinstance(v, str) else v) for k, v in change(now).items()}
    _, minted = mint(keyed_stack, claims, remove=remove)
    assert_invalid_token(mcp(keyed_stack.base_url, minted), what)


@pytest.mark.parametrize("typ", ["JWT", None, "application/jwt"])
def test_typ_other_than_at_jwt_is_refused(keyed_stack, typ):
    """RFC 9068 §4 and RFC 8725 §3.11 (explicit typing): resource servers MUST reject a token
    whose typ is not at+jwt (or application/at+jwt), so no other JWT our key might sign passes."""
    _, tokens = full_flow(keyed_stack.base_url)
    header, claims = unverified(tokens["access_token"])
    header = {k: v for k, v in header.items() if k != "typ"}
    if typ:
        header["typ"] = typ
    assert_invalid_token(mcp(keyed_stack.base_url, rs256(header, claims, keyed_stack.signing_key)), f"typ={typ}")


@pytest.mark.parametrize("where", ["query", "json body", "form body"])
def test_access_token_only_in_the_authorization_header(stack, where):
    """RFC 6750 §2.2/§2.3 and MCP Authorization (2025-06-18, Token Requirements: access tokens
    MUST NOT be in the query string, MUST be in the Authorization header): in a body it is
    ignored (401 without error, i.e. no credentials); in the query nginx refuses the request
    with a JSON 400 before FCGIApp sees it (nginx/app-routes.conf: a query reaches its error log)."""
    _, tokens = full_flow(stack.base_url)
    token = tokens["access_token"]
    if where == "query":
        response = mcp(stack.base_url, path="/mcp?" + urlencode({"access_token": token}))
        assert response.status_code == 400 and response.json()["error"] == "invalid_request", response.text
        assert "X-Request-Id" not in response.headers
        return
    if where == "json body":
        response = mcp(stack.base_url, body={**PING, "access_token": token})
    else:
        response = requests.post(stack.base_url + "/mcp", data={"access_token": token}, timeout=TIMEOUT)
    assert response.status_code == 401, (where, response.status_code)
    assert "error" not in challenge(response)


@pytest.mark.parametrize("origin", ["https://evil.example", "null", "http://127.0.0.1.evil.example",
                                    "http://localhost:1"])
def test_foreign_origin_is_refused_before_authentication(stack, origin):
    """MCP Transports (Streamable HTTP, Security Warning): servers MUST validate Origin to stop
    DNS rebinding; a foreign Origin gets 403 even with a valid token."""
    _, tokens = full_flow(stack.base_url)
    response = mcp(stack.base_url, tokens["access_token"], headers={"Origin": origin})
    assert response.status_code == 403, (origin, response.status_code)


# ========================================================================= request limits

def test_bodies_over_the_cap_are_413_and_the_app_stays_up(stack):
    """Resource exhaustion (RFC 9110 §15.5.14, 413 Content Too Large; RFC 6819 §4.4.1.11, DoS that
    exhausts resources): a body one byte over MAX_BODY_BYTES gets the app's JSON 413 at every
    POST route; one over nginx's client_max_body_size (8m locally) gets nginx's 413; the limit
    is exact (a body of exactly MAX_BODY_BYTES is read and refused for its content)."""
    _, tokens = full_flow(stack.base_url)
    over = b"a" * (MAX_BODY_BYTES + 1)
    for path, headers in (("/token", {"Content-Type": "application/x-www-form-urlencoded"}),
                          ("/register", {"Content-Type": "application/json"}),
                          ("/authorize", {"Content-Type": "application/json"}),
                          ("/mcp", {"Content-Type": "application/json", "Authorization": "Bearer " + tokens["access_token"]})):
        response = requests.post(stack.base_url + path, data=over, headers=headers, timeout=30)
        assert response.status_code == 413, (path, response.status_code)
        assert response.headers["Content-Type"].startswith("application/json"), path
        at_cap = requests.post(stack.base_url + path, data=b"a" * MAX_BODY_BYTES, headers=headers, timeout=30)
        assert 400 <= at_cap.status_code < 500 and at_cap.status_code != 413, (path, at_cap.status_code)
    huge = requests.post(stack.base_url + "/token", data=b"a" * (9 * 1024 * 1024),
                         headers={"Content-Type": "application/x-www-form-urlencoded"}, timeout=30)
    assert huge.status_code == 413
    app_alive(stack)


@pytest.fixture(scope="module", params=STORAGE_DRIVERS)
def batch_stack(request, tmp_path_factory):
    """A stack over the stand-in for the user's API, with a 1 s time limit per /mcp request."""
    process, backend_url = start_fake_backend()
    env = {**storage_environment(request.param), "BACKEND_API_URL": backend_url, "BACKEND_TIMEOUT_SECONDS": "1"}
    running = Stack(tmp_path_factory.mktemp("batch-stack"), env=env).start()
    running.backend_url = backend_url
    try:
        yield running
    finally:
        running.stop()
        stop_fake_backend(process)


def backend(stack, path, settings=None):
    if settings is None:
        return requests.get(stack.backend_url + path, timeout=TIMEOUT).json()
    return requests.post(stack.backend_url + path, json=settings, timeout=TIMEOUT)


def get_items_batch(count):
    """`count` tools/call items in one JSON-RPC batch (2025-03-26, assumed without MCP-Protocol-Version)."""
    return [{"jsonrpc": "2.0", "id": number, "method": "tools/call", "params": {"name": "get-items", "arguments": {}}}
            for number in range(1, count + 1)]


def test_a_batch_over_mcp_max_batch_is_refused_whole(batch_stack):
    """Bounded batches (JSON-RPC 2.0 §6 sets no size; MCP 2025-03-26 transports §2.1.3 allows
    batches; RFC 6819 §4.4.1.11 resource exhaustion): 2,000 tools/call items once made 4,000 calls
    to the user's API. Over MCP_MAX_BATCH (10) the batch is a 400 -32600 and the API receives
    nothing; at the cap every item runs, so the API receives at most the cap."""
    _, tokens = full_flow(batch_stack.base_url)
    backend(batch_stack, "/_reset", {})
    refused = mcp(batch_stack.base_url, tokens["access_token"], body=get_items_batch(2000))
    assert refused.status_code == 400, refused.text[:300]
    assert refused.json()["error"] == {"code": -32600, "message": "Invalid Request: a batch may hold at most 10 items, this one has 2000"}
    assert backend(batch_stack, "/_requests") == []

    at_cap = mcp(batch_stack.base_url, tokens["access_token"], body=get_items_batch(10))
    assert at_cap.status_code == 200
    assert [reply["id"] for reply in at_cap.json()] == list(range(1, 11))
    assert all(reply["result"]["isError"] is False for reply in at_cap.json())
    assert len(backend(batch_stack, "/_requests")) == 10


def test_a_slow_api_stops_a_batch_at_the_request_time_limit(batch_stack):
    """One deadline for all the calls of one /mcp request (BACKEND_TIMEOUT_SECONDS, here 1 s):
    with an API taking 0.4 s a call, the first items run, the call under way when the second
    passes is cut, and the items not yet started are answered -32603 with data.notRun, without a
    call; the request ends near the limit instead of after ten calls."""
    _, tokens = full_flow(batch_stack.base_url)
    backend(batch_stack, "/_reset", {})
    backend(batch_stack, "/_control", {"mode": "slow", "delay": 0.4})
    try:
        started = time.monotonic()
        response = mcp(batch_stack.base_url, tokens["access_token"], body=get_items_batch(10))
        elapsed = time.monotonic() - started
    finally:
        backend(batch_stack, "/_control", {"mode": "ok"})
    assert response.status_code == 200, response.text[:300]
    replies = response.json()
    assert [reply["id"] for reply in replies] == list(range(1, 11))
    not_run = [reply for reply in replies if reply.get("error", {}).get("data", {}).get("notRun")]
    ran = replies[:len(replies) - len(not_run)]
    assert not_run == replies[len(ran):], "items stop being started once the limit passed, never resume"
    assert 2 <= len(ran) <= 4 and len(not_run) >= 6, [reply.get("error") for reply in replies]
    assert all(reply["error"]["code"] == -32603 and reply["error"]["message"].startswith("Not run:") for reply in not_run)
    assert len(backend(batch_stack, "/_requests")) == len(ran)
    assert elapsed < 3, elapsed
    app_alive(batch_stack)


NESTING = 100_000


@pytest.mark.parametrize("shape", ["arrays", "objects", "mixed"])
def test_deeply_nested_json_is_a_4xx_and_no_crash(stack, shape):
    """Parser robustness (RFC 8259 §9: implementations may limit nesting depth, and must not
    fail on deep input): 100000 nested arrays/objects at /mcp, /register, /token and /authorize give a 4xx, and
    the process keeps serving."""
    _, tokens = full_flow(stack.base_url)
    body = {"arrays": "[" * NESTING + "]" * NESTING,
            "objects": '{"a":' * NESTING + "1" + "}" * NESTING,
            "mixed": '{"a":[' * (NESTING // 2) + "1" + "]}" * (NESTING // 2)}[shape].encode()
    for path, extra in (("/mcp", {"Authorization": "Bearer " + tokens["access_token"]}), ("/register", {}), ("/token", {}),
                        ("/authorize", {})):
        response = requests.post(stack.base_url + path, data=body, headers={"Content-Type": "application/json", **extra},
                                 timeout=30)
        assert 400 <= response.status_code < 500, (path, response.status_code, response.text[:200])
        app_alive(stack)
    # A JSON-RPC batch of nested values inside a valid envelope.
    envelope = b'{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get-items","arguments":' \
               + b"[" * NESTING + b"]" * NESTING + b"}}"
    response = requests.post(stack.base_url + "/mcp", data=envelope, timeout=30,
                             headers={"Content-Type": "application/json", "Authorization": "Bearer " + tokens["access_token"]})
    assert response.status_code < 500, response.status_code
    app_alive(stack)


# ============================================================================= slow bodies

class TimeoutStack(Stack):
    """The stack with nginx's client_body_timeout shortened (production.conf sets 15 s), so a
    stalled body is cut within the test's time."""

    BODY_TIMEOUT = 2

    def adjust_nginx_config(self, config):
        return config.replace("client_max_body_size 8m;",
                              f"client_max_body_size 8m;\n    client_body_timeout {self.BODY_TIMEOUT}s;")


@pytest.fixture(scope="module")
def timeout_stack(tmp_path_factory):
    running = TimeoutStack(tmp_path_factory.mktemp("timeout-stack"), env={"AUTH_STORAGE_DRIVER": "memory"}).start()
    yield running
    running.stop()


def raw_http(port, text, timeout=15):
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(text.encode() if isinstance(text, str) else text)
        chunks = []
        while True:
            try:
                data = connection.recv(65536)
            except socket.timeout:
                break
            if not data:
                break
            chunks.append(data)
        return b"".join(chunks)


def app_requests(stack, path):
    lines = []
    for line in stack.app_log_text().splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if entry.get("path") == path:
            lines.append(entry)
    return lines


class HealthProbe(threading.Thread):
    """GET /health every 100 ms while a slow client is busy; records latencies."""

    def __init__(self, base_url, stop):
        super().__init__(daemon=True)
        self.base_url, self.stop_event, self.latencies, self.failures = base_url, stop, [], []

    def run(self):
        for _ in range(600):
            if self.stop_event.is_set():
                return
            started = time.monotonic()
            try:
                status = requests.get(self.base_url + "/health", timeout=5).status_code
                if status != 200:
                    self.failures.append(status)
            except requests.RequestException as error:
                self.failures.append(repr(error))
            self.latencies.append(time.monotonic() - started)
            time.sleep(0.1)


def test_slow_body_is_buffered_by_nginx_and_others_are_served(timeout_stack):
    """Slowloris-style bodies (denial of service by slow clients). RFC 9112 §9.5: a server times
    out connections that go inactive, and a body still arriving, 1 byte per 100 ms, is not
    inactive, so it is answered (201). RFC 3875 §4.2: the gateway makes the whole CONTENT_LENGTH
    body available to the application: nginx collects it (fastcgi_request_buffering on, as in
    nginx/production.conf) and FCGIApp receives it complete in one piece, so its own handling
    time stays small and other requests are served meanwhile."""
    stack = timeout_stack
    body = json.dumps({"redirect_uris": ["https://a.example/c"]}, separators=(",", ":")).encode()
    stop = threading.Event()
    probe = HealthProbe(stack.base_url, stop)
    before = len(app_requests(stack, "/register"))
    probe.start()
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", stack.port), timeout=15) as connection:
        connection.sendall(f"POST /register HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                           f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode())
        for index in range(len(body)):
            connection.sendall(body[index:index + 1])
            time.sleep(0.1)
        answer = b""
        while True:
            data = connection.recv(65536)
            if not data:
                break
            answer += data
    elapsed = time.monotonic() - started
    stop.set()
    probe.join(10)
    assert answer.split(b"\r\n", 1)[0].split()[1] == b"201", answer[:300]
    assert elapsed >= len(body) * 0.1 * 0.9
    assert json.loads(answer.split(b"\r\n\r\n", 1)[1])["redirect_uris"] == ["https://a.example/c"]
    assert not probe.failures, probe.failures[:5]
    assert probe.latencies and max(probe.latencies) < 1.0, max(probe.latencies)
    logged = app_requests(stack, "/register")[before:]
    assert len(logged) == 1 and logged[0]["status"] == 201
    assert logged[0]["duration_ms"] < 1000, "FCGIApp waited for the slow body itself"


def test_stalled_bodies_are_cut_by_nginx_and_never_reach_the_app(timeout_stack):
    """RFC 9110 §15.5.9: a server that did not receive a complete request within the time it
    was prepared to wait answers 408 Request Timeout, and RFC 9112 §9.5 lets it close an
    inactive connection instead; either is accepted. nginx's client_body_timeout (15 s in
    production.conf, 2 s here) is that wait. RFC 3875 §4.2: the server must make all
    CONTENT_LENGTH bytes available to the application, so a body that never completes is not
    passed on: FCGIApp never sees the partial request, and more stalled clients than FCGIApp
    has worker threads (FCGI_THREADS=4 here) do not stop other requests."""
    stack = timeout_stack
    before = len(app_requests(stack, "/register"))
    connections = []
    try:
        for _ in range(8):
            connection = socket.create_connection(("127.0.0.1", stack.port), timeout=15)
            connection.sendall(b"POST /register HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                               b"Content-Length: 100\r\nConnection: close\r\n\r\n{\"redirect_uris\":")
            connections.append(connection)
        started = time.monotonic()
        for _ in range(10):
            assert requests.get(stack.base_url + "/health", timeout=2).status_code == 200
        assert time.monotonic() - started < 5
        answers = []
        for connection in connections:
            data = b""
            try:
                while True:
                    chunk = connection.recv(65536)
                    if not chunk:
                        break
                    data += chunk
            except (socket.timeout, ConnectionResetError):
                pass
            answers.append(data)
        waited = time.monotonic() - started
    finally:
        for connection in connections:
            connection.close()
    assert waited < TimeoutStack.BODY_TIMEOUT + 8, waited
    for data in answers:  # 408, or nginx closes the connection without an answer
        assert data == b"" or data.split(b"\r\n", 1)[0].split()[1] == b"408", data[:200]
    time.sleep(0.5)
    assert len(app_requests(stack, "/register")) == before, "FCGIApp saw a partial body"
    app_alive(stack)


# ================================================================ header injection via state

@pytest.mark.parametrize("state", [
    "x\r\nSet-Cookie: injected=1",
    "x\r\n\r\n<script>alert(1)</script>",
    "%0d%0aSet-Cookie:%20injected=1",     # already percent-encoded by the attacker: must stay literal
    "x\u560d\u560aSet-Cookie: injected=1",  # U+560D U+560A: low bytes are CR LF
    "x\nLocation: https://evil.example",
])
def test_state_cannot_inject_headers(stack, state):
    """RFC 9110 §5.5 (field values carry no CR/LF), RFC 6749 §4.1.2 (state echoed exactly):
    the error redirect's Location carries the state percent-encoded, no header is added, and
    the success redirect (JSON) does the same."""
    client_id = register(stack.base_url)
    _, challenge_value = flow.pkce_pair()
    params = flow.authorize_params(client_id, challenge_value, redirect_uri=APP_REDIRECT, state=state, scope="admin")
    response = authorize_get(stack.base_url, params)
    assert response.status_code == 302
    names = {name.lower() for name in response.headers}
    assert names <= {"server", "date", "content-length", "content-type", "connection", "location", "cache-control",
                     "x-request-id", "expires"}, names
    location = response.headers["Location"]
    assert "\r" not in location and "\n" not in location and location.startswith(APP_REDIRECT + "?")
    assert parse_qs(urlparse(location).query)["state"] == [state]

    # The raw response, as bytes: exactly one Location line, no Set-Cookie line.
    raw = raw_http(stack.port, f"GET /authorize?{urlencode(params)} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    head = raw.split(b"\r\n\r\n", 1)[0].lower()
    header_names = [line.split(b":", 1)[0] for line in head.split(b"\r\n")[1:]]
    assert header_names.count(b"location") == 1 and b"set-cookie" not in header_names, header_names
    assert b"\r" not in head.replace(b"\r\n", b"") and b"\n" not in head.replace(b"\r\n", b"")

    params["scope"] = "read"
    details = authorize_get(stack.base_url, params, json_accept=True).json()
    decision = flow.decide(stack.base_url, details["request"], flow.dev_login(stack.base_url)).json()
    assert "\r" not in decision["redirect_uri"] and "\n" not in decision["redirect_uri"]
    assert parse_qs(urlparse(decision["redirect_uri"]).query)["state"] == [state]


def test_raw_crlf_in_the_request_target_never_reaches_a_header(stack):
    """RFC 9112 §3.2 (request-target has no CR/LF): the line ends at the CR LF, so the rest is
    never part of the target; no injected header comes back (nginx answers 400, or treats the
    truncated line as HTTP/0.9, which has no headers)."""
    raw = raw_http(stack.port, b"GET /authorize?state=a\r\nSet-Cookie: injected=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                               b"Connection: close\r\n\r\n")
    if raw.startswith(b"HTTP/"):
        head = raw.split(b"\r\n\r\n", 1)[0].lower()
        assert b"\r\nset-cookie:" not in head
        assert raw.split(b"\r\n", 1)[0].split()[1] in (b"400", b"404", b"405"), raw[:200]
    else:
        # nginx read "GET /authorize?state=a" as an HTTP/0.9 request: the answer is a bare body
        # with no header section at all, so there is nothing to inject into.
        assert b"set-cookie:" not in raw.lower()
    app_alive(stack)
