"""The production nginx site (nginx/production.conf) as installed, with a test certificate and
127.0.0.1 ports.

`nginx -t` on it; the app over TLS (ACME challenges and the HTTPS redirect, security headers on
dynamic and static answers, gzip only where it is safe, the OAuth flow and MCP with one of the
two upstream instances down, HTTP/2, rate limits); and the documented VPS set-up: two instances
socket-activated on the template's sockets, sharing one PostgreSQL, with a rolling restart.

The same rendered site is the browser suites' `production_front` (conftest.py). Shared
helpers: deployment_support.py. Debian packages: nginx, openssl, curl, systemd, postgresql.
"""
import base64
import re
import shutil
import signal
import subprocess
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

import oauth_flow as flow
from deployment_support import (Nginx, documented_keys, full_oauth_flow, import_map_hash, install_real,
                                mcp_initialize, parse_environment_file, production_site, require)
from stack import PROJECT_DIR, app_environment, free_port, stop_process, wait_until


# --- nginx production site ------------------------------------------------------------------------

def test_production_site_passes_nginx_t(tmp_path):
    require("nginx", "nginx")
    layout = install_real(tmp_path / "root")
    site, _, _ = production_site(layout, tmp_path, free_port(), free_port(),
                                 [tmp_path / "1.sock", tmp_path / "2.sock"])
    result = Nginx(tmp_path / "nginx", site).test_config()
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr
    assert "[warn]" not in result.stderr and "[emerg]" not in result.stderr, result.stderr


def test_production_site_serves_the_app_over_tls(tmp_path, monkeypatch):
    require("nginx", "nginx")
    layout = install_real(tmp_path / "root")
    https_port, http_port = free_port(), free_port()
    # Instance 1 runs; instance 2's socket has no listener, as while it restarts.
    sockets = [tmp_path / "fcgiapp-1.sock", tmp_path / "fcgiapp-2.sock"]
    site, cert, acme = production_site(layout, tmp_path, https_port, http_port, sockets)
    base_url = f"https://127.0.0.1:{https_port}"
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert))
    log = open(tmp_path / "fcgiapp.log", "w+b")
    # The systemd unit's working directory: public/ and widgets-dist/ are found relative to it.
    app = subprocess.Popen([str(layout["binary"])], cwd=layout["data"], stdout=subprocess.DEVNULL, stderr=log,
                           env=app_environment({"SERVER_BASE_URL": base_url, "FCGI_LISTEN": str(sockets[0]),
                                                "FCGI_THREADS": "4"}))
    nginx = Nginx(tmp_path / "nginx", site)
    try:
        wait_until(lambda: sockets[0].exists() or app.poll() is not None, what="FCGIApp socket")
        assert app.poll() is None
        nginx.start(https_port)

        # HTTP: ACME challenges answered, everything else redirected to HTTPS.
        (acme / ".well-known/acme-challenge/token-123").write_text("challenge-answer")
        challenge = requests.get(f"http://127.0.0.1:{http_port}/.well-known/acme-challenge/token-123", timeout=10)
        assert challenge.status_code == 200 and challenge.text == "challenge-answer"
        redirect = requests.get(f"http://127.0.0.1:{http_port}/health?x=1", allow_redirects=False, timeout=10)
        assert redirect.status_code == 301
        assert redirect.headers["Location"] == "https://127.0.0.1/health?x=1"

        # HTTPS: the application, with the security headers on dynamic and static responses.
        health = requests.get(base_url + "/health", timeout=10)
        assert health.status_code == 200 and health.json()["status"] == "ok"
        css = next((layout["data"] / "public/assets").glob("*.css")).name
        asset = requests.get(f"{base_url}/assets/{css}", headers={"Accept-Encoding": "gzip"}, timeout=10)
        assert asset.status_code == 200
        assert asset.headers["Cache-Control"] == "max-age=31536000"
        assert asset.headers["Content-Encoding"] == "gzip"
        page = requests.get(base_url + "/index.html", timeout=10)
        assert page.status_code == 200 and page.headers["Cache-Control"] == "no-cache"
        for response in (health, asset, page):
            assert response.headers["Strict-Transport-Security"].startswith("max-age=")
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            csp = response.headers["Content-Security-Policy"]
            assert f"'sha256-{import_map_hash()}'" in csp and "https://esm.sh" in csp
            assert "frame-ancestors 'none'" in csp and "https://auth.privy.io" in csp
        widget = requests.get(base_url + "/widgets/list-view.js", timeout=10)
        assert widget.status_code == 200 and widget.content == (PROJECT_DIR / "widgets-dist/list-view.js").read_bytes()
        metadata = requests.get(base_url + "/.well-known/oauth-authorization-server",
                                headers={"Accept-Encoding": "gzip"}, timeout=10)
        assert metadata.json()["issuer"] == base_url
        assert "Content-Encoding" not in metadata.headers  # JSON carries tokens: never compressed
        missing = requests.get(base_url + "/no/such/page", timeout=10)
        assert missing.status_code == 404 and missing.json()["error"] == "not_found"

        # The whole OAuth flow, and MCP, through TLS; instance 2 is down, so nginx fails over.
        client_id, tokens = full_oauth_flow(base_url)
        mcp = mcp_initialize(base_url, tokens["access_token"])
        assert mcp.status_code == 200, mcp.text
        assert mcp.json()["result"]["serverInfo"]["name"] == "chatgpt-app-fcgi"

        # HTTP/2 is offered.
        if shutil.which("curl"):
            version = subprocess.run(["curl", "-s", "--http2", "--cacert", str(cert), "-o", "/dev/null",
                                      "-w", "%{http_version}", base_url + "/health"],
                                     capture_output=True, text=True, timeout=30).stdout
            assert version == "2"

        # Rate limits: /register is throttled, /health is not.
        statuses = [requests.post(base_url + "/register", json={}, timeout=10).status_code for _ in range(25)]
        assert 429 in statuses and statuses[0] != 429
        assert all(requests.get(base_url + "/health", timeout=10).status_code == 200 for _ in range(30))
        # /revoke (20 r/s with /token and /authorize, burst 40) and /mcp (50 r/s, burst 100) are
        # limited per address too: a burst from one address gets 429s from nginx while it runs
        # (RFC 6585 §4); the others reach FCGIApp, which refuses them (no token, no client) but never with a 5xx.
        for path, count in (("/revoke", 120), ("/mcp", 400)):
            with ThreadPoolExecutor(max_workers=16) as pool:
                statuses = list(pool.map(lambda _: requests.post(base_url + path, data=b"{}", timeout=10).status_code,
                                         range(count)))
            assert 429 in statuses and statuses.count(429) < count, (path, Counter(statuses))
            assert all(status < 500 for status in statuses), (path, Counter(statuses))
    finally:
        nginx.stop()
        assert stop_process(app) == 0
        log.close()


def test_production_deployment_two_instances_share_postgres(tmp_path, monkeypatch):
    """The documented VPS set-up, as far as it runs without systemd as PID 1: the installed tree,
    env.example filled in with the documented keys (NODE_ENV=production), `FCGIApp migrate`, two
    instances socket-activated on the template's sockets from the unit's working directory, the
    production site in front, one PostgreSQL. Sign-ins cross instances; one instance stops and
    the other carries on."""
    require("systemd-socket-activate", "systemd")
    require("nginx", "nginx")
    from pg_cluster import PgCluster, server_binaries_available
    from fake_privy_server import FakePrivyServer
    if not server_binaries_available():
        pytest.skip("PostgreSQL server binaries not found: apt-get install postgresql")
    layout = install_real(tmp_path / "root")
    https_port, http_port = free_port(), free_port()
    base_url = f"https://127.0.0.1:{https_port}"
    sockets = [tmp_path / "fcgiapp-1.sock", tmp_path / "fcgiapp-2.sock"]
    site, cert, _ = production_site(layout, tmp_path, https_port, http_port, sockets)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert))
    privy = FakePrivyServer()  # only its key: tokens are minted here, nothing is served
    cluster = PgCluster()
    instances, logs, nginx = [], [], None
    try:
        database_url = cluster.start()
        filled = {**documented_keys(tmp_path), "SERVER_BASE_URL": base_url, "DATABASE_URL": database_url,
                  "PRIVY_APP_ID": privy.app_id,
                  "PRIVY_VERIFICATION_KEY": base64.b64encode(privy.public_key_pem.encode()).decode()}
        example = (layout["data"] / "env.example").read_text()
        for name, value in filled.items():
            example, count = re.subn(rf"^#?{name}=.*$", lambda _: f"{name}={value}", example, flags=re.M)
            assert count == 1, name
        settings = parse_environment_file(example)
        assert settings["NODE_ENV"] == "production" and settings["AUTH_STORAGE_DRIVER"] == "postgres"

        migrate = subprocess.run([str(layout["binary"]), "migrate"], cwd=layout["data"], capture_output=True,
                                 timeout=120, env=app_environment(settings))
        assert migrate.returncode == 0, migrate.stderr.decode()
        assert migrate.stdout.decode().startswith("applied migrations: ")
        again = subprocess.run([str(layout["binary"]), "migrate"], cwd=layout["data"], capture_output=True,
                               timeout=120, env=app_environment(settings))
        assert again.returncode == 0 and again.stdout.decode().strip() == "database schema is up to date"

        for number, socket_path in enumerate(sockets, start=1):
            command = ["systemd-socket-activate", "-l", str(socket_path)]
            for name, value in settings.items():
                command += ["-E", f"{name}={value}"]
            logs.append(open(tmp_path / f"instance-{number}.log", "w+b"))
            instances.append(subprocess.Popen(command + [str(layout["binary"])], cwd=layout["data"],
                                              env=app_environment(), stdout=subprocess.DEVNULL, stderr=logs[-1]))
            wait_until(lambda: socket_path.exists() or instances[-1].poll() is not None, what="activation socket")
        nginx = Nginx(tmp_path / "nginx", site).start(https_port)

        health = requests.get(base_url + "/health", timeout=60).json()
        assert health == {"environment": "production", "status": "ok", "storage": "postgres"}
        grants = []
        for number in range(3):
            client_id = flow.register(base_url, name=f"client {number}")["client_id"]
            verifier, challenge = flow.pkce_pair()
            details = flow.consent_details(base_url, flow.authorize_params(client_id, challenge))
            assert details.status_code == 200, details.text
            assert details.json()["login"]["mode"] == "privy"
            token, user_id = privy.mint(f"user{number}@example.com")
            decision = flow.decide(base_url, details.json()["request"], {"privy_token": token, "privy_user_id": user_id})
            assert decision.status_code == 200, decision.text
            code = flow.redirect_query(decision.json()["redirect_uri"])["code"]
            exchanged = flow.exchange_code(base_url, client_id, code, verifier)
            assert exchanged.status_code == 200, exchanged.text
            grants.append((client_id, exchanged.json()))
        for client_id, tokens in grants:
            refreshed = flow.refresh(base_url, client_id, tokens["refresh_token"])
            assert refreshed.status_code == 200, refreshed.text
            tokens.update(refreshed.json())
        mcp = mcp_initialize(base_url, grants[0][1]["access_token"])
        assert mcp.status_code == 200, mcp.text
        assert mcp.json()["result"]["serverInfo"]["name"] == "chatgpt-app-fcgi"
        # Both instances served part of it.
        for log in logs:
            log.flush()
        texts = [(tmp_path / f"instance-{n}.log").read_text() for n in (1, 2)]
        assert all('"path":"/token"' in text or '"path":"/register"' in text for text in texts), texts
        assert all('"listen":"systemd socket activation"' in text for text in texts)

        # Instance 1 stops (as in a rolling restart): instance 2 answers everything.
        instances[0].send_signal(signal.SIGTERM)
        assert instances[0].wait(15) == 0
        assert all(requests.get(base_url + "/health", timeout=10).status_code == 200 for _ in range(6))
        client_id, tokens = grants[1]
        assert flow.refresh(base_url, client_id, tokens["refresh_token"]).status_code == 200
    finally:
        if nginx:
            nginx.stop()
        for instance in instances:
            stop_process(instance)
        for log in logs:
            log.close()
        cluster.destroy()
    assert all(instance.returncode == 0 for instance in instances)
