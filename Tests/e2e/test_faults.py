"""Fault injection end to end: what users see while a part of the system fails, and after.

Each test injects one fault under a bounded load through nginx and prints one row of the fault
table (fault, requests sent, requests failed during the fault, recovery time, tokens lost,
clients lost); the whole table is printed again at the end of the module. "Tokens lost" counts
access/refresh tokens issued before the fault that no longer work after it; "clients lost"
counts clients registered (201 from POST /register) before or during the fault that the
server no longer knows after it. Both must be 0.

  PostgreSQL stopped and restarted   (like test_postgres.py's outage test, shorter)
  FCGIApp killed with SIGKILL        under scripts/run.sh (`make run`), which starts a new one
                                     after 0.5 s; PostgreSQL storage, fixed JWT keys and
                                     TOKEN_ENCRYPTION_KEY, so tokens survive
  nginx reloaded                     `nginx -s reload` three times: no request may fail
  backend API hanging / garbage      BACKEND_API_URL -> fake_backend.py; tools/call get-items
                                     must come back as a tool error within the timeout
  Privy JWKS unreachable / hanging   PRIVY_APP_ID without PRIVY_VERIFICATION_KEY; POST /authorize
                                     must answer 503 temporarily_unavailable, quickly, never 2xx

Everything binds to 127.0.0.1 or unix sockets; every load loop is bounded in count and time and
every process started here is stopped in `finally`.
"""
import base64
import json
import os
import secrets
import signal
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import ec

import oauth_flow as flow
from pg_cluster import PgCluster, server_binaries_available
from stack import Stack, free_port, operator_keys, wait_until
from test_foundation import RunScript

TIMEOUT = 10.0
ROWS = []
HEADER = (f"  {'fault':<38} {'requests':>8} {'failed in fault':>15} {'unexpected':>10} {'recovery':>9} "
          f"{'tokens lost':>11} {'clients lost':>12}")


# ------------------------------------------------------------------------------- reporting

def row(capsys, fault, sent, failed, unexpected, recovery, lost, clients_lost, note=""):
    """failed in fault: requests that did not succeed while the fault lasted (expected: the
    503s of an outage, the tool errors of a broken API); unexpected: answers that break the
    rule (another 5xx, a hang, a success where a refusal was due) - must be 0; recovery: from
    the end of the fault to the first success; tokens lost and clients lost: must be 0."""
    recovery_text = "-" if recovery is None else ("never" if recovery == "never" else f"{recovery:.2f} s")
    line = f"  {fault:<38} {sent:>8} {failed:>15} {unexpected:>10} {recovery_text:>9} {lost:>11} {clients_lost:>12}"
    ROWS.append(line)
    with capsys.disabled():
        print("\n" + HEADER + "\n" + line + (f"\n    {note}" if note else ""))


@pytest.fixture(scope="module", autouse=True)
def fault_table(request):
    yield
    if not ROWS:
        return
    text = "\n".join(["", "", "fault injection summary (unexpected, tokens lost and clients lost must be 0)", HEADER, *ROWS])
    capture = request.config.pluginmanager.getplugin("capturemanager")
    if capture:
        with capture.global_and_fixture_disabled():
            print(text)
    else:
        print(text)


# --------------------------------------------------------------------------------- helpers

def json_of(response):
    try:
        return response.json()
    except ValueError:
        return {}


def healthy(stack) -> bool:
    try:
        return requests.get(stack.base_url + "/health", timeout=2).status_code == 200
    except requests.RequestException:
        return False


class Record:
    __slots__ = ("kind", "started", "ended", "status", "error", "client_id")

    def __init__(self, kind, started, ended, status, error, client_id=None):
        self.kind, self.started, self.ended, self.status, self.error = kind, started, ended, status, error
        self.client_id = client_id  # of a registration answered 201

    @property
    def ok(self):
        return self.status in (200, 201) and self.error is None


class Load:
    """`threads` loops sending, through nginx, a mix that needs the store: introspection and an
    MCP ping (reads: the access session) and a registration (a write; `registered()` lists the
    clients it made). Each request opens its own connection, so a request that fails did fail,
    not a stale pooled connection."""

    KINDS = ("introspect", "mcp", "register")

    def __init__(self, base_url, access_token, threads=3, seconds=60, limit=5000):
        self.base_url, self.token = base_url, access_token
        self.stop_event = threading.Event()
        self.records, self.lock = [], threading.Lock()
        self.deadline = time.monotonic() + seconds
        self.limit = limit
        self.threads = [threading.Thread(target=self.loop, args=(i,), daemon=True) for i in range(threads)]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_):
        self.stop()

    def stop(self):
        self.stop_event.set()
        for thread in self.threads:
            thread.join(TIMEOUT + 5)
        assert not any(thread.is_alive() for thread in self.threads), "a load thread hung"

    def send(self, kind):
        """Returns (status, error or None, client_id of a registration or None)."""
        auth = {"Authorization": "Bearer " + self.token}
        if kind == "introspect":
            response = requests.post(self.base_url + "/token/introspect", data={"token": self.token}, headers=auth,
                                     timeout=TIMEOUT)
            if response.status_code != 200:
                return response.status_code, json_of(response).get("error") or "no JSON error", None
            return 200, None if json_of(response).get("active") is True else "inactive", None
        if kind == "mcp":
            response = requests.post(self.base_url + "/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "ping"},
                                     headers=auth, timeout=TIMEOUT)
            return (response.status_code,
                    (json_of(response).get("error") or "no JSON error") if response.status_code != 200 else None, None)
        response = requests.post(self.base_url + "/register", timeout=TIMEOUT, json={
            "client_name": "fault load", "redirect_uris": [flow.REDIRECT_URI], "token_endpoint_auth_method": "none"})
        if response.status_code != 201:
            return response.status_code, json_of(response).get("error") or "no JSON error", None
        client_id = json_of(response).get("client_id")
        return 201, None if client_id else "no client_id", client_id

    def loop(self, index):
        sent = 0
        while not self.stop_event.is_set() and time.monotonic() < self.deadline and sent < self.limit:
            kind = self.KINDS[(sent + index) % len(self.KINDS)]
            started = time.monotonic()
            try:
                status, error, client_id = self.send(kind)
            except requests.RequestException as exception:
                status, error, client_id = None, type(exception).__name__, None
            with self.lock:
                self.records.append(Record(kind, started, time.monotonic(), status, error, client_id))
            sent += 1
            time.sleep(0.01)

    def snapshot(self):
        with self.lock:
            return list(self.records)

    def registered(self):
        return [r.client_id for r in self.snapshot() if r.client_id]

    def first_success_after(self, moment):
        return min((r.ended for r in self.snapshot() if r.ok and r.started >= moment), default=None)

    def wait_for_success_after(self, moment, limit):
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            found = self.first_success_after(moment)
            if found is not None:
                return found
            time.sleep(0.02)
        return None


def tokens_before(base_url, count=3):
    return [flow.tokens_for_new_client(base_url, email=f"fault{i}-{secrets.token_hex(3)}@example.com") for i in range(count)]


def lost_tokens(base_url, issued) -> int:
    """Each token set must still work: the access token at /mcp and in introspection, and the
    refresh token must rotate."""
    lost = 0
    for client_id, tokens in issued:
        auth = {"Authorization": "Bearer " + tokens["access_token"]}
        ping = requests.post(base_url + "/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "ping"}, headers=auth,
                             timeout=TIMEOUT)
        active = requests.post(base_url + "/token/introspect", data={"token": tokens["access_token"]}, headers=auth,
                               timeout=TIMEOUT)
        rotated = flow.refresh(base_url, client_id, tokens["refresh_token"])
        if ping.status_code != 200 or json_of(active).get("active") is not True or rotated.status_code != 200:
            lost += 1
    return lost


def lost_clients(base_url, client_ids) -> int:
    """Each registered client must still be known: GET /authorize with its client_id and
    registered redirect URI shows the consent details (200); an unknown client_id is refused
    there (RFC 6749 §4.1.2.1: an error page, never a redirect), which is checked first so that
    the count can find a loss."""
    def known(client_id):
        _, challenge = flow.pkce_pair()
        return flow.consent_details(base_url, flow.authorize_params(client_id, challenge)).status_code == 200

    assert not known("unregistered-" + secrets.token_hex(8)), "an unknown client_id was accepted"
    return sum(1 for client_id in client_ids if not known(client_id))


# ----------------------------------------------------------------------------- PostgreSQL

needs_postgres = pytest.mark.skipif(not server_binaries_available(),
                                    reason="PostgreSQL server binaries are not installed (make deps installs postgresql)")


@pytest.fixture(scope="module")
def cluster():
    if not server_binaries_available():
        pytest.skip("PostgreSQL server binaries are not installed")
    owned = PgCluster(prefix="chatgpt-app-faults.")
    try:
        owned.start()
        yield owned
    finally:
        owned.destroy()


def postgres_stack(tmp_path, cluster, name):
    folder = tmp_path / name
    folder.mkdir()
    return Stack(folder, env={"AUTH_STORAGE_DRIVER": "postgres", "DATABASE_URL": cluster.url, **operator_keys()[1]})


@needs_postgres
def test_postgres_stopped_and_restarted_under_load(cluster, tmp_path, capsys):
    """The database goes away for ~2 s under load: requests get 503 temporarily_unavailable (never
    a hang or another 5xx), service returns within 2 s of the database, no token is lost."""
    stack = postgres_stack(tmp_path, cluster, "pg-restart")
    try:
        stack.start()
        issued = tokens_before(stack.base_url)
        with Load(stack.base_url, issued[0][1]["access_token"]) as load:
            time.sleep(1.0)
            fault = time.monotonic()
            cluster.stop()
            time.sleep(2.0)
            url = cluster.url
            assert cluster.start() == url
            database_up = time.monotonic()
            recovered = load.wait_for_success_after(database_up, 10)
            time.sleep(2.0)
        records = load.snapshot()
        during = [r for r in records if fault <= r.started < database_up]
        failed = sum(1 for r in during if not r.ok)
        unexpected = [(r.kind, r.status, r.error) for r in records
                      if not r.ok and not (r.status == 503 and r.error == "temporarily_unavailable")]
        settled = [r for r in records if r.started >= database_up + 2.0]
        lost = lost_tokens(stack.base_url, issued)
        clients = [client_id for client_id, _ in issued] + load.registered()
        clients_lost = lost_clients(stack.base_url, clients)
        recovery = None if recovered is None else recovered - database_up
        row(capsys, "PostgreSQL stopped ~2 s, restarted", len(records), failed, len(unexpected),
            recovery if recovery is not None else "never", lost, clients_lost,
            note=f"recovery: from the database being up again; failures are 503 temporarily_unavailable; "
                 f"{len(clients)} clients checked")
        assert stack.app.poll() is None, stack.app_log_text()[-2000:]
        assert not unexpected, unexpected[:10]
        assert failed > 0, "no request saw the outage"
        assert recovery is not None and recovery <= 2.0, recovery
        assert settled and all(r.ok for r in settled)
        assert lost == 0
        assert clients_lost == 0
    finally:
        stack.stop()


@needs_postgres
def test_fcgiapp_killed_under_load_is_restarted_and_tokens_survive(cluster, tmp_path, capsys):
    """kill -9 of the only FCGIApp process of scripts/run.sh (`make run`) while requests flow
    through nginx: nginx answers 502 while no process listens, the script starts a new one after
    its 0.5 s pause, service resumes within 3 s of the kill, and every token and client from
    before and during the outage still works (PostgreSQL storage, fixed JWT keys and
    TOKEN_ENCRYPTION_KEY)."""
    folder = tmp_path / "kill"
    folder.mkdir()
    run = RunScript(folder, env={"AUTH_STORAGE_DRIVER": "postgres", "DATABASE_URL": cluster.url, "FCGI_THREADS": "4",
                                 **operator_keys()[1]})
    try:
        run.start()
        issued = tokens_before(run.base_url)
        with Load(run.base_url, issued[0][1]["access_token"]) as load:
            time.sleep(1.0)
            [killed_pid] = run.app_pids()
            killed = time.monotonic()
            os.kill(killed_pid, signal.SIGKILL)
            respawned, new_pids = None, []
            while time.monotonic() < killed + 15:
                new_pids = [pid for pid in run.app_pids() if pid != killed_pid]
                if new_pids:
                    respawned = time.monotonic()
                    break
                time.sleep(0.05)
            recovered = load.wait_for_success_after(killed, 15)
            time.sleep(2.0)
        records = load.snapshot()
        outage_end = recovered or time.monotonic()
        during = [r for r in records if killed <= r.started < outage_end]
        failed = sum(1 for r in during if not r.ok)
        unexpected = [(r.kind, r.status, r.error) for r in records if not r.ok and r.status not in (502, 503, 504)]
        after = [r for r in records if recovered is not None and r.started > recovered + 0.5]
        lost = lost_tokens(run.base_url, issued)
        clients = [client_id for client_id, _ in issued] + load.registered()
        clients_lost = lost_clients(run.base_url, clients)
        recovery = None if recovered is None else recovered - killed
        row(capsys, "FCGIApp killed (SIGKILL), restarted", len(records), failed, len(unexpected),
            recovery if recovery is not None else "never", lost, clients_lost,
            note=f"recovery: from the kill; scripts/run.sh restarts after 0.5 s"
                 f"{'' if respawned is None else f', new process after {respawned - killed:.2f} s'}; "
                 f"failures: {sorted({str(r.status) for r in during if not r.ok})}; {len(clients)} clients checked")
        assert len(new_pids) == 1 and run.app_pids() == new_pids, run.log_text()[-2000:]
        assert run.log_text().count("restarting it") == 1
        assert not unexpected, unexpected[:10]
        assert recovery is not None and recovery <= 3.0, recovery
        assert after and all(r.ok for r in after), [(r.kind, r.status, r.error) for r in after if not r.ok][:5]
        assert lost == 0
        assert clients_lost == 0
        started = run.processes()
        assert run.stop() == 0
        wait_until(lambda: not any(os.path.exists(f"/proc/{pid}") for pid in started), timeout=10,
                   what="every process of the run to exit")
    finally:
        run.kill_all()


@needs_postgres
def test_changed_token_encryption_key_sends_users_to_sign_in_again(cluster, tmp_path):
    """docs/DEPLOYMENT.md (Key rotation): changing TOKEN_ENCRYPTION_KEY makes the stored Privy
    tokens unreadable and "the affected users sign in again". For ChatGPT to start a new sign-in
    the answer must say so: 401 invalid_token at /mcp (RFC 6750 §3.1; MCP Authorization, Error Handling)
    and invalid_grant at refresh (RFC 6749 §5.2); a 503 (temporarily_unavailable) is retried
    for as long as the refresh token lives (30 days). Not a row of the table: the loss of these
    grants is the documented price of the key change."""
    stack = postgres_stack(tmp_path, cluster, "key-change")
    try:
        stack.start()
        client_id, tokens = flow.tokens_for_new_client(stack.base_url)
        auth = {"Authorization": "Bearer " + tokens["access_token"]}
        ping = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
        assert requests.post(stack.base_url + "/mcp", json=ping, headers=auth, timeout=TIMEOUT).status_code == 200
        assert stack.stop_app() == 0
        stack.env["TOKEN_ENCRYPTION_KEY"] = base64.b64encode(secrets.token_bytes(32)).decode()
        stack.start_app()
        wait_until(lambda: healthy(stack), what="FCGIApp after the key change")
        # Signing in again works at once.
        flow.tokens_for_new_client(stack.base_url)
        old = requests.post(stack.base_url + "/mcp", json=ping, headers=auth, timeout=TIMEOUT)
        refreshed = flow.refresh(stack.base_url, client_id, tokens["refresh_token"])
        assert old.status_code == 401 and 'error="invalid_token"' in old.headers.get("WWW-Authenticate", ""), \
            (old.status_code, old.text[:200])
        assert refreshed.status_code == 400 and refreshed.json()["error"] == "invalid_grant", refreshed.text[:200]
    finally:
        stack.stop()


# ---------------------------------------------------------------------------------- nginx

def test_nginx_reload_under_load_fails_no_request(tmp_path, capsys):
    """`nginx -s reload` (what a deploy or a certificate renewal does) under load: old workers
    finish their requests, new ones take new connections; not one request fails."""
    stack = Stack(tmp_path, env={"AUTH_STORAGE_DRIVER": "memory"})
    try:
        stack.start()
        issued = tokens_before(stack.base_url)
        reload_command = ["nginx", "-p", str(stack.run_dir), "-e", str(stack.run_dir / "logs/nginx-error.log"),
                          "-c", str(stack.run_dir / "nginx.conf"), "-s", "reload"]
        with Load(stack.base_url, issued[0][1]["access_token"], threads=4) as load:
            time.sleep(1.0)
            fault = time.monotonic()
            for _ in range(3):
                subprocess.run(reload_command, check=True, capture_output=True, timeout=10)
                time.sleep(0.5)
            fault_end = time.monotonic()
            time.sleep(1.0)
        records = load.snapshot()
        during = [r for r in records if fault <= r.started < fault_end + 0.5]
        failed = [(r.kind, r.status, r.error) for r in records if not r.ok]
        lost = lost_tokens(stack.base_url, issued)
        clients = [client_id for client_id, _ in issued] + load.registered()
        clients_lost = lost_clients(stack.base_url, clients)
        row(capsys, "nginx reloaded 3x under load", len(records), len([r for r in during if not r.ok]), len(failed), None, lost,
            clients_lost, note=f"{len(during)} requests during the reloads; {len(clients)} clients checked")
        assert stack.nginx.poll() is None and stack.app.poll() is None
        assert during, "no request ran during the reloads"
        assert not failed, failed[:10]
        assert lost == 0
        assert clients_lost == 0
    finally:
        stack.stop()


# ------------------------------------------------------------------------ the user's API

def mcp_tokens(base_url):
    """A token from the real flow (dev login) with read and write, for tools/call."""
    return flow.tokens_for_new_client(base_url, scope="read write offline_access")


def call_get_items(base_url, token):
    started = time.monotonic()
    response = requests.post(base_url + "/mcp", timeout=30, headers={
        "Authorization": "Bearer " + token, "Accept": "application/json, text/event-stream",
        "MCP-Protocol-Version": "2025-06-18"},
        json={"jsonrpc": "2.0", "id": 7, "method": "tools/call", "params": {"name": "get-items", "arguments": {}}})
    return response, time.monotonic() - started


BACKEND_TIMEOUT = 2.0


@pytest.mark.parametrize("mode", ["slow", "garbage", "error", "huge", "redirect"])
def test_backend_api_hanging_or_answering_garbage_gives_a_tool_error(tmp_path, fake_backend, capsys, mode):
    """BACKEND_API_URL hangs past BACKEND_TIMEOUT_SECONDS, or answers junk (not JSON, HTTP 500,
    a 2 MiB body, a redirect): tools/call get-items answers HTTP 200 with a JSON-RPC result whose
    isError is true (MCP 2025-06-18 Tools §Error Handling: tool execution errors are results),
    within the timeout plus a margin; never a hang, never a 5xx; the grant is kept (only a 401
    from the API revokes it), and get-items works as soon as the API does."""
    stack = Stack(tmp_path, env={"AUTH_STORAGE_DRIVER": "memory", "BACKEND_API_URL": fake_backend,
                                 "BACKEND_TIMEOUT_SECONDS": str(BACKEND_TIMEOUT)})
    try:
        stack.start()
        issued = [mcp_tokens(stack.base_url)]
        token = issued[0][1]["access_token"]
        ok, _ = call_get_items(stack.base_url, token)
        assert ok.status_code == 200 and ok.json()["result"]["isError"] is False, ok.text
        requests.post(fake_backend + "/_control", json={"mode": mode, "delay": BACKEND_TIMEOUT + 6}, timeout=5)

        results = [None] * 4
        def one(index):
            try:
                results[index] = call_get_items(stack.base_url, token)
            except requests.RequestException as error:
                results[index] = (error, None)
        threads = [threading.Thread(target=one, args=(i,), daemon=True) for i in range(len(results))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(40)
        failures = []
        slowest = 0.0
        for response, elapsed in results:
            if isinstance(response, Exception) or response is None:
                failures.append(repr(response))
                continue
            slowest = max(slowest, elapsed)
            body = json_of(response)
            if response.status_code != 200 or body.get("result", {}).get("isError") is not True:
                failures.append((response.status_code, response.text[:200]))
            elif elapsed > BACKEND_TIMEOUT + 3:
                failures.append(f"took {elapsed:.2f} s")

        requests.post(fake_backend + "/_control", json={"mode": "ok"}, timeout=5)
        healed = time.monotonic()
        recovered = None
        for _ in range(50):
            response, _ = call_get_items(stack.base_url, token)
            if response.status_code == 200 and json_of(response).get("result", {}).get("isError") is False:
                recovered = time.monotonic() - healed
                break
            time.sleep(0.1)
        lost = lost_tokens(stack.base_url, issued)
        clients_lost = lost_clients(stack.base_url, [issued[0][0]])
        tool_errors = sum(1 for response, _ in results if not isinstance(response, Exception) and response is not None
                          and json_of(response).get("result", {}).get("isError") is True)
        row(capsys, f"backend API {mode}", len(results), tool_errors, len(failures),
            recovered if recovered is not None else "never", lost, clients_lost,
            note=f"4 concurrent tools/call get-items, each a tool error in <= {slowest:.2f} s "
                 f"(BACKEND_TIMEOUT_SECONDS={BACKEND_TIMEOUT:g}); recovery: from the API answering again")
        assert not failures, failures
        assert recovered is not None and recovered < 2.0
        assert lost == 0
        assert clients_lost == 0
        assert stack.app.poll() is None
    finally:
        stack.stop()


# ------------------------------------------------------------------------------ Privy JWKS

PRIVY_APP = "fault-privy-app"


class JWKSServer:
    """Privy's JWKS stand-in on a fixed port: `down` (nothing listens: connection refused),
    `hang` (the port accepts connections and never answers), `up` (serves the key set)."""

    def __init__(self, port, key):
        self.port, self.key = port, key
        self.server = None
        self.hanging = None

    def jwks(self):
        numbers = self.key.public_key().public_numbers()
        coordinate = lambda value: base64.urlsafe_b64encode(value.to_bytes(32, "big")).rstrip(b"=").decode()  # noqa: E731
        return {"keys": [{"kty": "EC", "crv": "P-256", "kid": "k1", "alg": "ES256", "use": "sig",
                          "x": coordinate(numbers.x), "y": coordinate(numbers.y)}]}

    def hang(self):
        self.down()
        self.hanging = socket.socket()
        self.hanging.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.hanging.bind(("127.0.0.1", self.port))
        self.hanging.listen(64)  # never accepted: the kernel completes connects, nobody answers

    def up(self):
        self.down()
        document = json.dumps(self.jwks()).encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(document)))
                self.end_headers()
                self.wfile.write(document)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def down(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
        if self.hanging:
            self.hanging.close()
            self.hanging = None


def privy_token(key, user="did:privy:fault-user"):
    now = int(time.time())
    return jwt.encode({"iss": "privy.io", "aud": PRIVY_APP, "sub": user, "sid": "s1", "iat": now, "exp": now + 3600},
                      key, algorithm="ES256", headers={"kid": "k1", "typ": "JWT"})


def decide_with_privy(base_url, client_id, key):
    _, challenge = flow.pkce_pair()
    params = flow.authorize_params(client_id, challenge)
    started = time.monotonic()
    response = flow.decide(base_url, params, {"privy_token": privy_token(key), "privy_user_id": "did:privy:fault-user"},
                           approve="true", timeout=30)
    return response, time.monotonic() - started


@pytest.mark.parametrize("fault", ["down", "hang"])
def test_privy_jwks_unreachable_gives_a_quick_503_never_a_login(tmp_path, capsys, fault):
    """PRIVY_APP_ID set, no PRIVY_VERIFICATION_KEY, PRIVY_JWKS_URL unreachable (closed port) or
    hanging (accepts, never answers): POST /authorize with a Privy-format token answers 503
    temporarily_unavailable (RFC 6749 §4.1.2.1 error code) within the JWKS fetch
    timeout (3 s) - at once for a closed port, and at once for every request after a failed
    fetch (PrivyJWKS.retryAfterFailure) - never 2xx and never a hang; once the JWKS answers,
    logins work again within that retry delay."""
    key = ec.generate_private_key(ec.SECP256R1())
    port = free_port()
    jwks = JWKSServer(port, key)
    stack = Stack(tmp_path, env={"AUTH_STORAGE_DRIVER": "memory", "PRIVY_APP_ID": PRIVY_APP,
                                 "PRIVY_JWKS_URL": f"http://127.0.0.1:{port}/jwks.json"})
    try:
        if fault == "hang":
            jwks.hang()
        stack.start()
        client_id = flow.register(stack.base_url)["client_id"]
        _, challenge = flow.pkce_pair()
        shown = flow.consent_details(stack.base_url, flow.authorize_params(client_id, challenge))
        assert shown.status_code == 200 and shown.json()["login"]["mode"] == "privy"

        answers = [decide_with_privy(stack.base_url, client_id, key) for _ in range(6)]
        statuses = [response.status_code for response, _ in answers]
        errors = [json_of(response).get("error") for response, _ in answers]
        times = [elapsed for _, elapsed in answers]
        failed = sum(1 for status in statuses if status != 503)

        jwks.up()
        healed = time.monotonic()
        recovered, issued = None, []
        for _ in range(100):
            response, _ = decide_with_privy(stack.base_url, client_id, key)
            if response.status_code == 200:
                recovered = time.monotonic() - healed
                break
            assert response.status_code == 503, response.text
            time.sleep(0.1)
        if recovered is not None:
            # A full login now works, and its tokens keep working after the JWKS goes away again
            # (the key set is cached).
            verifier, challenge = flow.pkce_pair()
            params = flow.authorize_params(client_id, challenge)
            decided = requests.post(stack.base_url + "/authorize", json={
                **params, "privy_token": privy_token(key), "privy_user_id": "did:privy:fault-user", "user_consent": "true"},
                timeout=TIMEOUT)
            code = flow.redirect_query(decided.json()["redirect_uri"])["code"]
            tokens = flow.exchange_code(stack.base_url, client_id, code, verifier)
            assert tokens.status_code == 200, tokens.text
            issued = [(client_id, tokens.json())]
            jwks.down()
        lost = lost_tokens(stack.base_url, issued)
        clients_lost = lost_clients(stack.base_url, [client_id])
        label = "Privy JWKS unreachable (closed port)" if fault == "down" else "Privy JWKS hanging (no answer)"
        limit_first = 1.0 if fault == "down" else 5.0
        slow = sum(1 for index, t in enumerate(times) if t >= (limit_first if index == 0 else 1.0))
        row(capsys, label, len(answers), len(answers) - failed, failed + slow, recovered if recovered is not None else "never",
            lost, clients_lost, note=f"answers {sorted(set(statuses))} in {', '.join(f'{t:.2f}' for t in times)} s; "
                       "recovery: from the JWKS answering (PrivyJWKS retries 5 s after a failed fetch)")
        assert all(status == 503 for status in statuses), statuses
        assert all(error == "temporarily_unavailable" for error in errors), errors
        assert times[0] < limit_first, times
        assert all(t < 1.0 for t in times[1:]), times
        assert recovered is not None and recovered <= 8.0, recovered
        assert lost == 0
        assert clients_lost == 0
        assert stack.app.poll() is None
    finally:
        jwks.down()
        stack.stop()
