"""The OAuth 2.1 authorization server end to end, as ChatGPT and other clients use it."""
import json
from urllib.parse import urlencode, urlparse

import jwt
import pytest
import requests
from authlib.integrations.requests_client import OAuth2Session

import oauth_flow as flow


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
    assert [s["name"] for s in shown["scopes"]] == ["read", "write", "offline_access"]
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
    mismatch = flow.decide(stack.base_url, request_params, {**login, "privy_user_id": "did:privy:someone-else"})
    assert mismatch.status_code == 401


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
