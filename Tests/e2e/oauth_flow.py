"""The OAuth steps a client such as ChatGPT performs against the running stack, with the
development login standing in for Privy. Shared by the end-to-end suites and by
bench/http_bench.py: register, PKCE, the consent page's requests (consent_details, dev_login,
decide), obtain_code (authorize -> login -> consent), exchange_code and redeem, refresh,
and tokens_for_new_client (the whole flow)."""
import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlencode, urlparse

import requests

REDIRECT_URI = "https://chatgpt.com/connector/oauth/e2e-callback"


def pkce_pair():
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def register(base_url, redirect_uris=(REDIRECT_URI,), name="E2E client"):
    response = requests.post(base_url + "/register", json={
        "client_name": name, "redirect_uris": list(redirect_uris), "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"], "token_endpoint_auth_method": "none"}, timeout=10)
    assert response.status_code == 201, response.text
    return response.json()


def authorize_params(client_id, challenge, redirect_uri=REDIRECT_URI, state="state-123", scope=None, resource=None):
    params = {"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri, "state": state,
              "code_challenge": challenge, "code_challenge_method": "S256"}
    if scope is not None:
        params["scope"] = scope
    if resource is not None:
        params["resource"] = resource
    return params


def consent_details(base_url, params):
    return requests.get(base_url + "/authorize?" + urlencode(params), headers={"Accept": "application/json"}, timeout=10)


def dev_login(base_url, email="user@example.com"):
    response = requests.post(base_url + "/authorize/dev-login", json={"email": email}, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def decide(base_url, request_params, login, approve=True, timeout=10):
    """POST /authorize as the consent page does; `login` holds privy_token and privy_user_id (from
    dev_login, or a Privy token minted by a test). `approve` is sent as is: True/False, or the
    strings "true"/"false" that other clients send."""
    body = dict(request_params)
    body.update({"privy_token": login["privy_token"], "privy_user_id": login["privy_user_id"], "user_consent": approve})
    return requests.post(base_url + "/authorize", json=body, timeout=timeout)


def redirect_query(url):
    return {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}


def obtain_code(base_url, client_id, email="user@example.com", **kwargs):
    """Runs authorize -> login -> consent; returns (code, verifier, consent request params)."""
    verifier, challenge = pkce_pair()
    details = consent_details(base_url, authorize_params(client_id, challenge, **kwargs))
    assert details.status_code == 200, details.text
    request_params = details.json()["request"]
    decision = decide(base_url, request_params, dev_login(base_url, email))
    assert decision.status_code == 200, decision.text
    query = redirect_query(decision.json()["redirect_uri"])
    return query["code"], verifier, request_params


def exchange_code(base_url, client_id, code, verifier, redirect_uri=REDIRECT_URI, **extra):
    data = {"grant_type": "authorization_code", "code": code, "code_verifier": verifier, "client_id": client_id,
            "redirect_uri": redirect_uri, **extra}
    return requests.post(base_url + "/token", data=data, timeout=10)


def redeem(base_url, client_id, code, verifier, redirect_uri=REDIRECT_URI, **extra):
    """exchange_code, which must succeed; returns the token response JSON."""
    response = exchange_code(base_url, client_id, code, verifier, redirect_uri=redirect_uri, **extra)
    assert response.status_code == 200, response.text
    return response.json()


def refresh(base_url, client_id, refresh_token, **extra):
    return requests.post(base_url + "/token", data={"grant_type": "refresh_token", "refresh_token": refresh_token,
                                                     "client_id": client_id, **extra}, timeout=10)


def tokens_for_new_client(base_url, email="user@example.com", **kwargs):
    """Registers a client and completes the whole flow; returns (client_id, token response JSON)."""
    client_id = register(base_url)["client_id"]
    code, verifier, _ = obtain_code(base_url, client_id, email, **kwargs)
    return client_id, redeem(base_url, client_id, code, verifier)
