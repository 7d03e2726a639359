"""The OAuth 2.1 authorization server end to end, as ChatGPT and other clients use it."""
import secrets
import socket
import threading
import time
from urllib.parse import urlencode, urlparse

import jwt
import pytest
import requests
from authlib.integrations.requests_client import OAuth2Session

import oauth_flow as flow
from conftest import EXCHANGE_CLIENT
from fake_privy_server import FakePrivyServer
from stack import REFRESH_REUSE_INTERVAL


def parse_challenge(header):
    scheme, _, rest = header.partition(" ")
    assert scheme == "Bearer"
    fields = {}
    for part in rest.split(", "):
        name, _, value = part.partition("=")
        fields[name] = value.strip('"')
    return fields


def test_discovery_from_a_401_challenge(stack):
    response = requests.post(stack.base_url + "/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "ping"}, timeout=10)
    assert response.status_code == 401
    challenge = parse_challenge(response.headers["WWW-Authenticate"])
    assert challenge["resource_metadata"] == stack.base_url + "/.well-known/oauth-protected-resource/mcp"
    resource = requests.get(challenge["resource_metadata"], timeout=10).json()
    assert resource["resource"] == stack.base_url + "/mcp"
    issuer = resource["authorization_servers"][0]
    metadata = requests.get(issuer + "/.well-known/oauth-authorization-server", timeout=10).json()
    assert metadata["issuer"] == stack.base_url
    assert metadata["code_challenge_methods_supported"] == ["S256"]
    assert "none" in metadata["token_endpoint_auth_methods_supported"]
    assert metadata["authorization_response_iss_parameter_supported"] is True
    for key in ("authorization_endpoint", "token_endpoint", "registration_endpoint", "revocation_endpoint",
                "introspection_endpoint", "jwks_uri"):
        assert metadata[key].startswith(stack.base_url)
    for path in ("/.well-known/oauth-authorization-server/mcp", "/mcp/.well-known/oauth-authorization-server"):
        assert requests.get(stack.base_url + path, timeout=10).json() == metadata
    assert requests.get(stack.base_url + "/.well-known/oauth-protected-resource", timeout=10).json()["resource"] == stack.base_url


def test_openid_discovery_is_a_json_404(stack):
    response = requests.get(stack.base_url + "/.well-known/openid-configuration", timeout=10)
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/json"


def test_full_flow_code_refresh_revoke(stack):
    client = flow.register(stack.base_url)
    verifier, challenge = flow.pkce_pair()
    params = flow.authorize_params(client["client_id"], challenge, resource=stack.base_url + "/mcp")
    details = flow.consent_details(stack.base_url, params)
    assert details.status_code == 200
    shown = details.json()
    assert shown["client_name"] == "E2E client"
    assert shown["redirect_host"] == "chatgpt.com"
    # offline_access is granted (the request's scope) and spoken for by the stay-connected line.
    assert [s["name"] for s in shown["scopes"]] == ["read", "write"]
    assert shown["request"]["scope"] == "read write offline_access"
    assert shown["stay_connected"] == "Stay connected without signing in again"
    assert shown["login"]["mode"] == "development"

    login = flow.dev_login(stack.base_url, "flow@example.com")
    assert login["privy_user_id"].startswith("did:privy:")
    decision = flow.decide(stack.base_url, shown["request"], login).json()
    assert decision["state"] == "state-123"
    query = flow.redirect_query(decision["redirect_uri"])
    assert decision["redirect_uri"].startswith(flow.REDIRECT_URI + "?")
    assert query["state"] == "state-123" and query["iss"] == stack.base_url and query["code"] == decision["code"]

    token_response = flow.exchange_code(stack.base_url, client["client_id"], query["code"], verifier,
                                        resource=stack.base_url + "/mcp")
    assert token_response.status_code == 200, token_response.text
    assert token_response.headers["Cache-Control"] == "no-store"
    tokens = token_response.json()
    assert tokens["token_type"] == "Bearer" and tokens["expires_in"] == 3600

    # The access token verifies with PyJWT against our published JWKS.
    jwks = jwt.PyJWKClient(stack.base_url + "/.well-known/jwks.json")
    key = jwks.get_signing_key_from_jwt(tokens["access_token"])
    claims = jwt.decode(tokens["access_token"], key.key, algorithms=["RS256"], audience=stack.base_url + "/mcp",
                        issuer=stack.base_url)
    assert claims["sub"] == login["privy_user_id"] and claims["client_id"] == client["client_id"]
    assert claims["scope"] == "read write offline_access" and claims["exp"] - claims["iat"] == 3600 and claims["jti"]

    # Refresh rotates; the old refresh token presented again revokes the whole family.
    rotated = flow.refresh(stack.base_url, client["client_id"], tokens["refresh_token"])
    assert rotated.status_code == 200, rotated.text
    new_tokens = rotated.json()
    assert new_tokens["refresh_token"] != tokens["refresh_token"]
    time.sleep(REFRESH_REUSE_INTERVAL + 0.2)  # past the interval in which a retry is not a reuse
    reused = flow.refresh(stack.base_url, client["client_id"], tokens["refresh_token"])
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"
    after_reuse = flow.refresh(stack.base_url, client["client_id"], new_tokens["refresh_token"])
    assert after_reuse.json()["error"] == "invalid_grant"
    introspect = requests.post(stack.base_url + "/token/introspect", data={"token": new_tokens["access_token"]},
                               headers={"Authorization": "Bearer " + new_tokens["access_token"]}, timeout=10)
    assert introspect.status_code == 401


def test_revocation_of_a_refresh_token(stack):
    client_id, tokens = flow.tokens_for_new_client(stack.base_url)
    other_id, _ = flow.tokens_for_new_client(stack.base_url)
    foreign = requests.post(stack.base_url + "/revoke", data={"token": tokens["refresh_token"], "client_id": other_id}, timeout=10)
    assert foreign.status_code == 400
    introspected = requests.post(stack.base_url + "/token/introspect", data={"token": tokens["refresh_token"]},
                                 headers={"Authorization": "Bearer " + tokens["access_token"]}, timeout=10).json()
    assert introspected["active"] is True and introspected["token_type"] == "refresh_token"
    revoked = requests.post(stack.base_url + "/revoke", data={"token": tokens["refresh_token"], "client_id": client_id}, timeout=10)
    assert revoked.status_code == 200
    assert flow.refresh(stack.base_url, client_id, tokens["refresh_token"]).json()["error"] == "invalid_grant"
    unknown = requests.post(stack.base_url + "/revoke", data={"token": "never-issued", "client_id": client_id}, timeout=10)
    assert unknown.status_code == 200


def test_introspection_never_reveals_another_clients_token(stack):
    _, mine = flow.tokens_for_new_client(stack.base_url)
    _, theirs = flow.tokens_for_new_client(stack.base_url)
    answer = requests.post(stack.base_url + "/token/introspect", data={"token": theirs["access_token"]},
                           headers={"Authorization": "Bearer " + mine["access_token"]}, timeout=10).json()
    assert answer == {"active": False}
    own = requests.post(stack.base_url + "/token/introspect", data={"token": mine["access_token"]},
                        headers={"Authorization": "Bearer " + mine["access_token"]}, timeout=10).json()
    assert own["active"] is True and own["token_type"] == "Bearer"
    anonymous = requests.post(stack.base_url + "/token/introspect", data={"token": mine["access_token"]}, timeout=10)
    assert anonymous.status_code == 401


def test_code_replay_revokes_tokens_issued_from_it(stack):
    client_id = flow.register(stack.base_url)["client_id"]
    code, verifier, _ = flow.obtain_code(stack.base_url, client_id)
    first = flow.exchange_code(stack.base_url, client_id, code, verifier)
    assert first.status_code == 200
    second = flow.exchange_code(stack.base_url, client_id, code, verifier)
    assert second.status_code == 400 and second.json()["error"] == "invalid_grant"
    tokens = first.json()
    assert flow.refresh(stack.base_url, client_id, tokens["refresh_token"]).json()["error"] == "invalid_grant"


@pytest.mark.parametrize("mutation, error", [
    ({"code_verifier": "x" * 43}, "invalid_grant"),
    ({"code_verifier": None}, "invalid_request"),
    ({"redirect_uri": "https://chatgpt.com/connector/oauth/other"}, "invalid_grant"),
    ({"client_id": "OTHER"}, "invalid_grant"),
    ({"resource": "https://evil.example/mcp"}, "invalid_target"),
])
def test_token_request_must_repeat_what_the_code_is_bound_to(stack, mutation, error):
    client_id = flow.register(stack.base_url)["client_id"]
    code, verifier, _ = flow.obtain_code(stack.base_url, client_id)
    data = {"grant_type": "authorization_code", "code": code, "code_verifier": verifier, "client_id": client_id,
            "redirect_uri": flow.REDIRECT_URI}
    if mutation.get("client_id") == "OTHER":
        mutation = {"client_id": flow.register(stack.base_url)["client_id"]}
    for name, value in mutation.items():
        if value is None:
            data.pop(name)
        else:
            data[name] = value
    response = requests.post(stack.base_url + "/token", data=data, timeout=10)
    assert response.status_code == 400 and response.json()["error"] == error


def test_authorize_errors_never_redirect_to_untrusted_uris(stack):
    client_id = flow.register(stack.base_url)["client_id"]
    _, challenge = flow.pkce_pair()
    for params in (flow.authorize_params("client_unknown", challenge),
                   flow.authorize_params(client_id, challenge, redirect_uri="https://evil.example/cb"),
                   flow.authorize_params(client_id, challenge, redirect_uri=flow.REDIRECT_URI + "/../x")):
        page = requests.get(stack.base_url + "/authorize?" + urlencode(params), allow_redirects=False, timeout=10)
        assert page.status_code == 400 and "Location" not in page.headers
        assert page.headers["Content-Type"].startswith("text/html")
        details = flow.consent_details(stack.base_url, params)
        assert details.status_code in (400, 401) and details.json()["error"] in ("invalid_request", "invalid_client")


@pytest.mark.parametrize("change, error", [
    ({"code_challenge_method": "plain"}, "invalid_request"),
    ({"code_challenge": None}, "invalid_request"),
    ({"response_type": "token"}, "unsupported_response_type"),
    ({"scope": "admin"}, "invalid_scope"),
    ({"scope": "privy:token:exchange"}, "invalid_scope"),
    ({"resource": "https://evil.example/mcp"}, "invalid_target"),
])
def test_authorize_errors_redirect_with_state_and_iss(stack, change, error):
    client_id = flow.register(stack.base_url)["client_id"]
    _, challenge = flow.pkce_pair()
    params = flow.authorize_params(client_id, challenge)
    for name, value in change.items():
        if value is None:
            params.pop(name)
        else:
            params[name] = value
    response = requests.get(stack.base_url + "/authorize?" + urlencode(params), allow_redirects=False, timeout=10)
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith(flow.REDIRECT_URI + "?")
    query = flow.redirect_query(location)
    assert query["error"] == error and query["state"] == "state-123" and query["iss"] == stack.base_url


def test_authorize_redirect_with_a_long_state_passes_nginx(stack):
    """A state of 2000 bytes (1000 two-byte characters, so 6000 once percent-encoded in the
    Location header) comes back in the error redirect through the local nginx: the response
    header fits fastcgi_buffer_size (nginx/fastcgi-app.conf, shared with the production site)
    instead of nginx answering 502 ("upstream sent too big header")."""
    client_id = flow.register(stack.base_url)["client_id"]
    _, challenge = flow.pkce_pair()
    state = "\u00e9" * 1000
    assert len(state.encode()) == 2000
    params = {**flow.authorize_params(client_id, challenge, state=state), "scope": "admin"}
    response = requests.get(stack.base_url + "/authorize?" + urlencode(params), allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text[:300]
    assert len(response.headers["Location"]) > 6000
    query = flow.redirect_query(response.headers["Location"])
    assert query["error"] == "invalid_scope" and query["state"] == state


def test_denied_consent_redirects_with_access_denied(stack):
    client_id = flow.register(stack.base_url)["client_id"]
    _, challenge = flow.pkce_pair()
    request_params = flow.consent_details(stack.base_url, flow.authorize_params(client_id, challenge)).json()["request"]
    decision = flow.decide(stack.base_url, request_params, flow.dev_login(stack.base_url), approve=False)
    query = flow.redirect_query(decision.json()["redirect_uri"])
    assert query["error"] == "access_denied" and query["state"] == "state-123" and "code" not in query


def test_forged_login_token_is_refused(stack):
    client_id = flow.register(stack.base_url)["client_id"]
    _, challenge = flow.pkce_pair()
    request_params = flow.consent_details(stack.base_url, flow.authorize_params(client_id, challenge)).json()["request"]
    login = flow.dev_login(stack.base_url)
    header, payload, signature = login["privy_token"].split(".")
    forged = {"privy_token": header + "." + payload + "." + signature[::-1], "privy_user_id": login["privy_user_id"]}
    response = flow.decide(stack.base_url, request_params, forged)
    assert response.status_code == 401 and response.json()["error"] == "invalid_token"
    # The original system's answer to a privy_user_id naming someone else: a malformed request.
    mismatch = flow.decide(stack.base_url, request_params, {**login, "privy_user_id": "did:privy:someone-else"})
    assert mismatch.status_code == 400 and mismatch.json()["error"] == "invalid_request"


def test_registration_validates_metadata(stack):
    cases = [
        ({"redirect_uris": ["http://evil.example/cb"]}, "invalid_redirect_uri"),
        ({"redirect_uris": ["https://x.example/cb#frag"]}, "invalid_redirect_uri"),
        ({"redirect_uris": []}, "invalid_redirect_uri"),
        ({"redirect_uris": ["https://x.example/cb"], "grant_types": ["client_credentials"]}, "invalid_client_metadata"),
        ({"redirect_uris": ["https://x.example/cb"], "response_types": ["token"]}, "invalid_client_metadata"),
        ({"redirect_uris": ["https://x.example/cb"], "token_endpoint_auth_method": "private_key_jwt"}, "invalid_client_metadata"),
    ]
    for body, error in cases:
        response = requests.post(stack.base_url + "/register", json=body, timeout=10)
        assert response.status_code == 400, body
        assert response.json()["error"] == error, body
    loopback = requests.post(stack.base_url + "/register", json={"redirect_uris": ["http://127.0.0.1:8765/callback"]}, timeout=10)
    assert loopback.status_code == 201


def test_malformed_input_never_causes_a_5xx(stack):
    garbage = bytes(range(256)) * 4096  # 1 MiB
    attempts = [
        ("/token", {"data": garbage, "headers": {"Content-Type": "application/x-www-form-urlencoded"}}),
        ("/token", {"data": garbage, "headers": {"Content-Type": "application/json"}}),
        ("/token", {"data": b"grant_type=authorization_code", "headers": {"Content-Type": "text/plain"}}),
        ("/token", {"data": b"grant_type=refresh_token&grant_type=authorization_code",
                    "headers": {"Content-Type": "application/x-www-form-urlencoded"}}),
        ("/token", {"data": b"", "headers": {}}),
        ("/token", {"data": b"%zz=1", "headers": {"Content-Type": "application/x-www-form-urlencoded"}}),
        ("/token", {"json": {"grant_type": ["a"]}}),
        ("/register", {"data": garbage, "headers": {"Content-Type": "application/json"}}),
        ("/register", {"data": b"[1,2]", "headers": {"Content-Type": "application/json"}}),
        ("/authorize", {"data": garbage, "headers": {"Content-Type": "application/json"}}),
        ("/authorize", {"json": {"client_id": "x"}}),
        ("/revoke", {"data": b"token=a&token=b", "headers": {"Content-Type": "application/x-www-form-urlencoded"}}),
        ("/token/introspect", {"data": garbage, "headers": {"Authorization": "Bearer " + "a" * 5000}}),
    ]
    for path, arguments in attempts:
        response = requests.post(stack.base_url + path, timeout=10, **arguments)
        assert 400 <= response.status_code < 500, (path, response.status_code, response.text[:200])
        assert "error" in response.json()
    query = requests.get(stack.base_url + "/authorize?client_id=a&client_id=b&%zz", allow_redirects=False, timeout=10)
    assert query.status_code == 400


def test_privy_exchange_needs_its_own_scope(stack):
    _, tokens = flow.tokens_for_new_client(stack.base_url)
    response = requests.post(stack.base_url + "/token/privy/access-token",
                             headers={"Authorization": "Bearer " + tokens["access_token"]}, timeout=10)
    assert response.status_code == 403
    assert 'error="insufficient_scope"' in response.headers["WWW-Authenticate"]


def test_builtin_chatgpt_client_accepts_callback_ids(stack):
    _, challenge = flow.pkce_pair()
    for uri, ok in (("https://chatgpt.com/connector/oauth/abc_123-XYZ", True),
                    ("https://chatgpt.com/connector_platform_oauth_redirect", True),
                    ("https://chatgpt.com/connector/oauth/abc/../../evil", False),
                    ("https://chatgpt.com.evil.example/connector/oauth/abc", False)):
        response = flow.consent_details(stack.base_url, flow.authorize_params("chatgpt-connector", challenge, redirect_uri=uri))
        assert (response.status_code == 200) == ok, uri


def test_authlib_client_completes_code_pkce_and_refresh(stack):
    client_id = flow.register(stack.base_url)["client_id"]
    session = OAuth2Session(client_id, redirect_uri=flow.REDIRECT_URI, scope="read write offline_access",
                            code_challenge_method="S256", token_endpoint_auth_method="none")
    verifier = flow.pkce_pair()[0]
    authorization_url, state = session.create_authorization_url(stack.base_url + "/authorize", code_verifier=verifier)
    details = requests.get(authorization_url, headers={"Accept": "application/json"}, timeout=10)
    assert details.status_code == 200, details.text
    decision = flow.decide(stack.base_url, details.json()["request"], flow.dev_login(stack.base_url)).json()
    token = session.fetch_token(stack.base_url + "/token", authorization_response=decision["redirect_uri"],
                                code_verifier=verifier)
    assert token["token_type"] == "Bearer" and token["refresh_token"]
    refreshed = session.refresh_token(stack.base_url + "/token", refresh_token=token["refresh_token"])
    assert refreshed["access_token"] != token["access_token"] and refreshed["refresh_token"] != token["refresh_token"]
    assert urlparse(decision["redirect_uri"]).query.count("state=" + state) == 1


# ---------------------------------------------------------------- ChatGPT's connection, start to finish

MCP_HEADERS = {"Accept": "application/json, text/event-stream", "MCP-Protocol-Version": "2025-06-18"}
CHATGPT_REDIRECT_URI = "https://chatgpt.com/connector_platform_oauth_redirect"


def mcp_call(url, access_token, method, params=None, request_id=1):
    body = {"jsonrpc": "2.0", "id": request_id, "method": method}
    if params is not None:
        body["params"] = params
    headers = dict(MCP_HEADERS)
    if access_token:
        headers["Authorization"] = "Bearer " + access_token
    return requests.post(url, json=body, headers=headers, timeout=10)


def assert_invalid_token_at_mcp(response):
    assert response.status_code == 401, response.text
    assert parse_challenge(response.headers["WWW-Authenticate"]).get("error") == "invalid_token"


def test_chatgpt_connects_uses_refreshes_and_disconnects(stack):
    """The whole connection as ChatGPT makes it, each step found through the one before: the 401
    challenge (RFC 9728 §5.1), protected-resource metadata (RFC 9728 §3), authorization server
    metadata (RFC 8414 §3), dynamic registration (RFC 7591 §3), the code flow with PKCE and a
    resource indicator (RFC 6749 §4.1, RFC 7636 §4, RFC 8707 §2), bearer use at /mcp (RFC 6750
    §2.1), refresh with rotation (OAuth 2.1 §4.3.1), and revocation of the refresh token, which
    also ends the grant's access tokens (RFC 7009 §2.1)."""
    mcp_url = stack.base_url + "/mcp"
    initialize_params = {"protocolVersion": "2025-06-18", "capabilities": {},
                         "clientInfo": {"name": "openai-mcp", "version": "1.0.0"}}

    unauthenticated = mcp_call(mcp_url, None, "initialize", initialize_params)
    assert unauthenticated.status_code == 401
    challenge = parse_challenge(unauthenticated.headers["WWW-Authenticate"])
    resource_metadata = requests.get(challenge["resource_metadata"], timeout=10)
    assert resource_metadata.status_code == 200
    resource = resource_metadata.json()
    assert resource["resource"] == mcp_url

    issuer = resource["authorization_servers"][0]
    server = requests.get(issuer + "/.well-known/oauth-authorization-server", timeout=10).json()
    assert server["issuer"] == issuer
    assert "S256" in server["code_challenge_methods_supported"]

    registration = requests.post(server["registration_endpoint"], json={
        "client_name": "ChatGPT", "redirect_uris": [CHATGPT_REDIRECT_URI], "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"], "token_endpoint_auth_method": "none"}, timeout=10)
    assert registration.status_code == 201, registration.text
    client_id = registration.json()["client_id"]

    verifier, code_challenge = flow.pkce_pair()
    state = "chatgpt-" + secrets.token_urlsafe(12)
    scope = " ".join(resource["scopes_supported"])
    authorize_url = server["authorization_endpoint"] + "?" + urlencode({
        "response_type": "code", "client_id": client_id, "redirect_uri": CHATGPT_REDIRECT_URI, "state": state,
        "code_challenge": code_challenge, "code_challenge_method": "S256", "scope": scope, "resource": mcp_url})
    # The browser opens the URL and gets the sign-in page; the page then asks for its details.
    page = requests.get(authorize_url, headers={"Accept": "text/html"}, allow_redirects=False, timeout=10)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    details = requests.get(authorize_url, headers={"Accept": "application/json"}, timeout=10)
    assert details.status_code == 200, details.text
    assert details.json()["client_name"] == "ChatGPT"
    login = flow.dev_login(stack.base_url, "chatgpt-user@example.com")
    decision = flow.decide(stack.base_url, details.json()["request"], login)
    assert decision.status_code == 200, decision.text
    redirect = decision.json()["redirect_uri"]
    assert redirect.startswith(CHATGPT_REDIRECT_URI + "?")
    query = flow.redirect_query(redirect)
    assert query["state"] == state and query["iss"] == issuer

    exchanged = requests.post(server["token_endpoint"], data={
        "grant_type": "authorization_code", "code": query["code"], "code_verifier": verifier, "client_id": client_id,
        "redirect_uri": CHATGPT_REDIRECT_URI, "resource": mcp_url}, timeout=10)
    assert exchanged.status_code == 200, exchanged.text
    tokens = exchanged.json()
    assert tokens["token_type"] == "Bearer" and tokens["scope"] == scope and tokens["refresh_token"]

    initialized = mcp_call(mcp_url, tokens["access_token"], "initialize", initialize_params)
    assert initialized.status_code == 200, initialized.text
    assert initialized.json()["result"]["protocolVersion"] == "2025-06-18"
    listed = mcp_call(mcp_url, tokens["access_token"], "tools/list", {}, request_id=2)
    assert listed.status_code == 200, listed.text
    assert "get-items" in [tool["name"] for tool in listed.json()["result"]["tools"]]
    called = mcp_call(mcp_url, tokens["access_token"], "tools/call", {"name": "get-items", "arguments": {}}, request_id=3)
    assert called.status_code == 200, called.text
    assert called.json()["result"].get("isError") is not True, called.text

    rotated = requests.post(server["token_endpoint"], data={
        "grant_type": "refresh_token", "refresh_token": tokens["refresh_token"], "client_id": client_id}, timeout=10)
    assert rotated.status_code == 200, rotated.text
    new_tokens = rotated.json()
    assert new_tokens["refresh_token"] != tokens["refresh_token"]
    assert new_tokens["access_token"] != tokens["access_token"]
    assert mcp_call(mcp_url, new_tokens["access_token"], "tools/list", {}).status_code == 200

    revoked = requests.post(server["revocation_endpoint"], data={
        "token": new_tokens["refresh_token"], "token_type_hint": "refresh_token", "client_id": client_id}, timeout=10)
    assert revoked.status_code == 200, revoked.text
    refused = requests.post(server["token_endpoint"], data={
        "grant_type": "refresh_token", "refresh_token": new_tokens["refresh_token"], "client_id": client_id}, timeout=10)
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"
    # RFC 7009 §2.1: the server revokes access tokens too, so every access token of the grant stops.
    assert_invalid_token_at_mcp(mcp_call(mcp_url, new_tokens["access_token"], "tools/list", {}))
    assert_invalid_token_at_mcp(mcp_call(mcp_url, tokens["access_token"], "tools/list", {}))


# ---------------------------------------------------------------- /token with JSON bodies

def test_token_endpoint_accepts_json_bodies_for_code_and_refresh(stack):
    """RFC 6749 §4.1.3 and §6 grants sent as application/json, as the original system's clients
    send them (the server reads a flat JSON object of strings like a form body)."""
    client_id = flow.register(stack.base_url)["client_id"]
    code, verifier, _ = flow.obtain_code(stack.base_url, client_id)
    exchanged = requests.post(stack.base_url + "/token", json={
        "grant_type": "authorization_code", "code": code, "code_verifier": verifier, "client_id": client_id,
        "redirect_uri": flow.REDIRECT_URI}, timeout=10)
    assert exchanged.status_code == 200, exchanged.text
    assert exchanged.headers["Cache-Control"] == "no-store"
    tokens = exchanged.json()
    assert tokens["token_type"] == "Bearer" and tokens["access_token"] and tokens["refresh_token"]
    # The code was redeemed: the same JSON again is refused.
    again = requests.post(stack.base_url + "/token", json={
        "grant_type": "authorization_code", "code": code, "code_verifier": verifier, "client_id": client_id,
        "redirect_uri": flow.REDIRECT_URI}, timeout=10)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"

    code, verifier, _ = flow.obtain_code(stack.base_url, client_id)
    tokens = flow.exchange_code(stack.base_url, client_id, code, verifier).json()
    rotated = requests.post(stack.base_url + "/token", json={
        "grant_type": "refresh_token", "refresh_token": tokens["refresh_token"], "client_id": client_id}, timeout=10)
    assert rotated.status_code == 200, rotated.text
    new_tokens = rotated.json()
    assert new_tokens["refresh_token"] != tokens["refresh_token"] and new_tokens["access_token"]
    assert flow.refresh(stack.base_url, client_id, new_tokens["refresh_token"]).status_code == 200


# ---------------------------------------------------------------- metadata contents

def test_authorization_server_metadata_and_jwks(stack):
    """RFC 8414 §2 fields the server actually supports (code flow only, refresh, the scopes it
    grants, Client ID Metadata Documents per draft-ietf-oauth-client-id-metadata-document §4),
    and RFC 7517 §4 JWKS keys each naming kid, use and alg, one of which signs our tokens."""
    metadata = requests.get(stack.base_url + "/.well-known/oauth-authorization-server", timeout=10).json()
    assert metadata["response_types_supported"] == ["code"]
    assert {"authorization_code", "refresh_token"} <= set(metadata["grant_types_supported"])
    assert "implicit" not in metadata["grant_types_supported"] and "password" not in metadata["grant_types_supported"]
    # MCP 2026-07-28 authorization: offline_access is not advertised (it is still granted).
    assert metadata["scopes_supported"] == ["read", "write"]
    assert metadata["client_id_metadata_document_supported"] is True
    assert metadata["revocation_endpoint"] == stack.base_url + "/revoke"
    assert metadata["introspection_endpoint"] == stack.base_url + "/token/introspect"
    assert metadata["jwks_uri"] == stack.base_url + "/.well-known/jwks.json"

    keys = requests.get(metadata["jwks_uri"], timeout=10).json()["keys"]
    assert keys
    for key in keys:
        assert key["kid"] and key["use"] == "sig" and key["alg"] == "RS256" and key["kty"] == "RSA"
        assert key["n"] and key["e"] and "d" not in key
    _, tokens = flow.tokens_for_new_client(stack.base_url)
    assert jwt.get_unverified_header(tokens["access_token"])["kid"] in [key["kid"] for key in keys]


# ---------------------------------------------------------------- the built-in ChatGPT client

@pytest.mark.parametrize("redirect_uri", [
    "https://chat.openai.com/connector_platform_oauth_redirect",
    "https://chatgpt.com/connector_platform_oauth_redirect",
    "https://chatgpt.com/connector/oauth/cb_e2e-123",
])
def test_builtin_chatgpt_client_completes_on_each_chatgpt_redirect_uri(stack, redirect_uri):
    """RFC 6749 §3.1.2 / RFC 9700 §4.1.3: each redirect URI of the static `chatgpt-connector`
    client, chat.openai.com included, carries a code back and redeems it with the same URI."""
    code, verifier, request_params = flow.obtain_code(stack.base_url, "chatgpt-connector", redirect_uri=redirect_uri)
    assert request_params["redirect_uri"] == redirect_uri
    response = flow.exchange_code(stack.base_url, "chatgpt-connector", code, verifier, redirect_uri=redirect_uri)
    assert response.status_code == 200, response.text
    claims = jwt.decode(response.json()["access_token"], options={"verify_signature": False})
    assert claims["client_id"] == "chatgpt-connector"


def test_builtin_chatgpt_client_callback_ids_only_on_chatgpt_com(stack):
    """RFC 9700 §4.1.3: the callback-id prefix is locked to chatgpt.com; chat.openai.com has only
    its one fixed URI, so anything else there gets an error page, not a redirect (RFC 6749 §4.1.2.1)."""
    _, challenge = flow.pkce_pair()
    for uri in ("https://chat.openai.com/connector/oauth/cb_e2e-123",
                "https://chat.openai.com/connector_platform_oauth_redirect/x"):
        params = flow.authorize_params("chatgpt-connector", challenge, redirect_uri=uri)
        page = requests.get(stack.base_url + "/authorize?" + urlencode(params), allow_redirects=False, timeout=10)
        assert page.status_code == 400 and "Location" not in page.headers, uri


# ---------------------------------------------------------------- Client ID Metadata Documents

class ConnectionCounter:
    """A TCP listener on 127.0.0.1 that only counts connections: proof the server never tried to
    fetch from it."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.accepted = 0
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while self.running:
            try:
                connection, _ = self.server.accept()
            except OSError:
                continue
            self.accepted += 1
            connection.close()

    def stop(self):
        self.running = False
        self.thread.join(5)
        self.server.close()


def test_metadata_document_client_ids_on_private_addresses_or_http_are_refused(stack):
    """draft-ietf-oauth-client-id-metadata-document §3 and §6.5 (SSRF): a client_id URL must be
    https, and the document is never fetched from loopback or private addresses; the request
    gets an error page, never a redirect (RFC 6749 §4.1.2.1), and no 5xx. Why a fetch failed is
    not told (test_attacks_metadata_documents.py)."""
    listener = ConnectionCounter()
    try:
        _, challenge = flow.pkce_pair()
        cases = [
            (f"https://127.0.0.1:{listener.port}/client.json", "could not be fetched"),
            (f"https://localhost:{listener.port}/client.json", "could not be fetched"),
            (f"https://[::1]:{listener.port}/client.json", "could not be fetched"),
            (f"http://127.0.0.1:{listener.port}/client.json", "must be https"),
        ]
        for client_id, reason in cases:
            params = flow.authorize_params(client_id, challenge, redirect_uri=f"https://127.0.0.1:{listener.port}/cb")
            page = requests.get(stack.base_url + "/authorize?" + urlencode(params), allow_redirects=False, timeout=10)
            assert page.status_code == 400, (client_id, page.status_code)
            assert "Location" not in page.headers and page.headers["Content-Type"].startswith("text/html"), client_id
            details = flow.consent_details(stack.base_url, params)
            assert details.status_code == 401, (client_id, details.status_code, details.text)
            assert details.json()["error"] == "invalid_client", client_id
            assert reason in details.json()["error_description"], (client_id, details.text)
            # The programmatic completion refuses the same client, with the original system's 400.
            completed = requests.post(stack.base_url + "/authorize/complete", json={
                **params, **flow.dev_login(stack.base_url), "user_consent": "true"}, timeout=10)
            assert completed.status_code == 400 and completed.json()["error"] == "invalid_client", client_id
        assert listener.accepted == 0, "the server connected to a loopback client_id URL"
    finally:
        listener.stop()


# ---------------------------------------------------------------- Privy login: /authorize/complete, token exchange

def complete(base_url, request_params, privy_token, user_id=None, consent="true"):
    body = dict(request_params)
    if privy_token is not None:
        body["privy_token"] = privy_token
    if user_id is not None:
        body["privy_user_id"] = user_id
    if consent is not None:
        body["user_consent"] = consent
    return requests.post(base_url + "/authorize/complete", json=body, timeout=10)


def validated_request(base_url, client_id, challenge, **kwargs):
    details = flow.consent_details(base_url, flow.authorize_params(client_id, challenge, **kwargs))
    assert details.status_code == 200, details.text
    return details.json()["request"]


def test_programmatic_completion_issues_a_code_for_a_privy_login(privy_stack):
    """RFC 6749 §4.1.2: POST /authorize/complete with a valid Privy token answers the code, the
    redirect URI carrying code, state and iss (RFC 9207 §2), and the code redeems (RFC 6749 §4.1.3)
    for tokens whose subject is the Privy user."""
    base_url = privy_stack.base_url
    client_id = flow.register(base_url)["client_id"]
    verifier, challenge = flow.pkce_pair()
    details = flow.consent_details(base_url, flow.authorize_params(client_id, challenge))
    assert details.status_code == 200 and details.json()["login"]["mode"] == "privy", details.text
    request_params = details.json()["request"]
    token, user_id = privy_stack.privy.mint("complete@example.com")
    response = complete(base_url, request_params, token, user_id)
    assert response.status_code == 200, response.text
    assert response.headers["Cache-Control"] == "no-store"
    answer = response.json()
    assert answer["state"] == "state-123" and answer["code"]
    query = flow.redirect_query(answer["redirect_uri"])
    assert answer["redirect_uri"].startswith(flow.REDIRECT_URI + "?")
    assert query == {"code": answer["code"], "state": "state-123", "iss": base_url}
    exchanged = flow.exchange_code(base_url, client_id, answer["code"], verifier)
    assert exchanged.status_code == 200, exchanged.text
    claims = jwt.decode(exchanged.json()["access_token"], options={"verify_signature": False})
    assert claims["sub"] == user_id and claims["client_id"] == client_id

    # Without privy_user_id the token alone identifies the user.
    verifier, challenge = flow.pkce_pair()
    alone = complete(base_url, validated_request(base_url, client_id, challenge), token)
    assert alone.status_code == 200, alone.text
    assert flow.exchange_code(base_url, client_id, alone.json()["code"], verifier).status_code == 200


def test_programmatic_completion_refuses_bad_privy_tokens(privy_stack):
    """RFC 6750 §3.1 invalid_token (401) for a Privy token that is expired, signed by another
    key or meant for another Privy app; invalid_request (400, the original system's answer) for a
    token of another user than privy_user_id names, or a missing token; a denial is access_denied
    at the redirect URI, without a code."""
    base_url = privy_stack.base_url
    privy = privy_stack.privy
    client_id = flow.register(base_url)["client_id"]
    _, challenge = flow.pkce_pair()
    request_params = validated_request(base_url, client_id, challenge)
    other_app = FakePrivyServer(app_id="another-privy-app")
    other_app.private_key = privy.private_key

    expired, expired_user = privy.mint("expired@example.com", lifetime=-600)
    wrong_key, wrong_key_user = privy.mint("wrong-key@example.com", key=privy.wrong_key)
    wrong_audience, wrong_audience_user = other_app.mint("audience@example.com")
    valid, _ = privy.mint("valid@example.com")
    for what, token, user_id in (("expired", expired, expired_user), ("another key", wrong_key, wrong_key_user),
                                 ("another app", wrong_audience, wrong_audience_user),
                                 ("not a JWT", "not-a-token", None)):
        response = complete(base_url, request_params, token, user_id)
        assert response.status_code == 401, (what, response.status_code, response.text)
        assert response.json()["error"] == "invalid_token", (what, response.text)
        assert "code" not in response.json(), what
    another_user = complete(base_url, request_params, valid, "did:privy:someone-else")
    assert another_user.status_code == 400 and another_user.json()["error"] == "invalid_request"
    assert "code" not in another_user.json()

    missing = complete(base_url, request_params, None)
    assert missing.status_code == 400 and missing.json()["error"] == "invalid_request"
    # Calling the programmatic completion is the approval: user_consent may be left out.
    no_consent = complete(base_url, request_params, valid, consent=None)
    assert no_consent.status_code == 200 and no_consent.json()["code"], no_consent.text

    denied = complete(base_url, request_params, valid, consent="false")
    assert denied.status_code == 200, denied.text
    assert denied.json().get("code") is None
    query = flow.redirect_query(denied.json()["redirect_uri"])
    assert query["error"] == "access_denied" and query["state"] == "state-123" and "code" not in query
    assert denied.json()["error"] == "access_denied"


def test_programmatic_completion_refuses_bad_requests(privy_stack):
    """RFC 6749 §4.1.2.1: the completion re-validates the whole authorization request. An unknown
    client or an unregistered redirect URI gets 400 invalid_client (the original system's answer)
    and never a redirect URI; other faults
    (PKCE missing, RFC 7636 §4.4.1; unknown scope, RFC 6749 §3.3) name the registered redirect
    URI with error, state and iss; no code in any of them."""
    base_url = privy_stack.base_url
    client_id = flow.register(base_url)["client_id"]
    _, challenge = flow.pkce_pair()
    request_params = validated_request(base_url, client_id, challenge)
    token, user_id = privy_stack.privy.mint("requests@example.com")

    unknown = complete(base_url, {**request_params, "client_id": "client_never_registered"}, token, user_id)
    assert unknown.status_code == 400 and unknown.json()["error"] == "invalid_client"
    assert "redirect_uri" not in unknown.json()
    foreign_redirect = complete(base_url, {**request_params, "redirect_uri": "https://evil.example/cb"}, token, user_id)
    assert foreign_redirect.status_code == 400 and foreign_redirect.json()["error"] == "invalid_client"
    assert "redirect_uri" not in foreign_redirect.json()

    for change, error in (({"code_challenge": None}, "invalid_request"), ({"code_challenge_method": "plain"}, "invalid_request"),
                          ({"scope": "admin"}, "invalid_scope"), ({"resource": "https://evil.example/mcp"}, "invalid_target")):
        body = dict(request_params)
        for name, value in change.items():
            if value is None:
                body.pop(name)
            else:
                body[name] = value
        response = complete(base_url, body, token, user_id)
        assert response.status_code == 400, (change, response.text)
        answer = response.json()
        assert answer["error"] == error and "code" not in answer, (change, answer)
        query = flow.redirect_query(answer["redirect_uri"])
        assert answer["redirect_uri"].startswith(flow.REDIRECT_URI + "?"), change
        assert query["error"] == error and query["state"] == "state-123" and query["iss"] == base_url, change

    not_json = requests.post(base_url + "/authorize/complete", data=b"{", headers={"Content-Type": "application/json"},
                             timeout=10)
    assert not_json.status_code == 400 and not_json.json()["error"] == "invalid_request"


def test_privy_token_exchange_for_an_allowed_client(privy_stack):
    """The original system's Privy token exchange behind `privy:token:exchange`: granted only to
    clients in PRIVY_EXCHANGE_CLIENTS (RFC 6749 §3.3), it answers the user's Privy token; a token
    without the scope gets 403 insufficient_scope (RFC 6750 §3.1)."""
    base_url = privy_stack.base_url
    metadata = requests.get(base_url + "/.well-known/oauth-authorization-server", timeout=10).json()
    assert "privy:token:exchange" in metadata["scopes_supported"]

    def tokens_for(scope, email):
        verifier, challenge = flow.pkce_pair()
        request_params = validated_request(base_url, EXCHANGE_CLIENT, challenge, scope=scope,
                                           redirect_uri=CHATGPT_REDIRECT_URI)
        privy_token, user_id = privy_stack.privy.mint(email)
        answer = complete(base_url, request_params, privy_token, user_id)
        assert answer.status_code == 200, answer.text
        exchanged = flow.exchange_code(base_url, EXCHANGE_CLIENT, answer.json()["code"], verifier,
                                       redirect_uri=CHATGPT_REDIRECT_URI)
        assert exchanged.status_code == 200, exchanged.text
        return exchanged.json(), privy_token, user_id

    tokens, privy_token, user_id = tokens_for("read privy:token:exchange", "exchange@example.com")
    assert tokens["scope"] == "read privy:token:exchange"
    response = requests.post(base_url + "/token/privy/access-token",
                             headers={"Authorization": "Bearer " + tokens["access_token"]}, timeout=10)
    assert response.status_code == 200, response.text
    assert response.headers["Cache-Control"] == "no-store"
    assert response.json() == {"privy_access_token": privy_token, "token_type": "Bearer", "privy_user_id": user_id}

    without_scope, _, _ = tokens_for("read write", "no-exchange@example.com")
    refused = requests.post(base_url + "/token/privy/access-token",
                            headers={"Authorization": "Bearer " + without_scope["access_token"]}, timeout=10)
    assert refused.status_code == 403
    assert parse_challenge(refused.headers["WWW-Authenticate"])["error"] == "insufficient_scope"
    anonymous = requests.post(base_url + "/token/privy/access-token", timeout=10)
    assert anonymous.status_code == 401

    # A client not listed cannot even ask for the scope.
    client_id = flow.register(base_url)["client_id"]
    _, challenge = flow.pkce_pair()
    asked = requests.get(base_url + "/authorize?" + urlencode(flow.authorize_params(client_id, challenge,
                                                                                    scope="read privy:token:exchange")),
                         allow_redirects=False, timeout=10)
    assert asked.status_code == 302 and flow.redirect_query(asked.headers["Location"])["error"] == "invalid_scope"
