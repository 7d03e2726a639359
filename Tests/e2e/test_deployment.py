"""Deployment artefacts end to end: `scripts/install.sh`, the production nginx site, the systemd
units and socket activation, Apache with mod_fcgid and with plain CGI, and the commands that
docs/DEPLOYMENT.md tells an operator to run: the blocks it marks with `<!-- test: NAME -->` are
run as written, with the installed paths moved into temporary folders and `sudo` left out.

Debian packages: nginx, openssl, curl, postgresql, systemd (systemd-analyze,
systemd-socket-activate), apache2, libapache2-mod-fcgid and python3-seccomp. A test whose tools
are missing is skipped with the package to install. Every test binds 127.0.0.1 or unix sockets in its own temporary folder and stops
every process it starts.
"""
import asyncio
import base64
import hashlib
import json
import os
import re
import shutil
import signal
import ssl
import stat
import subprocess
import tempfile
from pathlib import Path

import httpx2
import pytest
import requests
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client

import oauth_flow as flow
from stack import (BINARY, PROJECT_DIR, app_environment, free_port, port_open, start_local_nginx, stop_process,
                   wait_until)

APACHE_MODULES = Path("/usr/lib/apache2/modules")
IS_ROOT = os.geteuid() == 0
MCP_INITIALIZE = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                  "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                             "clientInfo": {"name": "deployment-test", "version": "1.0"}}}


def require(command, package):
    if shutil.which(command) is None:
        pytest.skip(f"{command} not found: apt-get install {package}")


def require_apache_module(name, package):
    require("apache2", "apache2")
    if not (APACHE_MODULES / f"mod_{name}.so").exists():
        pytest.skip(f"mod_{name} not found: apt-get install {package}")


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


def processes_running(executable: Path) -> list:
    """Processes whose executable is `executable` (so a test can prove none outlive it)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.readlink(entry / "exe") == str(executable):
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


def world_readable_tempdir(prefix: str) -> Path:
    """Apache's children run as www-data when the tests run as root: pytest's own temporary
    folders (mode 0700) are closed to them."""
    path = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    path.chmod(0o755)
    return path


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


class Apache:
    """apache2 in the foreground with its own configuration, pid file and logs in `root`."""

    def __init__(self, root: Path, port: int, modules: list, body: str, mpm="event"):
        self.root, self.port = root, port
        for folder in ("logs", "run"):
            (root / folder).mkdir(exist_ok=True)
        loads = "\n".join(f"LoadModule {name}_module {APACHE_MODULES}/mod_{name}.so"
                          for name in [f"mpm_{mpm}", "authz_core", "alias", "dir", "mime", "rewrite", "headers", *modules])
        self.conf = root / "httpd.conf"
        self.conf.write_text(f"""ServerRoot "{root}"
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile "{root}/run/httpd.pid"
DefaultRuntimeDir "{root}/run"
ErrorLog "{root}/logs/error.log"
LogLevel {'warn fcgid:info' if 'fcgid' in modules else 'warn'}
{'User www-data' if IS_ROOT else ''}
{'Group www-data' if IS_ROOT else ''}
{loads}
TypesConfig /etc/mime.types
LogFormat "%h %l %u %t \\"%r\\" %>s %b" common
CustomLog "{root}/logs/access.log" common
AccessFileName .htaccess
<Directory />
    Require all denied
    AllowOverride None
</Directory>
<FilesMatch "^\\.ht">
    Require all denied
</FilesMatch>
{body}
""")
        self.process = None
        self.base_url = f"http://127.0.0.1:{port}"

    def start(self):
        check = subprocess.run(["apache2", "-t", "-f", str(self.conf)], capture_output=True, text=True, timeout=30)
        assert check.returncode == 0, check.stderr
        # Its own session: on shutdown Apache signals its whole process group (prefork does).
        self.process = subprocess.Popen(["apache2", "-f", str(self.conf), "-DFOREGROUND"], start_new_session=True,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wait_until(lambda: port_open(self.port) or self.process.poll() is not None, what="apache2")
        if self.process.poll() is not None:
            raise RuntimeError("apache2 failed: " + self.process.stderr.read().decode() + self.error_log())
        return self

    def stop(self):
        stop_process(self.process, signal.SIGTERM, timeout=30)

    def error_log(self) -> str:
        path = self.root / "logs/error.log"
        return path.read_text(errors="replace") if path.exists() else ""


def shared_hosting_layout(root: Path, base_url: str) -> Path:
    """The layout of docs/DEPLOYMENT.md's shared-hosting blocks, made by running them: the
    archive packed in the project folder (with the binary under test in place of
    .build/release/FCGIApp), then unpacked and laid out with `root` as the home folder."""
    binary = Path(BINARY)
    assert binary.name == "FCGIApp", "the shared-hosting blocks copy a file named FCGIApp"
    archive = root / "chatgpt-app-upload.tar.gz"
    run_guide(["shared-hosting-pack"], {"chatgpt-app-upload.tar.gz": str(archive),
                                        "-C .build/release FCGIApp": f"-C {binary.parent} FCGIApp"}, cwd=PROJECT_DIR)
    run_guide(["shared-hosting"], home=root, cwd=root)
    htdocs, app = root / "public_html", root / "chatgpt-app"
    for path, mode in ((app / "FCGIApp", 0o755), (app / ".env", 0o600), (htdocs / "chatgpt-app.fcgi", 0o755),
                       (htdocs / "chatgpt-app.cgi", 0o755), (htdocs / ".htaccess", 0o644)):
        assert stat.S_IMODE(path.stat().st_mode) == mode, (path, oct(path.stat().st_mode))
    assert (app / "FCGIApp").read_bytes() == binary.read_bytes()
    assert (htdocs / "index.html").read_bytes() == (PROJECT_DIR / "public/index.html").read_bytes()
    assert (htdocs / "widgets/list-view.js").read_bytes() == (PROJECT_DIR / "widgets-dist/list-view.js").read_bytes()
    assert f"\nAPP_DIR={app}\n" in (htdocs / "chatgpt-app.fcgi").read_text()
    env = (app / ".env").read_text()
    assert env == (PROJECT_DIR / "deploy/env.example").read_text() + \
        f"PUBLIC_DIR={htdocs}\nWIDGETS_DIR={htdocs}/widgets\nFCGI_THREADS=1\n"
    # The guide then fills in production settings (the settings test runs that block); here the
    # development login on a loopback origin with the memory store stands in for Privy and PostgreSQL.
    for name, value in {"NODE_ENV": "development", "SERVER_BASE_URL": base_url, "AUTH_STORAGE_DRIVER": "memory",
                        "DATABASE_URL": ""}.items():
        env, count = re.subn(rf"^{name}=.*$", lambda _: f"{name}={value}", env, flags=re.M)
        assert count == 1, name
    (app / ".env").write_text(env)
    # On a host, suEXEC runs the entry script as the account that owns these files; here they
    # belong to root and Apache's children run as www-data, so they are opened to everyone.
    for path in [root, htdocs, app, *htdocs.rglob("*"), *app.rglob("*")]:
        path.chmod(path.stat().st_mode | stat.S_IROTH | (stat.S_IXOTH if path.is_dir() else 0))
    return htdocs


def shared_hosting_server(htdocs: Path) -> str:
    """What a shared host's configuration gives a customer: a document root with AllowOverride."""
    return f"""DocumentRoot "{htdocs}"
<Directory "{htdocs}">
    Require all granted
    AllowOverride All
</Directory>
"""


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


def mcp_exchange(base_url, access_token, verify=True):
    """initialize, tools/list and tools/call get-items with the official MCP client."""
    async def exchange():
        async with httpx2.AsyncClient(headers=bearer(access_token), timeout=30, verify=verify) as http:
            async with streamable_http_client(base_url + "/mcp", http_client=http) as (read, write):
                async with ClientSession(read, write) as session:
                    initialized = await session.initialize()
                    return initialized, await session.list_tools(), await session.call_tool("get-items", {})

    initialized, tools, items = asyncio.run(asyncio.wait_for(exchange(), 60))
    assert initialized.server_info.name == "chatgpt-app-fcgi"
    assert {"get-items", "item-action"} <= {tool.name for tool in tools.tools}
    assert items.is_error is False, items.content
    listed = items.structured_content["items"]
    assert listed and all(item["id"] and item["title"] and item["status"] for item in listed), listed
    assert items.content[0].text


# --- scripts/install.sh ---------------------------------------------------------------------------

def test_install_into_destdir(tmp_path):
    dest = tmp_path / "dest"
    result = install(tmp_path, DESTDIR=str(dest))
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    data = dest / "usr/local/share/chatgpt-app"
    expected = {
        "usr/local/bin/FCGIApp": 0o755,
        "usr/local/share/chatgpt-app/public/index.html": 0o644,
        "usr/local/share/chatgpt-app/widgets-dist/list-view.js": 0o644,
        "usr/local/share/chatgpt-app/nginx/app-routes.conf": 0o644,
        "usr/local/share/chatgpt-app/nginx/fastcgi-app.conf": 0o644,
        "usr/local/share/chatgpt-app/nginx/production.conf": 0o644,
        "usr/local/share/chatgpt-app/apache/chatgpt-app.conf": 0o644,
        "usr/local/share/chatgpt-app/apache/htaccess.example": 0o644,
        "usr/local/share/chatgpt-app/apache/chatgpt-app.fcgi.example": 0o755,
        "usr/local/share/chatgpt-app/env.example": 0o644,
        "usr/local/share/chatgpt-app/fcgid-env.sh": 0o755,
        "usr/local/lib/systemd/system/chatgpt-app.socket": 0o644,
        "usr/local/lib/systemd/system/chatgpt-app.service": 0o644,
        "usr/local/lib/systemd/system/chatgpt-app@.socket": 0o644,
        "usr/local/lib/systemd/system/chatgpt-app@.service": 0o644,
        "etc/chatgpt-app/env": 0o600,
    }
    if (PROJECT_DIR / "docs/DEPLOYMENT.md").exists():
        expected["usr/local/share/doc/chatgpt-app/DEPLOYMENT.md"] = 0o644
    for relative, mode in expected.items():
        path = dest / relative
        assert path.is_file(), relative
        assert stat.S_IMODE(path.stat().st_mode) == mode, (relative, oct(path.stat().st_mode))
    # Every built asset is there, byte for byte.
    for source in (PROJECT_DIR / "public").rglob("*"):
        if source.is_file():
            assert (data / "public" / source.relative_to(PROJECT_DIR / "public")).read_bytes() == source.read_bytes()
    assert (dest / "usr/local/bin/FCGIApp").read_bytes() == Path(BINARY).read_bytes()
    # Paths inside the files are the runtime ones, never DESTDIR.
    for text_file in [*(dest / "usr/local/lib/systemd/system").iterdir(), data / "nginx/production.conf"]:
        assert str(dest) not in text_file.read_text()
    service = (dest / "usr/local/lib/systemd/system/chatgpt-app.service").read_text()
    assert "ExecStart=/usr/local/bin/FCGIApp\n" in service
    assert "WorkingDirectory=/usr/local/share/chatgpt-app\n" in service
    assert "EnvironmentFile=/etc/chatgpt-app/env\n" in service
    # The installed route rules are the repository's, with the snippet named by its installed path.
    installed_routes = (data / "nginx/app-routes.conf").read_text()
    assert installed_routes == (PROJECT_DIR / "nginx/app-routes.conf").read_text().replace(
        "include fastcgi-app.conf;", "include /usr/local/share/chatgpt-app/nginx/fastcgi-app.conf;")
    assert "include /usr/local/share/chatgpt-app/nginx/app-routes.conf;" in (data / "nginx/production.conf").read_text()
    assert (dest / "etc/chatgpt-app/env").read_text() == (PROJECT_DIR / "deploy/env.example").read_text()

    # Installing again keeps the operator's settings.
    (dest / "etc/chatgpt-app/env").write_text("SERVER_BASE_URL=https://kept.example\n")
    again = install(tmp_path, DESTDIR=str(dest))
    assert again.returncode == 0, again.stderr
    assert (dest / "etc/chatgpt-app/env").read_text() == "SERVER_BASE_URL=https://kept.example\n"


def test_install_with_another_prefix_rewrites_paths(tmp_path):
    dest = tmp_path / "dest"
    result = install(tmp_path, DESTDIR=str(dest), PREFIX="/opt/chatgpt-app", SYSCONFDIR="/etc/opt")
    assert result.returncode == 0, result.stderr
    # /opt is not in systemd's unit search path: the units go below SYSCONFDIR.
    service = (dest / "etc/opt/systemd/system/chatgpt-app@.service").read_text()
    assert "ExecStart=/opt/chatgpt-app/bin/FCGIApp\n" in service
    assert "WorkingDirectory=/opt/chatgpt-app/share/chatgpt-app\n" in service
    assert "EnvironmentFile=/etc/opt/chatgpt-app/env\n" in service
    site = (dest / "opt/chatgpt-app/share/chatgpt-app/nginx/production.conf").read_text()
    assert "root /opt/chatgpt-app/share/chatgpt-app/public;" in site
    assert "include /opt/chatgpt-app/share/chatgpt-app/nginx/app-routes.conf;" in site
    assert "/usr/local" not in site
    assert (dest / "etc/opt/chatgpt-app/env").is_file()


def test_install_without_a_binary_fails_clearly(tmp_path):
    result = install(tmp_path, DESTDIR=str(tmp_path / "dest"), BINARY=str(tmp_path / "missing"))
    assert result.returncode != 0
    assert "make build" in result.stderr
    assert not (tmp_path / "dest").exists()


# --- Configuration files stay in step with the code -----------------------------------------------

def variables_read_by_the_code() -> set:
    names = set()
    for source in (PROJECT_DIR / "Sources").rglob("*.swift"):
        text = source.read_text()
        names.update(re.findall(r'reader\.\w+\(\s*"([A-Z][A-Z0-9_]+)"', text))
        for alternatives in re.findall(r'reader\.choice\(\[([^\]]+)\]', text):
            names.update(re.findall(r'"([A-Z][A-Z0-9_]+)"', alternatives))
        names.update(re.findall(r'environment\["([A-Z][A-Z0-9_]+)"\]', text))
    return names - {"LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES"}


def test_env_example_names_every_variable():
    example = (PROJECT_DIR / "deploy/env.example").read_text()
    documented = set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", example, re.M))
    read = variables_read_by_the_code()
    assert {"SERVER_BASE_URL", "DATABASE_URL", "JWT_PRIVATE_KEY", "NODE_ENV", "APP_ENV"} <= read
    assert read - documented == set(), "variables missing from deploy/env.example"
    assert "JWT_PREVIOUS_PUBLIC_KEYS" in documented


def test_apache_rules_route_what_nginx_routes():
    routes = (PROJECT_DIR / "nginx/app-routes.conf").read_text()
    exact = set(re.findall(r"^location = (/\S+)\s", routes, re.M))
    prefixes = set(re.findall(r"^location \^~ (/\S+)\s+\{ include fastcgi-app.conf", routes, re.M))
    rules = (PROJECT_DIR / "apache/htaccess.example").read_text()
    listed = re.search(r"^RewriteRule \^\(([^)]+)\)\$", rules, re.M).group(1).split("|")
    assert {"/" + path for path in listed} == exact | {"/authorize/dev-login"}
    prefix_rule = re.search(r"^RewriteRule \^\(([^)]+)\)/ ", rules, re.M).group(1).replace("\\", "").split("|")
    assert {f"/{path}/" for path in prefix_rule} == prefixes


def test_production_csp_allows_the_import_map_by_hash():
    site = (PROJECT_DIR / "nginx/production.conf").read_text()
    assert f"'sha256-{import_map_hash()}'" in site, \
        "public/index.html's import map changed: update the hash in nginx/production.conf (web/README.md has it)"
    readme = PROJECT_DIR / "web/README.md"
    if readme.exists() and "sha256-" in readme.read_text():
        assert f"'sha256-{import_map_hash()}'" in readme.read_text()


def test_systemd_units_agree_with_each_other_and_with_nginx():
    units = PROJECT_DIR / "systemd"

    def service_section(name):
        text = (units / name).read_text()
        lines = text.split("[Service]", 1)[1].split("[Install]", 1)[0].splitlines()
        return [line for line in lines if line and not line.startswith("#") and not line.startswith("SyslogIdentifier=")]

    assert service_section("chatgpt-app.service") == service_section("chatgpt-app@.service")
    for name in ("chatgpt-app.socket", "chatgpt-app@.socket"):
        text = (units / name).read_text()
        for line in ("SocketMode=0660", "SocketGroup=www-data", "Accept=no"):
            assert line in text.splitlines(), (name, line)
    template_socket = re.search(r"^ListenStream=(\S+)$", (units / "chatgpt-app@.socket").read_text(), re.M).group(1)
    site = (PROJECT_DIR / "nginx/production.conf").read_text()
    upstream = re.search(r"upstream fcgiapp \{(.*?)\}", site, re.S).group(1)
    servers = re.findall(r"^\s*server unix:(\S+)", upstream, re.M)
    assert servers == [template_socket.replace("%i", str(n)) for n in range(1, len(servers) + 1)]
    assert len(servers) >= 2
    service = service_section("chatgpt-app.service")
    for setting in ("Restart=on-failure", "EnvironmentFile=/etc/chatgpt-app/env", "DynamicUser=yes",
                    "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes",
                    "PrivateDevices=yes", "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6", "CapabilityBoundingSet=",
                    "SystemCallFilter=@system-service", "LockPersonality=yes", "RestrictNamespaces=yes",
                    "RestrictRealtime=yes", "ProtectClock=yes", "ProtectHostname=yes", "ProtectKernelTunables=yes",
                    "ProtectKernelModules=yes", "ProtectKernelLogs=yes", "UMask=0077"):
        assert setting in service, setting
    assert any(line.startswith("MemoryMax=") for line in service)


# --- systemd ----------------------------------------------------------------------------------------

def test_systemd_analyze_verify_passes_on_the_installed_units(tmp_path):
    require("systemd-analyze", "systemd")
    layout = install_real(tmp_path / "root")
    units = layout["units"]
    service = (units / "chatgpt-app.service").read_text()
    assert f"ExecStart={layout['binary']}\n" in service
    # Templates are verified through an instance name, as systemctl would load them.
    for kind in ("socket", "service"):
        os.symlink(units / f"chatgpt-app@.{kind}", units / f"chatgpt-app@1.{kind}")
    for group in (["chatgpt-app.socket", "chatgpt-app.service"], ["chatgpt-app@1.socket", "chatgpt-app@1.service"]):
        result = subprocess.run(["systemd-analyze", "verify", "--man=no", *[str(units / name) for name in group]],
                                capture_output=True, text=True, timeout=60)
        # verify only warns (exit 0) on unknown keys: any output at all is a failure here.
        assert result.returncode == 0 and result.stdout + result.stderr == "", result.stdout + result.stderr
        security = subprocess.run(["systemd-analyze", "security", "--offline=yes", str(units / group[1])],
                                  capture_output=True, text=True, timeout=60)
        exposure = re.search(r"Overall exposure level for \S+: ([0-9.]+)", security.stdout + security.stderr)
        assert exposure, security.stdout + security.stderr
        assert float(exposure.group(1)) <= 2.0, security.stdout

    # The check is real: a unit whose binary is missing fails.
    broken = tmp_path / "broken"
    broken.mkdir()
    shutil.copy(units / "chatgpt-app.socket", broken)
    (broken / "chatgpt-app.service").write_text(service.replace(str(layout["binary"]), str(tmp_path / "nothing")))
    result = subprocess.run(["systemd-analyze", "verify", "--man=no", str(broken / "chatgpt-app.service")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0


def test_socket_activation_behind_nginx(tmp_path):
    require("systemd-socket-activate", "systemd")
    require("nginx", "nginx")
    socket_path = tmp_path / "fcgiapp.sock"
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = open(tmp_path / "fcgiapp.log", "w+b")
    # Like systemd, systemd-socket-activate starts the program with a clean environment plus -E.
    settings = {"SERVER_BASE_URL": base_url, "FCGI_THREADS": "4", "PUBLIC_DIR": str(PROJECT_DIR / "public"),
                "WIDGETS_DIR": str(PROJECT_DIR / "widgets-dist")}
    command = ["systemd-socket-activate", "-l", str(socket_path)]
    for name, value in settings.items():
        command += ["-E", f"{name}={value}"]
    app = subprocess.Popen(command + [BINARY], cwd=tmp_path, env=app_environment(), stdout=subprocess.DEVNULL,
                           stderr=log)
    nginx = None
    try:
        wait_until(lambda: socket_path.exists() or app.poll() is not None, what="activation socket")
        assert app.poll() is None
        nginx = start_local_nginx(tmp_path / "nginx", port, socket_path)

        # The first connection makes systemd-socket-activate exec FCGIApp with LISTEN_FDS=1.
        health = requests.get(base_url + "/health", timeout=30)
        assert health.status_code == 200 and health.json()["status"] == "ok"
        metadata = requests.get(base_url + "/.well-known/oauth-authorization-server", timeout=10)
        assert metadata.status_code == 200
        assert metadata.json()["issuer"] == base_url
        protected = requests.get(base_url + "/.well-known/oauth-protected-resource/mcp", timeout=10)
        assert protected.status_code == 200 and protected.json()["resource"] == base_url + "/mcp"
        log.flush()
        text = (tmp_path / "fcgiapp.log").read_text()
        assert '"listen":"systemd socket activation"' in text

        app.send_signal(signal.SIGTERM)
        assert app.wait(15) == 0
        log.flush()
        assert "FCGIApp stopped" in (tmp_path / "fcgiapp.log").read_text()
    finally:
        stop_process(nginx, signal.SIGQUIT)
        stop_process(app)
        log.close()


SECCOMP_LAUNCHER = r"""
import errno, os, sys, seccomp
allowed, families, binary = sys.argv[1].split(","), {int(f) for f in sys.argv[2].split(",")}, sys.argv[3]
PROT_WRITE, PROT_EXEC, SHM_EXEC = 2, 4, 0o100000
# MemoryDenyWriteExecute=yes, as systemd implements it.
mdwe = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
mdwe.add_rule(seccomp.ERRNO(errno.EPERM), "mmap",
              seccomp.Arg(2, seccomp.MASKED_EQ, PROT_WRITE | PROT_EXEC, PROT_WRITE | PROT_EXEC))
for call in ("mprotect", "pkey_mprotect"):
    mdwe.add_rule(seccomp.ERRNO(errno.EPERM), call, seccomp.Arg(2, seccomp.MASKED_EQ, PROT_EXEC, PROT_EXEC))
mdwe.add_rule(seccomp.ERRNO(errno.EPERM), "shmat", seccomp.Arg(2, seccomp.MASKED_EQ, SHM_EXEC, SHM_EXEC))
mdwe.load()
# RestrictAddressFamilies=
restrict = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
for family in range(64):
    if family not in families:
        restrict.add_rule(seccomp.ERRNO(errno.EAFNOSUPPORT), "socket", seccomp.Arg(0, seccomp.EQ, family))
restrict.load()
# SystemCallFilter= with SystemCallErrorNumber=EPERM: last, as it forbids seccomp() itself.
calls = seccomp.SyscallFilter(defaction=seccomp.ERRNO(errno.EPERM))
for name in allowed:
    try:
        calls.add_rule(seccomp.ALLOW, name)
    except Exception:
        pass  # not a system call on this architecture
calls.load()  # also sets no_new_privs (NoNewPrivileges=yes)
os.execv(binary, [binary])
"""
ADDRESS_FAMILIES = {"AF_UNIX": 1, "AF_INET": 2, "AF_INET6": 10}


def syscall_group(name: str) -> set:
    """A systemd system call group, expanded through its nested groups."""
    listing = subprocess.run(["systemd-analyze", "syscall-filter", name], capture_output=True, text=True,
                             check=True).stdout.splitlines()[1:]
    calls = set()
    for line in listing:
        entry = line.split("#", 1)[0].strip()
        if entry.startswith("@"):
            calls |= syscall_group(entry)
        elif entry:
            calls.add(entry)
    return calls


def unit_sandbox(unit_text: str):
    """The system calls and address families the service unit allows."""
    allowed, denied = set(), set()
    for value in re.findall(r"^SystemCallFilter=(.*)$", unit_text, re.M):
        target = denied if value.startswith("~") else allowed
        for entry in value.lstrip("~").split():
            target |= syscall_group(entry) if entry.startswith("@") else {entry}
    families = re.search(r"^RestrictAddressFamilies=(.*)$", unit_text, re.M).group(1).split()
    return sorted(allowed - denied), [ADDRESS_FAMILIES[name] for name in families]


def test_app_runs_under_the_units_system_call_filter(tmp_path):
    """Without systemd as PID 1 the unit cannot run here; its seccomp part can. FCGIApp runs under
    the unit's SystemCallFilter=, RestrictAddressFamilies=, MemoryDenyWriteExecute= and
    NoNewPrivileges=, rebuilt with libseccomp, behind nginx: the OAuth flow and a clean stop."""
    require("systemd-analyze", "systemd")
    require("nginx", "nginx")
    if subprocess.run(["/usr/bin/python3", "-c", "import seccomp"], capture_output=True).returncode != 0:
        pytest.skip("libseccomp's Python binding is missing: apt-get install python3-seccomp")
    unit = (PROJECT_DIR / "systemd/chatgpt-app.service").read_text()
    assert "MemoryDenyWriteExecute=yes" in unit.splitlines() and "NoNewPrivileges=yes" in unit.splitlines()
    assert "SystemCallErrorNumber=EPERM" in unit.splitlines()
    calls, families = unit_sandbox(unit)
    assert "execve" in calls and "reboot" not in calls and "setrlimit" not in calls
    socket_path = tmp_path / "fcgiapp.sock"
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = open(tmp_path / "fcgiapp.log", "w+b")
    app = subprocess.Popen(["/usr/bin/python3", "-c", SECCOMP_LAUNCHER, ",".join(calls), ",".join(map(str, families)),
                            BINARY], cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=log,
                           env=app_environment({"SERVER_BASE_URL": base_url, "FCGI_LISTEN": str(socket_path),
                                                "PUBLIC_DIR": str(PROJECT_DIR / "public"),
                                                "WIDGETS_DIR": str(PROJECT_DIR / "widgets-dist")}))
    nginx = None
    try:
        wait_until(lambda: socket_path.exists() or app.poll() is not None, timeout=30, what="FCGIApp socket")
        assert app.poll() is None, (tmp_path / "fcgiapp.log").read_text()
        status = Path(f"/proc/{app.pid}/status").read_text()
        assert re.search(r"^Seccomp:\s+2$", status, re.M) and re.search(r"^NoNewPrivs:\s+1$", status, re.M)
        nginx = start_local_nginx(tmp_path / "nginx", port, socket_path)
        assert requests.get(base_url + "/health", timeout=10).status_code == 200
        _, tokens = full_oauth_flow(base_url)
        mcp = mcp_initialize(base_url, tokens["access_token"])
        assert mcp.status_code == 200, mcp.text
        assert mcp.json()["result"]["serverInfo"]["name"] == "chatgpt-app-fcgi"
        app.send_signal(signal.SIGTERM)
        assert app.wait(15) == 0
    finally:
        stop_process(nginx, signal.SIGQUIT)
        stop_process(app)
        log.close()


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


def test_deployment_guide_marks_its_tested_blocks_and_lists_the_other_steps():
    guide = GUIDE.read_text()
    for name in ("variables", "database", "keys", "settings", "nginx-site", "fcgid-env", "apache-site",
                 "shared-hosting-pack", "shared-hosting"):
        assert guide_block(name)
    # Steps no test here can run (systemd as PID 1, DNS), written as a reader runs them.
    for command in ("sudo systemctl daemon-reload",
                    "sudo systemctl enable --now chatgpt-app@1.socket chatgpt-app@2.socket",
                    'sudo certbot certonly --nginx -d "$DOMAIN"', 'sudo certbot certonly --apache -d "$DOMAIN"',
                    "/usr/local/bin/FCGIApp migrate", "sudo a2ensite chatgpt-app", "JWT_PREVIOUS_PUBLIC_KEYS",
                    "git clone REPOSITORY-URL chatgpt-app", "sudo tar -xzf",
                    "gpg --verify", "apache2 libapache2-mod-fcgid"):
        assert command in guide, command
    # One placeholder for the domain: $DOMAIN in commands; example.com only where the guide names
    # the shipped files' placeholder or sets the variable.
    for line in guide.splitlines():
        if "example.com" in line:
            assert "DOMAIN=example.com" in line or "`example.com`" in line or "example\\.com" in line, line
    # A umask in a pasted block would stay in the reader's shell: only inside a subshell.
    for block in re.findall(r"^```sh\n(.*?)^```$", guide, re.S | re.M):
        for line in block.splitlines():
            if "umask" in line:
                assert line.startswith((" ", "(")) or "sh -c" in line, line


def test_readme_deployment_outline_agrees_with_the_guide():
    """README's outline names the guide's VPS steps in the guide's order, and each command it
    quotes is the guide's own."""
    readme = (PROJECT_DIR / "README.md").read_text()
    section = readme.split("\n## Deployment\n", 1)[1].split("\n## ", 1)[0]
    guide = GUIDE.read_text()
    outline = re.findall(r"^(\d+)\. \*\*(.+?)\*\*:", section, re.M)
    steps = [(number, re.sub(r"\s*\*\(not tested here.*$", "", title))
             for number, title in re.findall(r"^### (\d+)\. (.+)$", guide, re.M)]
    assert outline == steps
    quoted = [code for code in re.findall(r"`([^`]+)`", section) if code.split()[0] in ("sudo", "make", "git")]
    assert len(quoted) >= 5, quoted
    for command in quoted:
        assert command in guide, command
    # The same menu path as the guide's "Connecting ChatGPT".
    for path in ("Settings → Apps & Connectors → Advanced settings", "Settings → Apps & Connectors → Create"):
        assert path in section and path.replace(" → Create", " → **Create**") in guide, path
    assert "Settings → Connectors" not in section


def test_guide_vps_steps_make_a_working_production_configuration(tmp_path):
    """Steps 6 and 7 as written: the database role and database, the key pair, and the settings
    written into the installed environment file; then `FCGIApp migrate` and a production start
    on that file."""
    require("openssl", "openssl")
    from pg_cluster import PgCluster, pg_bin, server_binaries_available
    if not server_binaries_available():
        pytest.skip("PostgreSQL server binaries not found: apt-get install postgresql")
    layout = install_real(tmp_path / "root")
    env_file = layout["sysconf"] / "chatgpt-app/env"
    home = tmp_path / "home"
    home.mkdir()
    cluster = PgCluster()
    try:
        port = re.search(r"@127\.0\.0\.1:(\d+)/", cluster.start()).group(1)
        # The test cluster trusts local connections: the password is written, not checked.
        as_postgres = f"env PATH={pg_bin()}:{os.environ['PATH']} PGHOST=127.0.0.1 PGPORT={port} PGUSER=postgres "
        run_guide(["variables", "database", "keys", "settings"], {
            "sudo -u postgres ": as_postgres,
            "/etc/chatgpt-app/env": str(env_file),
            "@127.0.0.1:5432/chatgpt_app": f"@127.0.0.1:{port}/chatgpt_app",
        }, home=home, prologue="umask 022\n", epilogue='\nmkdir "$HOME/made-after-the-keys"\n')

        # The umask of the key step stayed in its subshell (a later `mkdir` is 0755 again).
        assert stat.S_IMODE((home / "made-after-the-keys").stat().st_mode) == 0o755
        keys = home / "chatgpt-app-keys"
        assert stat.S_IMODE(keys.stat().st_mode) == 0o700
        assert stat.S_IMODE((keys / "private-key.pem").stat().st_mode) == 0o600
        assert stat.S_IMODE(env_file.stat().st_mode) == 0o600  # sed -i keeps the file root-only

        settings = parse_environment_file(env_file.read_text())
        assert settings["NODE_ENV"] == "production" and settings["AUTH_STORAGE_DRIVER"] == "postgres"
        assert settings["SERVER_BASE_URL"] == f"https://{TEST_DOMAIN}"
        assert settings["PRIVY_APP_ID"] == TEST_PRIVY_APP_ID
        assert base64.b64decode(settings["JWT_PRIVATE_KEY"]) == (keys / "private-key.pem").read_bytes()
        assert base64.b64decode(settings["JWT_PUBLIC_KEY"]) == (keys / "public-key.pem").read_bytes()
        assert len(base64.b64decode(settings["TOKEN_ENCRYPTION_KEY"])) == 32
        assert re.fullmatch(rf"postgresql://chatgpt_app:[0-9a-f]{{48}}@127\.0\.0\.1:{port}/chatgpt_app",
                            settings["DATABASE_URL"]), settings["DATABASE_URL"]

        migrate = subprocess.run([str(layout["binary"]), "migrate"], cwd=layout["data"], capture_output=True,
                                 timeout=120, env=app_environment(settings))
        assert migrate.returncode == 0, migrate.stderr.decode()
        assert migrate.stdout.decode().startswith("applied migrations: ")

        # Privy's key given directly: this machine does not reach Privy's JWKS.
        privy_key = tmp_path / "privy.pem"
        subprocess.run(["openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", str(privy_key)],
                       check=True, capture_output=True)
        privy_public = subprocess.run(["openssl", "ec", "-in", str(privy_key), "-pubout"], check=True,
                                      capture_output=True).stdout
        for path, check in (("/health", lambda body: body == {"environment": "production", "status": "ok",
                                                              "storage": "postgres"}),
                            ("/.well-known/oauth-authorization-server",
                             lambda body: body["issuer"] == f"https://{TEST_DOMAIN}")):
            result = subprocess.run([str(layout["binary"])], input=b"", capture_output=True, timeout=60,
                                    cwd=layout["data"], env=app_environment({
                                        **settings, "PRIVY_VERIFICATION_KEY": base64.b64encode(privy_public).decode(),
                                        "REQUEST_METHOD": "GET", "REQUEST_URI": path, "QUERY_STRING": "",
                                        "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1"}))
            assert result.returncode == 0, result.stderr.decode()
            body = json.loads(result.stdout.split(b"\r\n\r\n", 1)[1])
            assert check(body), (path, body)
    finally:
        cluster.destroy()


def test_guide_nginx_site_installs_and_passes_nginx_t(tmp_path):
    """Step 10 as written, into a temporary /etc/nginx; then `nginx -t` on the site it enabled,
    with a test certificate where certbot would have put one."""
    require("nginx", "nginx")
    layout = install_real(tmp_path / "root")
    etc_nginx = tmp_path / "etc-nginx"
    for folder in ("sites-available", "sites-enabled"):
        (etc_nginx / folder).mkdir(parents=True)
    (etc_nginx / "sites-available/default").write_text("server { listen 80 default_server; }\n")
    (etc_nginx / "sites-enabled/default").symlink_to("../sites-available/default")
    run_guide(["variables", "nginx-site"], {"/usr/local/share/chatgpt-app/": f"{layout['data']}/",
                                            "/etc/nginx/": f"{etc_nginx}/"}, cwd=tmp_path)

    enabled = etc_nginx / "sites-enabled/chatgpt-app"
    assert enabled.is_symlink() and enabled.resolve() == (etc_nginx / "sites-available/chatgpt-app").resolve()
    assert not (etc_nginx / "sites-enabled/default").exists()
    site = enabled.read_text()
    assert "example.com" not in site
    assert site.count(f"server_name {TEST_DOMAIN};") == 2
    assert f"root {layout['data']}/public;" in site
    letsencrypt = tmp_path / "letsencrypt"
    live = letsencrypt / "live" / TEST_DOMAIN
    live.mkdir(parents=True)
    cert, key = make_certificate(tmp_path)
    shutil.copy(cert, live / "fullchain.pem")
    shutil.copy(key, live / "privkey.pem")
    site = replace_all(site, {"/etc/letsencrypt/": f"{letsencrypt}/",
                              "/var/log/nginx/chatgpt-app.access.log": str(tmp_path / "nginx-access.log")})
    result = Nginx(tmp_path / "nginx", site).test_config()
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr
    assert "[warn]" not in result.stderr and "[emerg]" not in result.stderr, result.stderr


def test_env_example_as_dotenv_with_documented_keys_starts_in_production(tmp_path):
    """env.example, filled in with the documented keys, is a valid production configuration, read
    from a `.env` file in the working directory as on shared hosting."""
    keys = documented_keys(tmp_path)
    subprocess.run(["openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "privy.pem"],
                   cwd=tmp_path, check=True, capture_output=True)
    privy_public = subprocess.run(["openssl", "ec", "-in", "privy.pem", "-pubout"], cwd=tmp_path, check=True,
                                  capture_output=True).stdout
    filled = {**keys, "PRIVY_APP_ID": "test-app-id", "PRIVY_APP_SECRET": "test-secret-value",
              "PRIVY_VERIFICATION_KEY": base64.b64encode(privy_public).decode(),
              # PostgreSQL is covered by the storage suites; here the file and the keys matter.
              "AUTH_STORAGE_DRIVER": "memory", "PUBLIC_DIR": str(PROJECT_DIR / "public"),
              "WIDGETS_DIR": str(PROJECT_DIR / "widgets-dist")}
    example = (PROJECT_DIR / "deploy/env.example").read_text()
    # Filled in where the operator would: on the line of each variable.
    for name, value in filled.items():
        example, count = re.subn(rf"^#?{name}=.*$", lambda _: f"{name}={value}", example, flags=re.M)
        assert count == 1, name
    (tmp_path / ".env").write_text(example)
    settings = parse_environment_file(example)
    assert settings["NODE_ENV"] == "production" and settings["SERVER_BASE_URL"].startswith("https://")
    result = subprocess.run([BINARY], input=b"", capture_output=True, timeout=60, cwd=tmp_path, env=app_environment({
        "REQUEST_METHOD": "GET", "REQUEST_URI": "/health", "QUERY_STRING": "", "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1"}))
    assert result.returncode == 0, result.stderr.decode()
    body = result.stdout.split(b"\r\n\r\n", 1)[1]
    assert json.loads(body)["environment"] == "production"
    for secret in (keys["JWT_PRIVATE_KEY"], keys["TOKEN_ENCRYPTION_KEY"], "test-secret-value"):
        assert secret not in result.stderr.decode()


def parse_environment_file(text: str) -> dict:
    """NAME=value lines as systemd's EnvironmentFile= reads them (env.example uses no quotes)."""
    values = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name] = value
    return values


def test_fcgid_env_script_converts_the_environment_file(tmp_path):
    env_file = tmp_path / "env"
    env_file.write_text("# comment\n\nSERVER_BASE_URL=https://example.com\nEMPTY=\nexport QUOTED=\"a b\"\n"
                        "DATABASE_URL=postgresql://u:p@127.0.0.1/db?sslmode=disable\n")
    result = subprocess.run([str(PROJECT_DIR / "deploy/fcgid-env.sh"), str(env_file)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        'FcgidInitialEnv SERVER_BASE_URL "https://example.com"', 'FcgidInitialEnv QUOTED "a b"',
        'FcgidInitialEnv DATABASE_URL "postgresql://u:p@127.0.0.1/db?sslmode=disable"']
    env_file.write_text('BAD=say "hi"\n')
    refused = subprocess.run([str(PROJECT_DIR / "deploy/fcgid-env.sh"), str(env_file)], capture_output=True, text=True)
    assert refused.returncode != 0 and "BAD" in refused.stderr and "hi" not in refused.stdout


# --- Apache -------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def fcgid_shared_hosting():
    """Apache + mod_fcgid, configured as a shared host would be, serving the documented layout."""
    require_apache_module("fcgid", "libapache2-mod-fcgid")
    root = world_readable_tempdir("chatgpt-app-fcgid-")
    port = free_port()
    apache = None
    try:
        htdocs = shared_hosting_layout(root, f"http://127.0.0.1:{port}")
        apache = Apache(root, port, ["fcgid"], shared_hosting_server(htdocs) + f"""
FcgidIPCDir "{root}/run/fcgid"
FcgidProcessTableFile "{root}/run/fcgid_shm"
# The memory store lives in one process: keep mod_fcgid to one (PostgreSQL lifts this).
FcgidMaxProcessesPerClass 1
""").start()
        yield apache
    finally:
        if apache:
            apache.stop()
            binary = root / "chatgpt-app/FCGIApp"
            wait_until(lambda: not processes_running(binary), timeout=20, what="FCGIApp to exit with Apache")
            assert "FCGIApp stopped" in apache.error_log()
        shutil.rmtree(root, ignore_errors=True)


def test_apache_fcgid_completes_the_oauth_flow(fcgid_shared_hosting):
    base_url = fcgid_shared_hosting.base_url
    health = requests.get(base_url + "/health", timeout=30)
    assert health.status_code == 200 and health.json()["status"] == "ok"
    assert "mod_fcgid" in health.headers.get("Server", "")
    metadata = requests.get(base_url + "/.well-known/oauth-authorization-server", timeout=10).json()
    assert metadata["issuer"] == base_url  # SERVER_BASE_URL came from the .env beside FCGIApp
    full_oauth_flow(base_url)
    log = fcgid_shared_hosting.error_log()
    assert '"listen":"inherited socket on fd 0"' in log


def test_apache_fcgid_mcp_exchange(fcgid_shared_hosting):
    """MCP through mod_fcgid with a token from the OAuth flow: the official client initializes,
    lists the tools and calls get-items; without a token, /mcp answers the Bearer challenge."""
    base_url = fcgid_shared_hosting.base_url
    _, tokens = flow.tokens_for_new_client(base_url, scope="read offline_access")
    mcp_exchange(base_url, tokens["access_token"])
    unauthenticated = requests.post(base_url + "/mcp", json=MCP_INITIALIZE, timeout=10)
    assert unauthenticated.status_code == 401
    assert unauthenticated.headers["WWW-Authenticate"].startswith(
        f'Bearer resource_metadata="{base_url}/.well-known/oauth-protected-resource/mcp"')


def test_apache_serves_static_files_and_falls_back_to_the_app(fcgid_shared_hosting):
    base_url = fcgid_shared_hosting.base_url
    css = next((PROJECT_DIR / "public/assets").glob("*.css")).name
    asset = requests.get(f"{base_url}/assets/{css}", timeout=10)
    assert asset.status_code == 200 and "immutable" in asset.headers["Cache-Control"]
    assert asset.content == (PROJECT_DIR / "public/assets" / css).read_bytes()
    widget = requests.get(base_url + "/widgets/list-view.js", timeout=10)
    assert widget.status_code == 200 and widget.content == (PROJECT_DIR / "widgets-dist/list-view.js").read_bytes()
    for path in ("/no/such/page", "/"):
        missing = requests.get(base_url + path, timeout=10)
        assert missing.status_code == 404 and missing.json()["error"] == "not_found", path
    # The browser's sign-in page comes from FCGIApp (it validates the request first).
    page = requests.get(base_url + "/authorize", headers={"Accept": "text/html"}, timeout=10)
    assert page.headers["Content-Type"].startswith("text/html")
    hidden = requests.get(base_url + "/.htaccess", timeout=10)
    assert hidden.status_code in (403, 404) and "RewriteRule" not in hidden.text


def test_apache_cgi_mode(tmp_path):
    require_apache_module("cgi", "apache2")
    root = world_readable_tempdir("chatgpt-app-cgi-")
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    apache = None
    try:
        htdocs = shared_hosting_layout(root, base_url)
        # No mod_fcgid: the same .htaccess hands the routes to chatgpt-app.cgi (mod_cgi, prefork).
        apache = Apache(root, port, ["cgi"], shared_hosting_server(htdocs), mpm="prefork").start()
        health = requests.get(base_url + "/health", timeout=30)
        assert health.status_code == 200 and health.json()["status"] == "ok"
        assert "mod_fcgid" not in health.headers.get("Server", "")
        metadata = requests.get(base_url + "/.well-known/oauth-protected-resource/mcp", timeout=30)
        assert metadata.status_code == 200
        assert metadata.json()["resource"] == base_url + "/mcp"
        issuer = requests.get(base_url + "/.well-known/oauth-authorization-server", timeout=30).json()["issuer"]
        assert issuer == base_url
        # The Authorization header reaches the program (an invalid token, not a missing one).
        probe = requests.post(base_url + "/token/introspect", data={"token": "x"}, headers=bearer("not-a-jwt"),
                              timeout=30)
        assert probe.status_code == 401
        challenge = probe.headers.get("WWW-Authenticate", "") + probe.text
        assert "invalid_token" in challenge
        assert '"listen"' not in apache.error_log()  # CGI: no socket, one request per process
    finally:
        if apache:
            apache.stop()
        shutil.rmtree(root, ignore_errors=True)


def test_apache_site_from_the_guide_serves_the_app_over_tls(tmp_path, monkeypatch):
    """"Apache on a server you control" as written: the FcgidInitialEnv file made by fcgid-env.sh
    from the environment file, the site file with its two virtual hosts including the installed
    apache/chatgpt-app.conf; Apache with mod_ssl and mod_fcgid serves it, with a test certificate
    where certbot would have put one: the OAuth flow and an MCP exchange over TLS."""
    require_apache_module("fcgid", "libapache2-mod-fcgid")
    require_apache_module("ssl", "apache2")
    root = world_readable_tempdir("chatgpt-app-vhost-")
    https_port, http_port = free_port(), free_port()
    base_url = f"https://127.0.0.1:{https_port}"
    apache = None
    try:
        layout = install_real(root / "install")
        for path in [root / "install", *(root / "install").rglob("*")]:
            if path.is_dir():
                path.chmod(0o755)
        conf_dir = layout["sysconf"] / "chatgpt-app"
        # Development settings: the development login (loopback origin, memory store) stands in for Privy.
        (conf_dir / "env").write_text(f"# test settings\nSERVER_BASE_URL={base_url}\nAUTH_STORAGE_DRIVER=memory\n"
                                      "PRIVY_APP_ID=\n")
        run_guide(["fcgid-env"], {"/usr/local/share/chatgpt-app/": f"{layout['data']}/",
                                  "/etc/chatgpt-app/": f"{conf_dir}/"}, cwd=root)
        fcgid_env = conf_dir / "fcgid-env.conf"
        assert stat.S_IMODE(fcgid_env.stat().st_mode) == 0o600  # read by Apache as root, before it switches users
        assert fcgid_env.read_text().splitlines() == [f'FcgidInitialEnv SERVER_BASE_URL "{base_url}"',
                                                      'FcgidInitialEnv AUTH_STORAGE_DRIVER "memory"']

        sites = root / "sites-available"
        sites.mkdir()
        run_guide(["variables", "apache-site"], {"/etc/apache2/sites-available/": f"{sites}/",
                                                 "/usr/local/share/chatgpt-app/": f"{layout['data']}/"}, cwd=root)
        site = (sites / "chatgpt-app.conf").read_text()
        assert "$DOMAIN" not in site and site.count(f"ServerName {TEST_DOMAIN}\n") == 2
        include = f"Include {layout['data']}/apache/chatgpt-app.conf"
        letsencrypt = root / "letsencrypt"
        live = letsencrypt / "live" / TEST_DOMAIN
        live.mkdir(parents=True)
        cert, key = make_certificate(root)
        shutil.copy(cert, live / "fullchain.pem")
        shutil.copy(key, live / "privkey.pem")
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert))
        site = replace_all(site, {
            "<VirtualHost *:80>": f"<VirtualHost 127.0.0.1:{http_port}>",
            "<VirtualHost *:443>": f"<VirtualHost 127.0.0.1:{https_port}>",
            "/etc/letsencrypt/": f"{letsencrypt}/",
            # The memory store lives in one process (PostgreSQL lifts this).
            include: include + "\n    FcgidMaxProcessesPerClass 1",
        })
        apache = Apache(root, https_port, ["fcgid", "ssl", "socache_shmcb"], f"""
Listen 127.0.0.1:{http_port}
FcgidIPCDir "{root}/run/fcgid"
FcgidProcessTableFile "{root}/run/fcgid_shm"
SSLSessionCache "shmcb:{root}/run/ssl_scache(512000)"
{site}
""").start()

        redirect = requests.get(f"http://127.0.0.1:{http_port}/health", allow_redirects=False, timeout=10)
        assert redirect.status_code == 301 and redirect.headers["Location"] == f"https://{TEST_DOMAIN}/health"
        metadata = requests.get(base_url + "/.well-known/oauth-authorization-server", timeout=30)
        assert metadata.status_code == 200 and metadata.json()["issuer"] == base_url
        assert metadata.headers["Strict-Transport-Security"].startswith("max-age=")
        full_oauth_flow(base_url)
        _, tokens = flow.tokens_for_new_client(base_url, scope="read offline_access")
        mcp_exchange(base_url, tokens["access_token"], verify=ssl.create_default_context(cafile=str(cert)))
        widget = requests.get(base_url + "/widgets/list-view.js", timeout=10)
        assert widget.status_code == 200
        assert '"threads":1' in apache.error_log()  # FcgidInitialEnv FCGI_THREADS 1 from the snippet
    finally:
        if apache:
            apache.stop()
        shutil.rmtree(root, ignore_errors=True)
