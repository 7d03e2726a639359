"""The FastCGI foundation end to end: nginx + FCGIApp, CGI mode, raw FastCGI, shutdown."""
import json
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

import fastcgi_client
from pg_cluster import server_binaries_available
from stack import BINARY, PROJECT_DIR, app_environment, free_port, port_open, stop_process, wait_until


def test_health_through_nginx(stack):
    response = requests.get(stack.base_url + "/health", timeout=5)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "environment": "development", "storage": stack.env["AUTH_STORAGE_DRIVER"]}
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["X-Request-Id"]


def test_unknown_route_is_json_404(stack):
    response = requests.get(stack.base_url + "/no/such/route", timeout=5)
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_metadata_path_never_answers_html(stack):
    response = requests.get(stack.base_url + "/.well-known/unknown-document", timeout=5)
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/json"


def test_wrong_method_is_405_with_allow(stack):
    response = requests.post(stack.base_url + "/health", timeout=5)
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET"
    assert response.json()["error"] == "method_not_allowed"


def test_body_over_cap_is_413(stack):
    response = requests.post(stack.base_url + "/register", data=b"x" * (1024 * 1024 + 1),
                             headers={"Content-Type": "application/json"}, timeout=10)
    assert response.status_code == 413
    assert response.json()["error"] == "payload_too_large"


def test_access_log_has_no_query_string(stack):
    # A parameter nginx lets through (a code or token in the query is refused there, see
    # test_logs.py), so the request reaches FCGIApp, whose line must not carry the query.
    answer = requests.get(stack.base_url + "/health?probe=SECRET-QUERY-123", timeout=5)
    assert answer.status_code == 200
    wait_until(lambda: answer.headers["X-Request-Id"] in stack.app_log_text(), what="access log line")
    log = stack.app_log_text()
    assert "SECRET-QUERY-123" not in log
    lines = [json.loads(line) for line in log.splitlines() if '"path"' in line]
    assert {"time", "request_id", "method", "path", "status", "duration_ms"} <= set(lines[-1])


def test_cgi_mode_serves_one_request():
    result = subprocess.run([BINARY], input=b"", capture_output=True, timeout=10, env=app_environment({
        "REQUEST_METHOD": "GET", "REQUEST_URI": "/health", "QUERY_STRING": "", "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1"}))
    assert result.returncode == 0
    status, headers, body = fastcgi_client.parse_cgi_output(result.stdout)
    assert status == 200
    assert json.loads(body)["status"] == "ok"
    assert headers["content-length"] == str(len(body))


def cgi_with_stdin(variables: dict, stdin: bytes):
    """Runs one CGI request whose stdin is a pipe holding `stdin`; returns the finished process
    and the bytes the app left unread in the pipe."""
    read_end, write_end = os.pipe()
    try:
        os.write(write_end, stdin)  # small enough for the pipe's buffer
        os.close(write_end)
        write_end = None
        result = subprocess.run([BINARY], stdin=read_end, capture_output=True, timeout=10,
                                env=app_environment(variables))
        unread = b""
        while chunk := os.read(read_end, 65536):
            unread += chunk
        return result, unread
    finally:
        os.close(read_end)
        if write_end is not None:
            os.close(write_end)


REGISTRATION = json.dumps({"client_name": "CGI", "redirect_uris": ["https://a.example/callback"],
                           "token_endpoint_auth_method": "none"}, separators=(",", ":")).encode()
# Read together with the document, these bytes would make it invalid JSON.
TRAILING = b' {"redirect_uris":["https://evil.example/"]}'


@pytest.mark.parametrize("declared, expected", [(len(REGISTRATION), 201), (len(REGISTRATION) - 2, 400)],
                         ids=["whole document", "cut document"])
def test_cgi_mode_reads_exactly_content_length(declared, expected):
    """RFC 3875 §4.2: the server may supply more data after CONTENT_LENGTH bytes, and the script
    must not read it. Stdin holds a registration followed by more JSON; only the declared bytes
    decide the answer (the whole document registers, a cut one is a 400), and everything after
    them is still in the pipe when the app has exited."""
    stdin = REGISTRATION + TRAILING
    result, unread = cgi_with_stdin({"REQUEST_METHOD": "POST", "REQUEST_URI": "/register",
                                     "CONTENT_TYPE": "application/json", "CONTENT_LENGTH": str(declared)}, stdin)
    assert result.returncode == 0
    status, _, body = fastcgi_client.parse_cgi_output(result.stdout)
    assert status == expected, body
    if expected == 201:
        assert json.loads(body)["redirect_uris"] == ["https://a.example/callback"]
    assert unread == stdin[declared:]


def test_cgi_mode_refuses_a_length_over_the_cap_without_reading():
    """A CONTENT_LENGTH over MAX_BODY_BYTES is answered 413 from the declared length alone: not
    one byte of the body is read."""
    stdin = b"x" * 2048
    result, unread = cgi_with_stdin({"REQUEST_METHOD": "POST", "REQUEST_URI": "/health",
                                     "CONTENT_LENGTH": "2000000"}, stdin)
    status, _, body = fastcgi_client.parse_cgi_output(result.stdout)
    assert status == 413 and json.loads(body)["error"] == "payload_too_large"
    assert unread == stdin


def test_cgi_fcgi_over_unix_socket(stack):
    result = subprocess.run(["cgi-fcgi", "-bind", "-connect", stack.socket_path], capture_output=True, timeout=10,
                            env=app_environment({"REQUEST_METHOD": "GET", "REQUEST_URI": "/health",
                                                 "QUERY_STRING": "", "SCRIPT_NAME": "/health"}))
    status, _, body = fastcgi_client.parse_cgi_output(result.stdout)
    assert status == 200
    assert json.loads(body)["environment"] == "development"


def test_fcgi_listen_on_a_loopback_tcp_port(tmp_path):
    """FCGI_LISTEN=127.0.0.1:<port> opens a TCP socket that a FastCGI client (libfcgi's
    cgi-fcgi) can use."""
    port = free_port()
    app = subprocess.Popen([BINARY], cwd=tmp_path, env=app_environment({"FCGI_LISTEN": f"127.0.0.1:{port}"}),
                           stderr=subprocess.DEVNULL)
    try:
        wait_until(lambda: port_open(port) or app.poll() is not None, what="FCGIApp on its TCP port")
        assert app.poll() is None
        result = subprocess.run(["cgi-fcgi", "-bind", "-connect", f"127.0.0.1:{port}"], capture_output=True,
                                timeout=10, env=app_environment({"REQUEST_METHOD": "GET", "REQUEST_URI": "/health",
                                                                 "QUERY_STRING": "", "SCRIPT_NAME": "/health"}))
        status, _, body = fastcgi_client.parse_cgi_output(result.stdout)
        assert status == 200 and json.loads(body)["status"] == "ok"
        app.send_signal(signal.SIGTERM)
        assert app.wait(10) == 0
    finally:
        stop_process(app)


def test_spawn_fcgi_passes_the_socket_on_fd_0(tmp_path):
    """spawn-fcgi binds the socket, puts it on fd 0 and execs FCGIApp (-n: no fork, so the
    process it starts is FCGIApp itself). Without FCGI_LISTEN the app serves that socket; had it
    missed it, it would exit for want of a CGI request and the request below would be refused."""
    socket_path = tmp_path / "spawned.sock"
    app = subprocess.Popen(["spawn-fcgi", "-n", "-s", str(socket_path), "-M", "0660", "--", BINARY], cwd=tmp_path,
                           env=app_environment(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until(lambda: socket_path.exists() or app.poll() is not None, what="spawn-fcgi's socket")
        status, _, body = fastcgi_client.request(str(socket_path), "GET", "/health")
        assert status == 200 and json.loads(body)["status"] == "ok"
        assert app.poll() is None
        app.send_signal(signal.SIGTERM)
        assert app.wait(10) == 0
    finally:
        stop_process(app)


def test_thousand_requests_from_sixteen_clients(stack):
    def client(count):
        with requests.Session() as session:
            return sum(session.get(stack.base_url + "/health", timeout=10).status_code == 200 for _ in range(count))

    counts = [63] * 8 + [62] * 8
    with ThreadPoolExecutor(max_workers=16) as pool:
        succeeded = sum(pool.map(client, counts))
    assert sum(counts) == 1000
    assert succeeded == 1000


def test_sigterm_finishes_request_in_flight(tmp_path):
    socket_path = str(tmp_path / "app.sock")
    app = subprocess.Popen([BINARY], env=app_environment({"FCGI_LISTEN": socket_path}),
                           stderr=subprocess.DEVNULL)
    try:
        wait_until(lambda: os.path.exists(socket_path), what="socket")
        connection = fastcgi_client.FastCGIConnection(socket_path)
        body = b"a" * 100
        connection.begin({"REQUEST_METHOD": "POST", "REQUEST_URI": "/health", "CONTENT_LENGTH": str(len(body))})
        connection.send_body(body[:50])
        time.sleep(0.2)  # the worker now waits for the rest of the body
        app.send_signal(signal.SIGTERM)
        time.sleep(0.2)
        assert app.poll() is None, "exited with a request in flight"
        connection.send_body(body[50:])
        connection.end_body()
        status, headers, _ = connection.read_response()
        assert status == 405 and headers["allow"] == "GET"
        assert app.wait(10) == 0
    finally:
        if app.poll() is None:
            app.kill()


def test_socket_path_appears_ready_with_its_mode_and_replaces_a_stale_socket(tmp_path):
    """The socket file is bound and chmod-ed under a temporary name, then renamed into place: the
    first connect after the path appears must succeed. A socket left by a dead process is replaced."""
    socket_path = tmp_path / "app.sock"
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(str(socket_path))
    stale.close()  # the file stays, nobody listens: what a killed process leaves
    app = subprocess.Popen([BINARY], env=app_environment({"FCGI_LISTEN": str(socket_path)}), stderr=subprocess.DEVNULL)
    try:
        # Wait for the listening socket to replace the stale one (a new inode), then connect at once.
        stale_inode = socket_path.stat().st_ino
        wait_until(lambda: socket_path.exists() and socket_path.stat().st_ino != stale_inode or app.poll() is not None,
                   what="the new socket")
        assert app.poll() is None
        assert stat.S_IMODE(socket_path.stat().st_mode) == 0o660
        connection = fastcgi_client.FastCGIConnection(str(socket_path))
        connection.begin({"REQUEST_METHOD": "GET", "REQUEST_URI": "/health"})
        connection.end_body()
        assert connection.read_response()[0] == 200
        assert sorted(path.name for path in tmp_path.iterdir()) == ["app.sock"], "a temporary file was left"
        app.send_signal(signal.SIGTERM)
        assert app.wait(10) == 0
        assert not socket_path.exists(), "the socket file outlived the process"
    finally:
        if app.poll() is None:
            app.kill()


@pytest.mark.parametrize("case", ["regular file", "too long"])
def test_unusable_socket_path_stops_with_a_clear_line(tmp_path, case):
    if case == "regular file":
        path = tmp_path / "notes.txt"
        path.write_text("keep me")
        expected = "exists and is not a socket"
    else:
        path = tmp_path / ("d" * (100 - len(str(tmp_path)))) / "app.sock"
        path.parent.mkdir()
        expected = "too long for a unix socket path"
    result = subprocess.run([BINARY], capture_output=True, timeout=30, cwd=tmp_path,
                            env=app_environment({"FCGI_LISTEN": str(path)}))
    assert result.returncode != 0
    assert expected in result.stderr.decode()
    if case == "regular file":
        assert path.read_text() == "keep me"


def test_bad_configuration_stops_with_one_line(tmp_path):
    result = subprocess.run([BINARY], capture_output=True, timeout=10, cwd=tmp_path,
                            env=app_environment({"FCGI_LISTEN": str(tmp_path / "s"), "FCGI_THREADS": "zero",
                                                 "JWT_PRIVATE_KEY": "c2VjcmV0LXZhbHVl"}))
    assert result.returncode == 2
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "JWT_PRIVATE_KEY" in lines[0]
    assert "c2VjcmV0LXZhbHVl" not in lines[0] and "secret-value" not in lines[0]


def descendants(root: int) -> set:
    table = subprocess.run(["ps", "-eo", "pid=,ppid="], capture_output=True, text=True).stdout.split()
    children = {}
    for pid, ppid in zip(table[::2], table[1::2]):
        children.setdefault(int(ppid), []).append(int(pid))
    found, pending = set(), [root]
    while pending:
        for child in children.get(pending.pop(), []):
            if child not in found:
                found.add(child)
                pending.append(child)
    return found


def test_make_run_stops_everything_on_sigterm(tmp_path):
    port = free_port()
    run = subprocess.Popen(["make", "-s", "run", "RUN_CONFIG=debug", f"PORT={port}"], cwd=PROJECT_DIR,
                           env={**os.environ, "PORT": str(port), "FCGIAPP_BINARY": BINARY},
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_until(lambda: port_open(port), timeout=300, what="make run")
        assert requests.get(f"http://127.0.0.1:{port}/health", timeout=5).json()["status"] == "ok"
        started = descendants(run.pid)
        assert len(started) >= 3, started  # the run script, FCGIApp, nginx master and workers
        run.send_signal(signal.SIGTERM)
        run.wait(20)
        wait_until(lambda: not port_open(port), timeout=10, what="port to close")
        wait_until(lambda: not any(os.path.exists(f"/proc/{pid}") for pid in started), timeout=10,
                   what="every process of the run to exit")
    finally:
        # Whatever happened, nothing of this run may outlive the test.
        try:
            os.killpg(run.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


# ------------------------------------------------------------------- scripts/run.sh (make run)

RUN_SCRIPT = str(PROJECT_DIR / "scripts/run.sh")
LOCAL_POSTGRES = str(PROJECT_DIR / "scripts/local-postgres.sh")


def env_file_sets(name: str) -> bool:
    """run.sh reads the project's .env as the app does; a setting there changes what it does."""
    path = PROJECT_DIR / ".env"
    return path.exists() and re.search(rf"^\s*(export\s+)?{name}=\S", path.read_text(), re.MULTILINE) is not None


def all_exited(pids) -> bool:
    return not any(os.path.exists(f"/proc/{pid}") for pid in pids)


def default_sigint():
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class RunScript:
    """scripts/run.sh, what `make run` executes, with the test build, a free port and its own
    RUN_DIR, so it never meets a developer's `make run`. It runs in a session of its own so that
    `kill_all` ends whatever is left of it."""

    def __init__(self, run_dir: Path, env=None, binary=BINARY):
        self.run_dir = run_dir
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.env = app_environment({"FCGIAPP_BINARY": binary, "PORT": str(self.port), "RUN_DIR": str(run_dir),
                                    **(env or {})})
        self.log_path = run_dir / "run.log"
        self.process = None

    def start(self, timeout=60):
        with open(self.log_path, "wb") as log:
            # As from a terminal: SIGINT at its default. A test run started in the background
            # (`cmd &` in a script, as CI runners may) inherits SIGINT ignored, and a shell cannot
            # trap a signal ignored at its start, so Ctrl-C would never reach run.sh's trap.
            self.process = subprocess.Popen([RUN_SCRIPT], cwd=PROJECT_DIR, env=self.env, stdout=log, stderr=log,
                                            start_new_session=True, preexec_fn=default_sigint)
        wait_until(lambda: self.healthy() or self.process.poll() is not None, timeout, what="scripts/run.sh")
        if self.process.poll() is not None:
            raise RuntimeError("scripts/run.sh failed: " + self.log_text()[-3000:])
        return self

    def healthy(self) -> bool:
        try:
            return requests.get(self.base_url + "/health", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def processes(self) -> set:
        return descendants(self.process.pid)

    def app_pids(self) -> list:
        """The FCGIApp processes the script runs now (normally one)."""
        found = []
        for pid in self.processes():
            try:
                with open(f"/proc/{pid}/comm") as handle:
                    if handle.read().strip() == "FCGIApp":
                        found.append(pid)
            except OSError:
                pass
        return found

    def stop(self, how="SIGTERM", timeout=30) -> int:
        """Stops the run as `make run` is stopped; returns the script's exit code. SIGTERM goes to
        the script alone (make passes its own SIGTERM on); Ctrl-C sends SIGINT to the terminal's
        whole foreground process group: the script, FCGIApp and nginx at once."""
        if how == "Ctrl-C":
            os.killpg(self.process.pid, signal.SIGINT)
        else:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout)

    def kill_all(self):
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, AttributeError):
            pass
        if self.process is not None:
            self.process.wait(10)

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")


@pytest.mark.skipif(env_file_sets("SERVER_BASE_URL"), reason="the project's .env sets SERVER_BASE_URL")
def test_run_script_issuer_follows_port(tmp_path):
    """Without SERVER_BASE_URL, run.sh sets it to http://localhost:$PORT: the issuer a client
    checks (RFC 8414 §3.3: the metadata's issuer is the URL it was fetched under) names the port
    nginx listens on, not the default 3002, and localhost keeps the development login."""
    run = RunScript(tmp_path)
    try:
        run.start()
        metadata = requests.get(run.base_url + "/.well-known/oauth-authorization-server", timeout=5).json()
        assert metadata["issuer"] == f"http://localhost:{run.port}"
        login = requests.post(run.base_url + "/authorize/dev-login", json={"email": "user@example.com"}, timeout=5)
        assert login.status_code == 200, login.text
        assert run.stop() == 0
    finally:
        run.kill_all()


@pytest.mark.parametrize("how", ["SIGTERM", "Ctrl-C"])
def test_run_script_restarts_a_killed_app_and_still_stops_everything(tmp_path, how):
    """kill -9 of FCGIApp under run.sh: a new FCGIApp answers within a few seconds (0.5 s pause,
    then start-up); SIGTERM or Ctrl-C afterwards still ends every process of the run, and a
    FCGIApp that exits on Ctrl-C is not taken for a failure to restart."""
    run = RunScript(tmp_path)
    try:
        run.start()
        [first] = run.app_pids()
        os.kill(first, signal.SIGKILL)
        killed = time.monotonic()
        wait_until(lambda: run.healthy() and run.app_pids() not in ([], [first]), timeout=10,
                   what="a new FCGIApp answering")
        assert time.monotonic() - killed < 5
        assert "FCGIApp exited with status 137; restarting it in 0.5 s" in run.log_text()
        started = run.processes()
        assert run.stop(how) == 0
        wait_until(lambda: not port_open(run.port), timeout=10, what="port to close")
        wait_until(lambda: all_exited(started), timeout=10, what="every process of the run to exit")
        assert run.log_text().count("restarting it") == 1
    finally:
        run.kill_all()


def test_run_script_gives_up_after_repeated_failures(tmp_path):
    """An app that keeps failing (here: every start after the first exits at once, as with a
    database gone for good) is not restarted forever: after 5 failures within 10 s the script
    says so and stops the whole run, nginx included."""
    wrapper = tmp_path / "fcgiapp-once"
    wrapper.write_text("#!/bin/sh\n"
                       f'if [ -e "$0.started" ]; then echo "start refused" >&2; exit 1; fi\n'
                       'touch "$0.started"\n'
                       f'exec "{BINARY}"\n')
    wrapper.chmod(0o755)
    run = RunScript(tmp_path, binary=str(wrapper))
    try:
        run.start()
        started = run.processes()
        [app] = run.app_pids()
        os.kill(app, signal.SIGKILL)
        assert run.process.wait(20) == 1
        assert "FCGIApp failed 5 times within 10 s (last exit status 1); stopping" in run.log_text()
        assert run.log_text().count("start refused") == 4
        wait_until(lambda: not port_open(run.port), timeout=10, what="port to close")
        wait_until(lambda: all_exited(started), timeout=10, what="every process of the run to exit")
    finally:
        run.kill_all()


@pytest.mark.skipif(not server_binaries_available(), reason="PostgreSQL server binaries are not installed")
@pytest.mark.skipif(env_file_sets("DATABASE_URL"), reason="the project's .env sets DATABASE_URL")
def test_run_script_stops_the_postgres_it_started_and_keeps_one_already_running():
    """AUTH_STORAGE_DRIVER=postgres without DATABASE_URL: run.sh starts a cluster in
    RUN_DIR/postgres and, on SIGTERM, stops it with FCGIApp and nginx. A cluster that was
    already running when the script started is left running."""
    # Under /tmp and readable: as root the server runs as `postgres`, which must reach the folder.
    run_dir = Path(tempfile.mkdtemp(prefix="chatgpt-app-run.", dir="/tmp"))
    run_dir.chmod(0o755)
    pg_dir = run_dir / "postgres"
    pid_file = pg_dir / "data/postmaster.pid"
    environment = {"AUTH_STORAGE_DRIVER": "postgres"}
    try:
        run = RunScript(run_dir, env=environment)
        try:
            run.start(timeout=180)
            assert requests.get(run.base_url + "/health", timeout=5).json()["storage"] == "postgres"
            postmaster = int(pid_file.read_text().split()[0])
            started = run.processes() | {postmaster} | descendants(postmaster)
            assert run.stop() == 0
            wait_until(lambda: all_exited(started), timeout=30, what="every process of the run to exit")
            assert not pid_file.exists()
        finally:
            run.kill_all()

        subprocess.run([LOCAL_POSTGRES, "start", str(pg_dir)], check=True, capture_output=True, timeout=120)
        postmaster = int(pid_file.read_text().split()[0])
        run = RunScript(run_dir, env=environment)
        try:
            run.start(timeout=180)
            assert requests.get(run.base_url + "/health", timeout=5).json()["storage"] == "postgres"
            assert run.stop() == 0
            assert "was already running; it stays running" in run.log_text()
            assert os.path.exists(f"/proc/{postmaster}") and int(pid_file.read_text().split()[0]) == postmaster
        finally:
            run.kill_all()
    finally:
        subprocess.run([LOCAL_POSTGRES, "stop", str(pg_dir)], capture_output=True, timeout=120)
        shutil.rmtree(run_dir, ignore_errors=True)
