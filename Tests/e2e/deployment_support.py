"""What the deployment suites (test_deployment_*.py) share: running scripts/install.sh (into a
DESTDIR or into real paths under a temporary root), a test certificate, nginx with its own main
configuration (`Nginx`) and the production site rendered for 127.0.0.1 (`production_site`), the
OAuth flow and an MCP request against a deployed stack, and docs/DEPLOYMENT.md's blocks marked
`<!-- test: NAME -->`, run as written (`run_guide`) with the keys they generate
(`documented_keys`).

`require()` skips a test whose tool is missing, naming the Debian package to install.
"""
import base64
import hashlib
import os
import re
import shutil
import signal
import subprocess
from pathlib import Path

import pytest
import requests

import oauth_flow as flow
from stack import BINARY, PROJECT_DIR, port_open, stop_process, wait_until

IS_ROOT = os.geteuid() == 0
MCP_INITIALIZE = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                  "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                             "clientInfo": {"name": "deployment-test", "version": "1.0"}}}


def require(command, package):
    if shutil.which(command) is None:
        pytest.skip(f"{command} not found: apt-get install {package}")


# --- Helpers ------------------------------------------------------------------------------------

def install(prefix_dir: Path, **variables) -> subprocess.CompletedProcess:
    env = {**os.environ, "BINARY": BINARY, **variables}
    return subprocess.run([str(PROJECT_DIR / "scripts/install.sh")], env=env, capture_output=True, text=True,
                          timeout=120)


def install_real(root: Path) -> dict:
    """Installs into real paths under `root` (no DESTDIR), so the paths inside the files exist."""
    layout = {"prefix": root / "usr", "sysconf": root / "etc"}
    result = install(root, PREFIX=str(layout["prefix"]), SYSCONFDIR=str(layout["sysconf"]))
    assert result.returncode == 0, result.stderr
    layout.update(data=layout["prefix"] / "share/chatgpt-app", binary=layout["prefix"] / "bin/FCGIApp",
                  units=layout["sysconf"] / "systemd/system")
    return layout


def make_certificate(folder: Path):
    require("openssl", "openssl")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    return cert, key


def replace_all(text: str, replacements: dict) -> str:
    for old, new in replacements.items():
        assert old in text, f"expected {old!r} in the file"
        text = text.replace(old, new)
    return text


def import_map_hash() -> str:
    page = (PROJECT_DIR / "public/index.html").read_text()
    inline = re.search(r'<script type="importmap">(.*?)</script>', page, re.S).group(1)
    return base64.b64encode(hashlib.sha256(inline.encode()).digest()).decode()


class Nginx:
    """nginx with a main configuration in `prefix` that includes `site` into its http block."""

    def __init__(self, prefix: Path, site: str):
        self.prefix = prefix
        for folder in ("logs", "tmp"):
            (prefix / folder).mkdir(parents=True, exist_ok=True)
        # fastcgi-app.conf includes fastcgi_params by bare name: nginx looks beside the main file.
        shutil.copy("/etc/nginx/fastcgi_params", prefix / "fastcgi_params")
        (prefix / "site.conf").write_text(site)
        temp = "\n".join(f"    {kind}_temp_path {prefix}/tmp/{kind};" for kind in
                         ("client_body", "fastcgi", "proxy", "uwsgi", "scgi"))
        self.conf = prefix / "nginx.conf"
        self.conf.write_text(f"""{'user root;' if IS_ROOT else ''}
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
daemon off;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {prefix}/logs/access.log;
{temp}
    include {prefix}/site.conf;
}}
""")
        self.process = None

    def test_config(self) -> subprocess.CompletedProcess:
        return subprocess.run(["nginx", "-t", "-p", str(self.prefix), "-e", str(self.prefix / "logs/error.log"),
                               "-c", str(self.conf)], capture_output=True, text=True, timeout=30)

    def start(self, port: int):
        self.process = subprocess.Popen(["nginx", "-p", str(self.prefix), "-e", str(self.prefix / "logs/error.log"),
                                         "-c", str(self.conf)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wait_until(lambda: port_open(port) or self.process.poll() is not None, what="nginx")
        if self.process.poll() is not None:
            raise RuntimeError("nginx failed: " + self.process.stderr.read().decode())
        return self

    def stop(self):
        stop_process(self.process, signal.SIGQUIT)


def bearer(token):
    return {"Authorization": "Bearer " + token}


def mcp_initialize(base_url, access_token, **kwargs):
    return requests.post(base_url + "/mcp", json=MCP_INITIALIZE, timeout=30, **kwargs, headers={
        **bearer(access_token), "Accept": "application/json, text/event-stream"})


def full_oauth_flow(base_url, **kwargs):
    """register, authorize JSON, dev-login, consent, code exchange, refresh, bearer use."""
    client_id, tokens = flow.tokens_for_new_client(base_url, **kwargs)
    assert tokens["token_type"] == "Bearer" and tokens["refresh_token"]
    rotated = flow.refresh(base_url, client_id, tokens["refresh_token"])
    assert rotated.status_code == 200, rotated.text
    fresh = rotated.json()
    assert fresh["refresh_token"] != tokens["refresh_token"]
    # A protected endpoint: proves the Authorization header reaches FCGIApp.
    own = requests.post(base_url + "/token/introspect", data={"token": fresh["access_token"]},
                        headers=bearer(fresh["access_token"]), timeout=10)
    assert own.status_code == 200, own.text
    assert own.json()["active"] is True
    return client_id, fresh


# --- docs/DEPLOYMENT.md's marked blocks --------------------------------------------------------------

GUIDE = PROJECT_DIR / "docs/DEPLOYMENT.md"
TEST_DOMAIN = "chatgpt-app.test"
TEST_PRIVY_APP_ID = "test-privy-app-id"
# The reader's two values, as the guide's first block sets them.
VARIABLES = {"DOMAIN=example.com": f"DOMAIN={TEST_DOMAIN}",
             "PRIVY_APP_ID=your-privy-app-id": f"PRIVY_APP_ID={TEST_PRIVY_APP_ID}"}


def guide_block(name: str) -> str:
    """The ```sh block right after `<!-- test: NAME -->` in docs/DEPLOYMENT.md."""
    found = re.findall(rf"^<!-- test: {re.escape(name)} -->\n```sh\n(.*?)^```$", GUIDE.read_text(), re.S | re.M)
    assert len(found) == 1, f"docs/DEPLOYMENT.md: expected one block marked {name!r}, found {len(found)}"
    return found[0]


def run_guide(names, replacements=None, home=None, cwd=None, env=None, prologue="", epilogue=""):
    """Runs the named blocks in one bash shell, in order, as a reader pastes them. Each key of
    `replacements` must occur in the blocks (a path moved into a temporary folder, a value the
    reader sets); `sudo` is left out, as every path written is a temporary one."""
    script = replace_all("\n".join(guide_block(name) for name in names), {
        **(VARIABLES if "variables" in names else {}), **(replacements or {})})
    script = re.sub(r"\bsudo ", "", script)
    environment = {"PATH": os.environ["PATH"], "LANG": "C.UTF-8", "HOME": str(home or cwd or "/nonexistent"),
                   **(env or {})}
    result = subprocess.run(["bash", "-euo", "pipefail", "-c", prologue + script + epilogue], cwd=cwd,
                            env=environment, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, f"{names}:\n{result.stderr}"
    return result


# --- nginx production site ------------------------------------------------------------------------

def production_site(layout, tmp_path, https_port, http_port, sockets):
    cert, key = make_certificate(tmp_path)
    acme = tmp_path / "acme"
    (acme / ".well-known/acme-challenge").mkdir(parents=True)
    site = (layout["data"] / "nginx/production.conf").read_text()
    return replace_all(site, {
        "/etc/letsencrypt/live/example.com/fullchain.pem": str(cert),
        "/etc/letsencrypt/live/example.com/privkey.pem": str(key),
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen [::]:80;": "",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "listen [::]:443 ssl http2;": "",
        "/run/chatgpt-app/fcgiapp-1.sock": str(sockets[0]),
        "/run/chatgpt-app/fcgiapp-2.sock": str(sockets[1]),
        "/var/www/letsencrypt": str(acme),
        "/var/log/nginx/chatgpt-app.access.log": str(tmp_path / "nginx-access.log"),
    }), cert, acme


# --- Documented commands ------------------------------------------------------------------------

KEY_NAMES = ("JWT_PRIVATE_KEY", "JWT_PUBLIC_KEY", "TOKEN_ENCRYPTION_KEY")


def documented_keys(folder: Path) -> dict:
    """The guide's key and settings blocks, run on a copy of env.example in `folder` (also the home
    folder): the three generated values they write."""
    require("openssl", "openssl")
    env_file = folder / "env"
    shutil.copy(PROJECT_DIR / "deploy/env.example", env_file)
    run_guide(["variables", "keys", "settings"], {"/etc/chatgpt-app/env": str(env_file)}, home=folder,
              env={"DB_PASSWORD": "not-used-here"})
    settings = parse_environment_file(env_file.read_text())
    return {name: settings[name] for name in KEY_NAMES}


def parse_environment_file(text: str) -> dict:
    """NAME=value lines as systemd's EnvironmentFile= reads them (env.example uses no quotes)."""
    values = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name] = value
    return values
