"""What the stack writes to its logs: one JSON line per request, and never a secret.

The rule checked (README "Running FCGIApp", SECURITY.md "Leaks through logs"): one structured log
line per request on stderr (JSON: time, request id, method, path, status, duration in ms); never
a token, code or secret, not even in a query string.

One stack per storage driver (memory, and PostgreSQL when TEST_DATABASE_URL is set), configured as
in production: its own RSA signing key and TOKEN_ENCRYPTION_KEY, a Privy app (fake_privy_server.py:
real Privy-format tokens and the user API, with an app secret) and the items API stand-in
(fake_backend.py), so the user's Privy token also travels to the items API. The module sends every
request that carries a secret once, recording each secret used or issued, then stops the stack so
every log is complete, and the tests read FCGIApp's stderr (the stack's fcgiapp.log) and nginx's
access and error logs.

The error paths are driven too, since nginx's error log writes the request line of each error it
logs: a body over nginx's cap (413) and over FCGIApp's MAX_BODY_BYTES (413), secrets in the query
string (400, refused by nginx/app-routes.conf before the body is read), FCGIApp too slow for
nginx's fastcgi_read_timeout (504) and FCGIApp down (502), each with the access token in the
Authorization header and a secret in the body.
"""
import base64
import json
import secrets
from datetime import datetime, timezone
from urllib.parse import urlencode

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

import oauth_flow as flow
from conftest import EXCHANGE_CLIENT, STORAGE_DRIVERS, start_fake_backend, stop_fake_backend, storage_environment
from fake_privy_server import FakePrivyServer
from stack import PROJECT_DIR, Stack, wait_until

CHATGPT_REDIRECT_URI = "https://chatgpt.com/connector_platform_oauth_redirect"
MCP_HEADERS = {"Accept": "application/json, text/event-stream", "MCP-Protocol-Version": "2025-06-18"}
ACCESS_FIELDS = ("time", "request_id", "method", "path", "status", "duration_ms")
# A truncated secret is still a leak: each secret is also looked for by its first characters.
PREFIX = 16
# The Privy user API answers this late once, so one request's duration is known to exceed 1000 ms.
SLOW_LOOKUP_SECONDS = 1.0
# nginx waits this long for FCGIApp's answer here (production.conf: 30 s), and the items API
# answers a call this late, so that call ends in nginx's 504 while FCGIApp is still working.
NGINX_READ_TIMEOUT_SECONDS = 3
SLOW_BACKEND_SECONDS = 5
# Over the local site's client_max_body_size (8m), and over FCGIApp's MAX_BODY_BYTES (1 MiB) only.
OVER_NGINX_CAP = 9 << 20
OVER_APP_CAP = 2 << 20
# The query parameters nginx/app-routes.conf refuses: none of our routes takes them in a query.
QUERY_SECRET_NAMES = ("access_token", "refresh_token", "id_token", "token", "privy_token", "client_secret",
                      "client_assertion", "code_verifier", "code")
# Who answered an exchange: FCGIApp (one access line of its own with the same status), nginx
# before the request reached FCGIApp (no line), or nginx after handing it over (a 504: FCGIApp
# still writes its own line when it is done).
BY_APP, BY_NGINX, BY_NGINX_AFTER_APP = "app", "nginx", "nginx after the app"


class Secrets:
    """Every secret value of the run, by name, with the prefixes that would still give it away."""

    def __init__(self):
        self.values = {}

    def add(self, name, value):
        value = str(value)
        assert len(value) >= PREFIX, f"{name} is too short to be looked for"
        self.values[name] = value
        self.values[name + " (first 16 characters)"] = value[:PREFIX]
        if value.count(".") == 2:
            # A JWT's first characters are its header, the same in every token of the issuer: the
            # payload and the signature are what identify this token.
            payload, signature = value.split(".")[1:]
            self.values[name + " (payload, first 16 characters)"] = payload[:PREFIX]
            self.values[name + " (signature, first 16 characters)"] = signature[:PREFIX]

    def add_pem(self, name, pem: bytes):
        """The key as configured (base64 of the PEM) and each line of the PEM's body."""
        self.add(name, base64.b64encode(pem).decode())
        for number, line in enumerate(pem.decode().splitlines()):
            if line and not line.startswith("-----"):
                self.values[f"{name} (PEM line {number})"] = line

    def found_in(self, text):
        return [(name, value) for name, value in self.values.items() if value in text]


class Traffic:
    """Sends requests to the stack through one session and records each exchange."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.session = requests.Session()
        self.session.hooks["response"].append(self.record)
        self.exchanges = []

    def record(self, response, *args, **kwargs):
        self.exchanges.append({
            "method": response.request.method, "path": response.request.path_url.split("?", 1)[0],
            "status": response.status_code, "request_id": response.headers.get("X-Request-Id"),
            "elapsed_ms": response.elapsed.total_seconds() * 1000, "answered_by": BY_APP})

    def send(self, method, path, answered_by=BY_APP, **kwargs):
        # Never follows a redirect: an error may send the browser to the client's (external) URI.
        response = self.session.request(method, self.base_url + path, allow_redirects=False, timeout=30, **kwargs)
        self.exchanges[-1]["answered_by"] = answered_by
        return response

    def mcp(self, access_token, method, params=None, path="/mcp", answered_by=BY_APP):
        body = {"jsonrpc": "2.0", "id": 1, "method": method, **({"params": params} if params is not None else {})}
        headers = dict(MCP_HEADERS)
        if access_token is not None:
            headers["Authorization"] = "Bearer " + access_token
        return self.send("POST", path, answered_by=answered_by, json=body, headers=headers)


def signing_key_environment(found: Secrets) -> dict:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    encryption_key = base64.b64encode(secrets.token_bytes(32)).decode()
    found.add_pem("JWT_PRIVATE_KEY", private)
    found.add("TOKEN_ENCRYPTION_KEY", encryption_key)
    return {"JWT_PRIVATE_KEY": base64.b64encode(private).decode(), "JWT_PUBLIC_KEY": base64.b64encode(public).decode(),
            "TOKEN_ENCRYPTION_KEY": encryption_key}


def code_for(traffic, found, privy, client_id, name, redirect_uri=flow.REDIRECT_URI, scope=None, complete=False):
    """authorize (HTML page, then its JSON details) -> Privy login -> consent; returns (code, verifier)."""
    verifier, challenge = flow.pkce_pair()
    found.add(f"PKCE verifier of {name}", verifier)
    query = urlencode(flow.authorize_params(client_id, challenge, redirect_uri=redirect_uri, scope=scope))
    page = traffic.send("GET", "/authorize?" + query, headers={"Accept": "text/html"})
    assert page.status_code == 200, page.text
    details = traffic.send("GET", "/authorize?" + query, headers={"Accept": "application/json"})
    assert details.status_code == 200, details.text
    privy_token, user_id = privy.mint(f"{name.replace(' ', '-')}@example.com")
    found.add(f"Privy token of {name}", privy_token)
    body = {**details.json()["request"], "privy_token": privy_token, "privy_user_id": user_id, "user_consent": "true"}
    decision = traffic.send("POST", "/authorize/complete" if complete else "/authorize", json=body)
    assert decision.status_code == 200, decision.text
    answer = decision.json()
    code = answer["code"] if complete else flow.redirect_query(answer["redirect_uri"])["code"]
    found.add(f"authorization code of {name}", code)
    return code, verifier


def add_tokens(found, name, tokens):
    found.add(f"access token of {name}", tokens["access_token"])
    if "refresh_token" in tokens:
        found.add(f"refresh token of {name}", tokens["refresh_token"])
    return tokens


def token_request(traffic, as_json, **fields):
    return traffic.send("POST", "/token", **({"json": fields} if as_json else {"data": fields}))


def drive(stack, privy, backend_url, found: Secrets):
    """Every request of the stack that carries a secret, each answered as the contract says."""
    traffic = Traffic(stack.base_url)
    registered = traffic.send("POST", "/register", json={
        "client_name": "Log client", "redirect_uris": [flow.REDIRECT_URI], "token_endpoint_auth_method": "none",
        "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code"]})
    assert registered.status_code == 201, registered.text
    client_id = registered.json()["client_id"]

    # The consent screen's identity lookup, once with Privy's user API answering late.
    privy_token, _ = privy.mint("identity@example.com")
    found.add("Privy token of the identity lookup", privy_token)
    privy.users_delay = SLOW_LOOKUP_SECONDS
    identity = traffic.send("POST", "/authorize/identity", json={"privy_token": privy_token})
    privy.users_delay = 0
    assert identity.status_code == 200, identity.text
    forged, _ = privy.mint("forged@example.com", key=privy.wrong_key)
    found.add("Privy token signed by another key", forged)
    assert traffic.send("POST", "/authorize/identity", json={"privy_token": forged}).status_code == 401

    # Code exchange as a form and as JSON; the consent by POST /authorize and /authorize/complete.
    code, verifier = code_for(traffic, found, privy, client_id, "form exchange")
    exchanged = token_request(traffic, False, grant_type="authorization_code", code=code, code_verifier=verifier,
                              client_id=client_id, redirect_uri=flow.REDIRECT_URI)
    assert exchanged.status_code == 200, exchanged.text
    form_tokens = add_tokens(found, "form exchange", exchanged.json())
    code, verifier = code_for(traffic, found, privy, client_id, "JSON exchange", complete=True)
    exchanged = token_request(traffic, True, grant_type="authorization_code", code=code, code_verifier=verifier,
                              client_id=client_id, redirect_uri=flow.REDIRECT_URI)
    assert exchanged.status_code == 200, exchanged.text
    json_tokens = add_tokens(found, "JSON exchange", exchanged.json())

    # A wrong code_verifier is refused.
    code, _ = code_for(traffic, found, privy, client_id, "wrong verifier")
    wrong_verifier, _ = flow.pkce_pair()
    found.add("wrong PKCE verifier", wrong_verifier)
    refused = token_request(traffic, False, grant_type="authorization_code", code=code, code_verifier=wrong_verifier,
                            client_id=client_id, redirect_uri=flow.REDIRECT_URI)
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant", refused.text

    # Refresh as a form and as JSON; the old refresh tokens were secrets too.
    refreshed = token_request(traffic, False, grant_type="refresh_token", refresh_token=form_tokens["refresh_token"],
                              client_id=client_id)
    assert refreshed.status_code == 200, refreshed.text
    tokens = add_tokens(found, "form refresh", refreshed.json())
    refreshed = token_request(traffic, True, grant_type="refresh_token", refresh_token=json_tokens["refresh_token"],
                              client_id=client_id)
    assert refreshed.status_code == 200, refreshed.text
    json_refreshed = add_tokens(found, "JSON refresh", refreshed.json())

    # MCP with the Bearer token; tools/call sends the user's Privy token to the items API.
    access = tokens["access_token"]
    initialized = traffic.mcp(access, "initialize", {"protocolVersion": "2025-06-18", "capabilities": {},
                                                     "clientInfo": {"name": "log-test", "version": "1.0.0"}})
    assert initialized.status_code == 200, initialized.text
    assert traffic.mcp(access, "tools/list", {}).status_code == 200
    called = traffic.mcp(access, "tools/call", {"name": "get-items", "arguments": {}})
    assert called.status_code == 200 and called.json()["result"].get("isError") is not True, called.text
    # The items API failing makes FCGIApp log a warning about that call.
    requests.post(backend_url + "/_control", json={"mode": "error"}, timeout=5).raise_for_status()
    failed = traffic.mcp(access, "tools/call", {"name": "get-items", "arguments": {}})
    assert failed.status_code == 200 and failed.json()["result"]["isError"] is True, failed.text
    requests.post(backend_url + "/_control", json={"mode": "ok"}, timeout=5).raise_for_status()
    presented = [entry["authorization"] for entry in requests.get(backend_url + "/_requests", timeout=5).json()]
    assert presented and all(value.startswith("Bearer ") for value in presented)

    # Introspection of both kinds of token.
    for token in (access, tokens["refresh_token"]):
        introspected = traffic.send("POST", "/token/introspect", data={"token": token},
                                    headers={"Authorization": "Bearer " + access})
        assert introspected.status_code == 200 and introspected.json()["active"] is True, introspected.text

    # The Privy token exchange answers the user's Privy token in its body.
    code, verifier = code_for(traffic, found, privy, EXCHANGE_CLIENT, "Privy exchange",
                              redirect_uri=CHATGPT_REDIRECT_URI, scope="read privy:token:exchange")
    exchanged = token_request(traffic, False, grant_type="authorization_code", code=code, code_verifier=verifier,
                              client_id=EXCHANGE_CLIENT, redirect_uri=CHATGPT_REDIRECT_URI)
    assert exchanged.status_code == 200, exchanged.text
    exchange_tokens = add_tokens(found, "Privy exchange", exchanged.json())
    answered = traffic.send("POST", "/token/privy/access-token",
                            headers={"Authorization": "Bearer " + exchange_tokens["access_token"]})
    assert answered.status_code == 200 and answered.json()["privy_access_token"], answered.text

    # Secrets in query strings: a live access token and an unredeemed code, and each refused name.
    code, _ = code_for(traffic, found, privy, client_id, "query string")
    refuse_secrets_in_query(traffic, found, access, code)

    # Bad Bearer tokens: our token with its signature altered, and one that is no JWT at all.
    header, payload, signature = access.split(".")
    tampered = ".".join((header, payload, ("A" if signature[0] != "A" else "B") + signature[1:]))
    found.add("access token with an altered signature", tampered)
    made_up = "not-a-token-" + secrets.token_urlsafe(24)
    found.add("made-up Bearer token", made_up)
    for bad in (tampered, made_up):
        assert traffic.mcp(bad, "tools/list", {}).status_code == 401

    # Revocation of a refresh token and of an access token.
    for token in (json_refreshed["refresh_token"], json_refreshed["access_token"]):
        revoked = traffic.send("POST", "/revoke", data={"token": token, "client_id": client_id})
        assert revoked.status_code == 200, revoked.text

    # The items API rejecting the Privy token makes FCGIApp revoke the grant and log it.
    requests.post(backend_url + "/_control", json={"mode": "unauthorized"}, timeout=5).raise_for_status()
    rejected = traffic.mcp(exchange_tokens["access_token"], "tools/call", {"name": "get-items", "arguments": {}})
    assert rejected.status_code == 200 and rejected.json()["result"]["isError"] is True, rejected.text

    drive_error_paths(stack, traffic, found, access, backend_url)
    return traffic.exchanges


def assert_refused_in_query(response):
    """nginx's own refusal (nginx/app-routes.conf): a 400 with an OAuth-style JSON error."""
    assert response.status_code == 400, (response.status_code, response.text[:300])
    assert response.headers["Content-Type"] == "application/json", response.headers
    assert response.json()["error"] == "invalid_request"
    assert "X-Request-Id" not in response.headers, "the request reached FCGIApp"


def refuse_secrets_in_query(traffic, found, access, code):
    """Every refused parameter name (also in capitals, and with a percent escape that FCGIApp
    would decode) on an application route and on a static file; a live access token and code on
    /health, /mcp and /authorize; and POST /mcp?access_token=... with a body over nginx's cap,
    refused before the body is read, so nginx's 413 (whose error-log line has the request line)
    never happens."""
    for name in QUERY_SECRET_NAMES:
        value = secrets.token_urlsafe(24)
        found.add(f"{name} in a query string", value)
        for path in ("/health", "/index.html"):
            assert_refused_in_query(traffic.send("GET", f"{path}?prompt=consent&{name}={value}", answered_by=BY_NGINX))
        assert_refused_in_query(traffic.send("GET", f"/health?{name.upper()}={value}", answered_by=BY_NGINX))
    escaped = secrets.token_urlsafe(24)
    found.add("access_token with an escaped name", escaped)
    assert_refused_in_query(traffic.send("GET", "/health?access%5Ftoken=" + escaped, answered_by=BY_NGINX))
    query = "?" + urlencode({"code": code, "access_token": access})
    assert_refused_in_query(traffic.send("GET", "/health" + query, answered_by=BY_NGINX))
    assert_refused_in_query(traffic.mcp(None, "tools/list", {}, path="/mcp" + query, answered_by=BY_NGINX))
    assert_refused_in_query(traffic.send("GET", "/authorize" + query, headers={"Accept": "application/json"},
                                         answered_by=BY_NGINX))
    assert_refused_in_query(traffic.send("POST", "/mcp?access_token=" + access, data=b"x" * OVER_NGINX_CAP,
                                         headers={**MCP_HEADERS, "Content-Type": "application/json"},
                                         answered_by=BY_NGINX))
    # A query without those names still reaches FCGIApp.
    assert traffic.send("GET", "/health?probe=1").status_code == 200


def body_with_secret(found, name, size):
    """A JSON-RPC body of about `size` bytes with a secret of its own at its start."""
    secret = secrets.token_urlsafe(24)
    found.add(name, secret)
    head = b'{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"secret":"' + secret.encode() + b'","pad":"'
    return head + b"p" * max(0, size - len(head) - 3) + b'"}}'


def drive_error_paths(stack, traffic, found, access, backend_url):
    """The errors nginx writes to its error log (with the request line) and FCGIApp's own 413,
    each with the access token in the Authorization header and a secret in the body. The last
    step stops FCGIApp."""
    headers = {**MCP_HEADERS, "Content-Type": "application/json", "Authorization": "Bearer " + access}
    over_nginx = traffic.send("POST", "/mcp", data=body_with_secret(found, "body over nginx's cap", OVER_NGINX_CAP),
                              headers=headers, answered_by=BY_NGINX)
    assert over_nginx.status_code == 413, over_nginx.status_code
    over_app = traffic.send("POST", "/mcp", data=body_with_secret(found, "body over MAX_BODY_BYTES", OVER_APP_CAP),
                            headers=headers)
    assert over_app.status_code == 413 and over_app.headers["Content-Type"].startswith("application/json"), \
        over_app.text[:300]

    # The items API answering after nginx stopped waiting: nginx's 504, FCGIApp still at work.
    lines_before = len(stack.app_log_text().splitlines())
    requests.post(backend_url + "/_control", json={"mode": "slow", "delay": SLOW_BACKEND_SECONDS},
                  timeout=5).raise_for_status()
    call = body_with_secret(found, "body of a call nginx gave up on", 0)
    call = call.replace(b'"method":"tools/list","params":{', b'"method":"tools/call","params":{"name":"get-items",'
                        b'"arguments":{},')
    timed_out = traffic.send("POST", "/mcp", data=call, headers=headers, answered_by=BY_NGINX_AFTER_APP)
    assert timed_out.status_code == 504, (timed_out.status_code, timed_out.text[:300])
    # FCGIApp's own line for that call, once the items API has answered.
    wait_until(lambda: len(stack.app_log_text().splitlines()) > lines_before, timeout=SLOW_BACKEND_SECONDS + 10,
               what="FCGIApp's line for the call nginx gave up on")
    requests.post(backend_url + "/_control", json={"mode": "ok"}, timeout=5).raise_for_status()

    # FCGIApp down: nginx's 502.
    assert stack.stop_app() == 0
    down = traffic.send("POST", "/mcp", data=body_with_secret(found, "body sent while FCGIApp was down", 0),
                        headers=headers, answered_by=BY_NGINX)
    assert down.status_code == 502, down.status_code


class LogStack(Stack):
    """The stack with nginx's fastcgi_read_timeout shortened, so a slow call ends in its 504."""

    def adjust_nginx_config(self, config):
        return config.replace("client_max_body_size 8m;",
                              f"client_max_body_size 8m;\n    fastcgi_read_timeout {NGINX_READ_TIMEOUT_SECONDS}s;")


@pytest.fixture(scope="module", params=STORAGE_DRIVERS)
def logged_run(request, tmp_path_factory):
    """Runs the traffic against a fresh stack, stops it, and answers what its logs hold."""
    found = Secrets()
    privy = FakePrivyServer(app_secret=secrets.token_urlsafe(24)).start()
    found.add("PRIVY_APP_SECRET", privy.app_secret)
    found.add("Privy Basic credentials", base64.b64encode(f"{privy.app_id}:{privy.app_secret}".encode()).decode())
    backend, backend_url = start_fake_backend()
    run_dir = tmp_path_factory.mktemp("logs-stack")
    stack = None
    try:
        env = {**storage_environment(request.param), **signing_key_environment(found), **privy.app_env(),
               "PRIVY_EXCHANGE_CLIENTS": EXCHANGE_CLIENT, "BACKEND_API_URL": backend_url}
        started = datetime.now(timezone.utc)
        stack = LogStack(run_dir, env=env).start()
        exchanges = drive(stack, privy, backend_url, found)
    finally:
        if stack is not None:
            stack.stop()
        stop_fake_backend(backend)
        privy.stop()
    finished = datetime.now(timezone.utc)
    logs = {name: (run_dir / path).read_text(errors="replace")
            for name, path in (("FCGIApp stderr", "fcgiapp.log"), ("nginx access log", "logs/nginx-access.log"),
                               ("nginx error log", "logs/nginx-error.log"))}
    return {"secrets": found, "exchanges": exchanges, "logs": logs, "started": started, "finished": finished}


def leaks(found: Secrets, name, text):
    """Which secrets the text holds and where, whole values first (a JWT's first characters are
    its header, shared by every token of its issuer, so that match names the first such token)."""
    matches = sorted(found.found_in(text), key=lambda match: "(" in match[0])
    return [f"{name} holds the {secret} on line: {line.strip()[:300]}"
            for secret, value in matches for line in text.splitlines() if value in line][:20]


def test_app_log_holds_no_token_code_or_secret(logged_run):
    """Never a token, code or secret in FCGIApp's stderr, not even from a query string or in part:
    authorization codes, PKCE verifiers, access and refresh tokens, Privy tokens, the Privy app
    secret, TOKEN_ENCRYPTION_KEY and the signing key, each whole and by its first 16 characters
    (README "Running FCGIApp", SECURITY.md "Leaks through logs")."""
    log = logged_run["logs"]["FCGIApp stderr"]
    assert log.strip(), "FCGIApp wrote nothing to stderr"
    assert leaks(logged_run["secrets"], "FCGIApp stderr", log) == []


@pytest.mark.parametrize("log_name", ["nginx access log", "nginx error log"])
def test_nginx_logs_hold_no_token_code_or_secret(logged_run, log_name):
    """The same rule for the web server's logs of the stack: a code or access token sent in a
    query string must not be written there either (SECURITY.md "Leaks through logs")."""
    log = logged_run["logs"][log_name]
    if log_name == "nginx access log":
        assert len(log.splitlines()) >= len(logged_run["exchanges"]), "nginx logged fewer requests than were sent"
    assert leaks(logged_run["secrets"], log_name, log) == []


def test_nginx_error_log_holds_the_error_paths_without_secrets(logged_run):
    """The error paths were written to nginx's error log (so the leak check above read them): the
    body over the cap (413), FCGIApp too slow (504) and FCGIApp down (502), each line with its
    request line but never a query; the refusals of secrets in the query wrote nothing there."""
    log = logged_run["logs"]["nginx error log"]
    for error in ("client intended to send too large body", "upstream timed out", "while connecting to upstream"):
        lines = [line for line in log.splitlines() if error in line]
        assert lines, f"nginx's error log has no line with {error!r}:\n{log[-2000:]}"
        for line in lines:
            assert 'request: "POST /mcp HTTP/1.1"' in line, line
    assert "?" not in "".join(line.split('request: "', 1)[-1].split('"', 1)[0]
                              for line in log.splitlines() if 'request: "' in line)
    statuses = [(exchange["status"], exchange["answered_by"]) for exchange in logged_run["exchanges"]]
    for expected in ((413, BY_NGINX), (413, BY_APP), (400, BY_NGINX), (504, BY_NGINX_AFTER_APP), (502, BY_NGINX)):
        assert expected in statuses, expected


def test_every_app_log_line_is_a_json_object(logged_run):
    """Structured logging (README "Running FCGIApp"): each line FCGIApp writes to stderr, access
    lines and messages alike, is one JSON object."""
    lines = logged_run["logs"]["FCGIApp stderr"].splitlines()
    assert lines
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            pytest.fail(f"not JSON: {line[:300]}")
        assert isinstance(record, dict), line[:300]


def test_each_request_has_exactly_one_access_line(logged_run):
    """One log line per request (README "Running FCGIApp"): time, request_id (the X-Request-Id
    the response carried), method, path without the query string, status as answered, and
    duration_ms in milliseconds: a number no larger than the client's round trip, and at least
    1000 for the request that waited SLOW_LOOKUP_SECONDS for Privy's user API."""
    records = [json.loads(line) for line in logged_run["logs"]["FCGIApp stderr"].splitlines()]
    # Messages (start, stop, warnings) carry level and msg; every other line is an access line.
    access = [record for record in records if "msg" not in record]
    # Requests nginx answered itself never reached FCGIApp, but for the one it gave up on (504),
    # whose line FCGIApp wrote when it was done.
    everything = logged_run["exchanges"]
    exchanges = [exchange for exchange in everything if exchange["answered_by"] == BY_APP]
    given_up = [exchange for exchange in everything if exchange["answered_by"] == BY_NGINX_AFTER_APP]
    assert all(exchange["request_id"] for exchange in exchanges), "a response without X-Request-Id"
    assert len(access) == len(exchanges) + len(given_up), (len(access), len(exchanges), len(given_up))
    by_id = {}
    for record in access:
        assert set(ACCESS_FIELDS) <= set(record), record
        by_id.setdefault(record["request_id"], []).append(record)
    for exchange in exchanges:
        lines = by_id.get(exchange["request_id"], [])
        assert len(lines) == 1, (exchange, lines)
        record = lines[0]
        assert (record["method"], record["path"], record["status"]) == \
            (exchange["method"], exchange["path"], exchange["status"]), (record, exchange)
        stamp = datetime.strptime(record["time"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
        assert logged_run["started"] <= stamp <= logged_run["finished"], record
        duration = record["duration_ms"]
        assert isinstance(duration, (int, float)) and not isinstance(duration, bool), record
        assert 0 <= duration <= exchange["elapsed_ms"] + 5, (record, exchange)
    slow = [line for exchange in exchanges if exchange["path"] == "/authorize/identity" and exchange["status"] == 200
            for line in by_id[exchange["request_id"]]]
    assert len(slow) == 1 and slow[0]["duration_ms"] >= SLOW_LOOKUP_SECONDS * 1000, slow


@pytest.mark.parametrize("config", ["nginx/local.conf.in", "nginx/production.conf"])
def test_nginx_sites_log_paths_without_query_strings(config):
    """The nginx sites write every access line in the `chatgpt_app_private` format, which has the
    path but no query string and no Referer (the consent page's address): a query may carry an
    `access_token` (RFC 6750 §2.3, refused by FCGIApp but written by nginx's default format
    before it answers) or a code. The production site is not run by the log test above, so its
    configuration is checked here."""
    text = (PROJECT_DIR / config).read_text()
    lines = [line.strip() for line in text.splitlines() if not line.strip().startswith("#")]
    access_logs = [line for line in lines if line.startswith("access_log ")]
    assert access_logs, f"{config} names no access_log, so nginx's default format would apply"
    for line in access_logs:
        assert line.rstrip(";").split()[-1] == "chatgpt_app_private", line
    start = next(index for index, line in enumerate(lines) if line.startswith("log_format chatgpt_app_private "))
    end = next(index for index in range(start, len(lines)) if lines[index].endswith(";"))
    log_format = " ".join(lines[start:end + 1])
    for variable in ("$request ", "$request\"", "$request_uri", "$args", "$query_string", "$arg_", "$http_referer",
                     "$is_args"):
        assert variable not in log_format, f"{config}: the access log format has {variable}"
    assert "$uri" in log_format
