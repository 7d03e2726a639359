"""The FastCGI foundation end to end: nginx + FCGIApp, CGI mode, raw FastCGI, shutdown."""
import json
import os
import signal
import socket
import stat
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

import fastcgi_client
from stack import BINARY, PROJECT_DIR, Stack, app_environment, free_port, port_open, wait_until


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
    requests.get(stack.base_url + "/health?code=SECRET-CODE-123", timeout=5)
    wait_until(lambda: "/health" in stack.app_log_text(), what="access log line")
    log = stack.app_log_text()
    assert "SECRET-CODE-123" not in log
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


def test_cgi_mode_never_reads_past_content_length():
    result = subprocess.run([BINARY], input=b"x" * 2048, capture_output=True, timeout=10, env=app_environment({
        "REQUEST_METHOD": "POST", "REQUEST_URI": "/health", "CONTENT_LENGTH": "2000000"}))
    status, _, body = fastcgi_client.parse_cgi_output(result.stdout)
    assert status == 413


def test_cgi_fcgi_over_unix_socket(stack):
    result = subprocess.run(["cgi-fcgi", "-bind", "-connect", stack.socket_path], capture_output=True, timeout=10,
                            env=app_environment({"REQUEST_METHOD": "GET", "REQUEST_URI": "/health",
                                                 "QUERY_STRING": "", "SCRIPT_NAME": "/health"}))
    status, _, body = fastcgi_client.parse_cgi_output(result.stdout)
    assert status == 200
    assert json.loads(body)["environment"] == "development"


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
