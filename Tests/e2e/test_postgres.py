"""PostgreSQL storage end to end: races between two FCGIApp processes sharing one database,
tokens surviving an application restart, a database outage under load, refusing a schema newer
than the build, and TLS to the database as `sslmode` asks.

Every test starts its own throwaway cluster (pg_cluster.PgCluster, scripts/test-postgres.sh),
so it can stop and restart the server; everything binds to 127.0.0.1 or unix sockets, every
loop is bounded in count and time, and every process started here is stopped in `finally`.
"""
import json
import os
import shutil
import subprocess
import threading
import time
from urllib.parse import urlencode

import pytest
import requests

import fastcgi_client
import oauth_flow as flow
from pg_cluster import server_binaries_available
from stack import BINARY, Stack, operator_keys

pytestmark = pytest.mark.skipif(not server_binaries_available(),
                                reason="PostgreSQL server binaries are not installed (make deps installs postgresql)")

RACE_ROUNDS = 25
REQUEST_TIMEOUT = 10.0
FORM = "application/x-www-form-urlencoded"


def postgres_environment(cluster) -> dict:
    return {"AUTH_STORAGE_DRIVER": "postgres", "DATABASE_URL": cluster.url, **operator_keys()[1]}


def report(capsys, text):
    """Figures go to the terminal even when pytest captures output."""
    with capsys.disabled():
        print("\n" + text)


# ---- FastCGI straight to one process's socket ----

def fcgi_params(method, uri, body=b"", content_type=""):
    path, _, query = uri.partition("?")
    params = {"REQUEST_METHOD": method, "REQUEST_URI": uri, "QUERY_STRING": query, "SCRIPT_NAME": path,
              "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1", "CONTENT_LENGTH": str(len(body))}
    if content_type:
        params["CONTENT_TYPE"] = content_type
    return params


def json_body(payload: bytes):
    try:
        return json.loads(payload or b"{}")
    except ValueError:
        return {"unparsed": payload[:200].decode(errors="replace")}


def wait_ready(stack, timeout=20.0):
    """The socket file of a stopped process stays behind, so its existence does not mean the
    new process listens: wait until GET /health answers through the socket."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if stack.app.poll() is not None:
            raise RuntimeError("FCGIApp exited: " + stack.app_log_text()[-2000:])
        try:
            status, _, _ = fastcgi_client.request(stack.socket_path, "GET", "/health")
            if status == 200:
                return
            last = status
        except OSError as error:
            last = error
        time.sleep(0.05)
    raise TimeoutError(f"FCGIApp did not answer /health within {timeout} s (last: {last!r})")


def race(sockets, uri, form, timeout=REQUEST_TIMEOUT):
    """Sends the same POST to every socket at the same instant: each connection is opened and
    its FastCGI params sent first, then a barrier releases all the bodies together.
    Returns one (status, JSON body) per socket, or the exception that request raised."""
    body = urlencode(form).encode()
    barrier = threading.Barrier(len(sockets), timeout=timeout)
    results = [None] * len(sockets)

    def send(index, socket_path):
        try:
            connection = fastcgi_client.FastCGIConnection(socket_path, timeout=timeout)
            connection.begin(fcgi_params("POST", uri, body, FORM))
            barrier.wait()
            connection.send_body(body)
            connection.end_body()
            status, _, payload = connection.read_response()
            results[index] = (status, json_body(payload))
        except Exception as error:  # reported by the caller's assertions
            barrier.abort()
            results[index] = error

    threads = [threading.Thread(target=send, args=(i, path), daemon=True) for i, path in enumerate(sockets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout + 5)
    assert not any(thread.is_alive() for thread in threads), "a racing request hung"
    return results


def single_winner(results, what):
    """Exactly one 200; every other answer is 400 invalid_grant. Returns the winner's index."""
    for result in results:
        assert not isinstance(result, Exception), f"{what}: {result!r}"
    statuses = [status for status, _ in results]
    winners = [i for i, status in enumerate(statuses) if status == 200]
    assert len(winners) == 1, f"{what}: expected exactly one 200, got {results}"
    for i, (status, body) in enumerate(results):
        if i != winners[0]:
            assert status == 400 and body.get("error") == "invalid_grant", f"{what}: loser answered {status} {body}"
    return winners[0]


def test_two_processes_racing_for_one_code_or_refresh_token_have_one_winner(cluster, tmp_path, capsys):
    # Without a retry window, so that a refresh token too has exactly one winner: within
    # REFRESH_REUSE_INTERVAL both racers would get tokens by design (test_attacks.py covers that).
    environment = {**postgres_environment(cluster), "REFRESH_REUSE_INTERVAL": "0"}
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = Stack(tmp_path / "a", env=environment)
    # The same issuer for both: two instances of one deployment behind one origin.
    b = Stack(tmp_path / "b", env={**environment, "SERVER_BASE_URL": a.base_url})
    try:
        # Both processes start (and run the migrations) at the same time.
        started = []
        starter = threading.Thread(target=lambda: started.append(b.start_app() or True), daemon=True)
        starter.start()
        a.start()
        starter.join(30)
        assert started == [True], "process B did not start: " + b.app_log_text()[-2000:]
        wait_ready(a)
        wait_ready(b)
        sockets = [a.socket_path, b.socket_path]
        client_id = flow.register(a.base_url)["client_id"]

        # Codes: all obtained through A, each redeemed on A and B at once.
        codes = [flow.obtain_code(a.base_url, client_id)[:2] for _ in range(RACE_ROUNDS)]
        code_wins = [0, 0]
        for round_number, (code, verifier) in enumerate(codes):
            results = race(sockets, "/token", {"grant_type": "authorization_code", "code": code, "code_verifier": verifier,
                                               "client_id": client_id, "redirect_uri": flow.REDIRECT_URI})
            code_wins[single_winner(results, f"code {round_number}")] += 1

        # Refresh tokens: each from its own grant, rotated on A and B at once.
        refresh_tokens = []
        for _ in range(RACE_ROUNDS):
            code, verifier, _ = flow.obtain_code(a.base_url, client_id)
            exchanged = flow.exchange_code(a.base_url, client_id, code, verifier)
            assert exchanged.status_code == 200, exchanged.text
            refresh_tokens.append(exchanged.json()["refresh_token"])
        refresh_wins = [0, 0]
        for round_number, refresh_token in enumerate(refresh_tokens):
            results = race(sockets, "/token", {"grant_type": "refresh_token", "refresh_token": refresh_token,
                                               "client_id": client_id})
            winner = single_winner(results, f"refresh {round_number}")
            refresh_wins[winner] += 1
            assert results[winner][1]["refresh_token"] != refresh_token

        report(capsys, "\n".join([
            "race between two FCGIApp processes on one database",
            f"  {'grant':<20} {'rounds':>6} {'one 200':>8} {'won by A':>9} {'won by B':>9} {'loser 400 invalid_grant':>24}",
            f"  {'authorization_code':<20} {RACE_ROUNDS:>6} {sum(code_wins):>8} {code_wins[0]:>9} {code_wins[1]:>9} {RACE_ROUNDS:>24}",
            f"  {'refresh_token':<20} {RACE_ROUNDS:>6} {sum(refresh_wins):>8} {refresh_wins[0]:>9} {refresh_wins[1]:>9} {RACE_ROUNDS:>24}",
        ]))
        assert a.app.poll() is None and b.app.poll() is None
    finally:
        b.stop()
        a.stop()


def introspect(base_url, access_token, token=None):
    return requests.post(base_url + "/token/introspect", data={"token": token or access_token},
                         headers={"Authorization": "Bearer " + access_token}, timeout=REQUEST_TIMEOUT)


def test_tokens_and_clients_survive_an_app_restart(cluster, tmp_path, capsys):
    stack = Stack(tmp_path, env=postgres_environment(cluster))
    try:
        stack.start()
        client_id, tokens = flow.tokens_for_new_client(stack.base_url)
        other_client = flow.register(stack.base_url)["client_id"]
        first_pid = stack.app.pid

        assert stack.stop_app() == 0, stack.app_log_text()[-2000:]
        stack.start_app()
        wait_ready(stack)
        assert stack.app.pid != first_pid

        answer = introspect(stack.base_url, tokens["access_token"])
        assert answer.status_code == 200, answer.text
        assert answer.json()["active"] is True and answer.json()["client_id"] == client_id
        rotated = flow.refresh(stack.base_url, client_id, tokens["refresh_token"])
        assert rotated.status_code == 200, rotated.text
        new_tokens = rotated.json()
        assert new_tokens["refresh_token"] != tokens["refresh_token"]
        assert introspect(stack.base_url, new_tokens["access_token"]).json()["active"] is True

        # The client registered before the restart still authorizes, start to finish.
        _, challenge = flow.pkce_pair()
        details = flow.consent_details(stack.base_url, flow.authorize_params(other_client, challenge))
        assert details.status_code == 200, details.text
        code, verifier, _ = flow.obtain_code(stack.base_url, other_client)
        assert flow.exchange_code(stack.base_url, other_client, code, verifier).status_code == 200
        report(capsys, "restart: access token active, refresh rotated, registered client authorized after the restart")
    finally:
        stack.stop()


class LoadRecord:
    __slots__ = ("kind", "started", "ended", "status", "error", "client_id")

    def __init__(self, kind, started, ended, status, error, client_id=None):
        self.kind, self.started, self.ended, self.status, self.error, self.client_id = \
            kind, started, ended, status, error, client_id

    @property
    def ok(self):
        return self.status in (200, 201)


def load_worker(base_url, access_token, index, stop, deadline, records, lock):
    """Alternates introspection (the session lookup needs the database) and registration (a
    write) until told to stop; records every outcome."""
    session = requests.Session()
    sent = 0
    try:
        while not stop.is_set() and time.monotonic() < deadline and sent < 20_000:
            kind = ("introspect", "register")[(sent + index) % 2]
            started = time.monotonic()
            client_id = None
            try:
                if kind == "introspect":
                    response = session.post(base_url + "/token/introspect", data={"token": access_token},
                                            headers={"Authorization": "Bearer " + access_token}, timeout=REQUEST_TIMEOUT)
                else:
                    response = session.post(base_url + "/register", timeout=REQUEST_TIMEOUT, json={
                        "client_name": f"load {index}-{sent}", "redirect_uris": [flow.REDIRECT_URI],
                        "token_endpoint_auth_method": "none"})
                body = json_body(response.content)
                status = response.status_code
                error = body.get("error")
                if status == 200 and kind == "introspect" and body.get("active") is not True:
                    error = "inactive"  # a lost session would show up here
                if status == 201:
                    client_id = body.get("client_id")
            except requests.RequestException as exception:
                status, error = None, repr(exception)
            record = LoadRecord(kind, started, time.monotonic(), status, error, client_id)
            with lock:
                records.append(record)
            sent += 1
            time.sleep(0.01)
    finally:
        session.close()


def test_database_outage_under_load_gives_503_and_recovers(cluster, tmp_path, capsys):
    stack = Stack(tmp_path, env=postgres_environment(cluster))
    threads = []
    stop = threading.Event()
    try:
        stack.start()
        before = [flow.tokens_for_new_client(stack.base_url, email=f"outage{i}@example.com") for i in range(3)]
        registered_before = flow.register(stack.base_url, name="before the outage")["client_id"]
        url_before = cluster.url

        records, lock = [], threading.Lock()
        deadline = time.monotonic() + 60
        threads = [threading.Thread(target=load_worker, daemon=True,
                                    args=(stack.base_url, before[0][1]["access_token"], i, stop, deadline, records, lock))
                   for i in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(1.0)  # steady state first

        fault_started = time.monotonic()
        cluster.stop()
        fault_stopped = time.monotonic()
        time.sleep(2.0)  # the outage, under load
        alive_during_outage = stack.app.poll() is None
        restart_began = time.monotonic()
        assert cluster.start() == url_before, "the restarted cluster has another URL"
        database_up = time.monotonic()

        def first_success_after(moment):
            with lock:
                return min((r.ended for r in records if r.ok and r.ended >= moment), default=None)

        recovered_at = None
        wait_limit = database_up + 10
        while recovered_at is None and time.monotonic() < wait_limit:
            recovered_at = first_success_after(database_up)
            time.sleep(0.01)
        time.sleep(3.0)  # steady state again: every worker thread has reconnected by now
        stop.set()
        for thread in threads:
            thread.join(REQUEST_TIMEOUT + 5)
        assert not any(thread.is_alive() for thread in threads), "a load thread hung"
        alive_after = stack.app.poll() is None

        with lock:
            done = list(records)
        baseline = [r for r in done if r.started < fault_started]
        during = [r for r in done if r.started >= fault_started and r.started < database_up]
        failed_during = sum(1 for r in during if r.status == 503)
        unexpected = [(r.kind, r.status, r.error) for r in done if r.status not in (200, 201, 503)
                      or (r.status == 503 and r.error != "temporarily_unavailable")
                      or (r.ok and r.error is not None)]
        slowest = max(r.ended - r.started for r in done)
        settled = [r for r in done if r.started >= database_up + 2.0]

        # Tokens issued before the outage: still active, and their refresh tokens still rotate.
        lost = 0
        for client_id, tokens in before:
            answer = introspect(stack.base_url, tokens["access_token"])
            if answer.status_code != 200 or answer.json().get("active") is not True:
                lost += 1
                continue
            if flow.refresh(stack.base_url, client_id, tokens["refresh_token"]).status_code != 200:
                lost += 1
        _, challenge = flow.pkce_pair()
        client_before = flow.consent_details(stack.base_url, flow.authorize_params(registered_before, challenge))
        acknowledged = sorted({r.client_id for r in done if r.status == 201 and r.client_id})
        id_list = ",".join("'" + client_id + "'" for client_id in acknowledged)
        stored = int(cluster.psql(f"SELECT count(*) FROM oauth_clients WHERE id IN ({id_list})")) if acknowledged else 0

        recovery = None if recovered_at is None else recovered_at - database_up
        report(capsys, "\n".join([
            "database outage under load (4 threads: /token/introspect + /register through nginx)",
            f"  {'fault':<34} {'requests':>8} {'503 in fault':>12} {'recovery':>9} {'tokens lost':>11}",
            f"  {'PostgreSQL stopped ~2 s, restarted':<34} {len(done):>8} {failed_during:>12} "
            f"{'never' if recovery is None else f'{recovery:.2f} s':>9} {lost:>11}",
            f"  baseline {len(baseline)} requests ({sum(1 for r in baseline if not r.ok)} failed); during the fault "
            f"{len(during)} requests ({len(during) - failed_during} succeeded, e.g. before the stop took effect); "
            f"stop took {fault_stopped - fault_started:.2f} s, start took {database_up - restart_began:.2f} s; "
            f"slowest response {slowest:.2f} s; after recovery +2 s: {len(settled)} requests, "
            f"{sum(1 for r in settled if not r.ok)} failed; clients acknowledged {len(acknowledged)}, stored {stored}",
        ]))

        assert alive_during_outage and alive_after, "FCGIApp exited: " + stack.app_log_text()[-2000:]
        assert not unexpected, f"answers other than 200/201/503 temporarily_unavailable: {unexpected[:10]}"
        assert slowest < 6.0, f"a request took {slowest:.2f} s"
        assert baseline and all(r.ok for r in baseline), "requests failed before the fault"
        assert failed_during > 0, "no request saw the outage"
        assert recovery is not None and recovery <= 2.0, f"recovery took {recovery} s"
        assert settled and all(r.ok for r in settled), "requests still failed 2 s after the database came back"
        assert lost == 0
        assert client_before.status_code == 200, client_before.text
        assert stored == len(acknowledged), "a registration answered 201 is missing from the database"
    finally:
        stop.set()
        for thread in threads:
            thread.join(REQUEST_TIMEOUT + 5)
        stack.stop()


# ---- schema versions

def schema_snapshot(cluster) -> dict:
    """What a start could change: the recorded migrations, every column of every table, and
    every table's row count."""
    tables = cluster.psql("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                          "ORDER BY table_name").splitlines()
    return {
        "migrations": cluster.psql("SELECT version, name, applied_at FROM schema_migrations ORDER BY version"),
        "columns": cluster.psql("SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns "
                                "WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"),
        "indexes": cluster.psql("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname"),
        "rows": {table: cluster.psql(f'SELECT count(*) FROM "{table}"') for table in tables},
    }


def test_a_schema_newer_than_the_build_stops_the_start_and_changes_nothing(cluster, tmp_path):
    """DESIGN.md "State" (versioned migrations applied at start): a database already migrated by
    a newer build is refused, by the server and by `FCGIApp migrate`, with exit status 2 and one
    line naming the problem (README "Configuration": bad settings stop the process with one
    line), and without touching the schema or the data."""
    environment = Stack(tmp_path, env=postgres_environment(cluster)).env
    migrated = subprocess.run([BINARY, "migrate"], env=environment, cwd=tmp_path, capture_output=True, text=True,
                              timeout=60)
    assert migrated.returncode == 0, migrated.stderr
    latest = int(cluster.psql("SELECT max(version) FROM schema_migrations"))
    future = latest + 1
    cluster.psql(f"INSERT INTO schema_migrations (version, name) VALUES ({future}, 'from a newer build')")
    before = schema_snapshot(cluster)
    assert before["rows"]["schema_migrations"] == str(future)

    for arguments in ([BINARY], [BINARY, "migrate"]):
        started = subprocess.run(arguments, env=environment, cwd=tmp_path, capture_output=True, text=True, timeout=60)
        assert started.returncode == 2, (arguments, started.returncode, started.stderr)
        problem = [line for line in started.stderr.splitlines() if line.startswith("FCGIApp: ")]
        assert len(problem) == 1, started.stderr
        assert f"database schema version {future} is newer than this build supports ({latest})" in problem[0], problem
        assert "DATABASE_URL" in problem[0] and "postgresql://" not in problem[0], problem
        # Anything else on stderr is a JSON log line, never a second explanation.
        for line in started.stderr.splitlines():
            if line not in problem:
                json.loads(line)
        assert not os.path.exists(environment["FCGI_LISTEN"]), "the refused server opened its socket"
        assert schema_snapshot(cluster) == before, arguments


# ---- TLS to the database

def app_connections(cluster, application_name) -> list:
    """(ssl, TLS version) of every connection the app holds, from pg_stat_ssl."""
    rows = cluster.psql("SELECT s.ssl, coalesce(s.version, '') FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) "
                        f"WHERE a.application_name = '{application_name}' ORDER BY a.pid")
    return [tuple(row.split("|")) for row in rows.splitlines()]


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl makes the test cluster's certificate")
@pytest.mark.parametrize("sslmode, expected", [("require", "t"), ("disable", "f")])
def test_sslmode_decides_whether_database_connections_use_tls(cluster, tmp_path, sslmode, expected):
    """libpq `sslmode` in DATABASE_URL is honoured as written (PostgreSQL docs §34.19.1,
    "Protection Provided in Different Modes"): `require` connects only over TLS, `disable` never;
    checked on the server side through pg_stat_ssl after a full OAuth flow."""
    assert cluster.psql("SHOW ssl") == "on", "scripts/test-postgres.sh did not switch TLS on"
    application_name = "fcgiapp-sslmode-" + sslmode
    url = f"{cluster.url}?sslmode={sslmode}&application_name={application_name}"
    stack = Stack(tmp_path, env={**postgres_environment(cluster), "DATABASE_URL": url})
    try:
        stack.start()
        client_id, tokens = flow.tokens_for_new_client(stack.base_url)
        assert introspect(stack.base_url, tokens["access_token"]).json()["active"] is True
        assert flow.refresh(stack.base_url, client_id, tokens["refresh_token"]).status_code == 200
        connections = app_connections(cluster, application_name)
        assert connections, "FCGIApp holds no database connection after the flow"
        assert all(ssl == expected for ssl, _ in connections), connections
        if expected == "t":
            assert all(version.startswith("TLSv1.") for _, version in connections), connections
    finally:
        stack.stop()
