"""Apache: mod_fcgid on shared hosting, plain CGI, and the site for a server you control.

Shared hosting as docs/DEPLOYMENT.md lays it out (its shared-hosting blocks run as written):
Apache with mod_fcgid completes the OAuth flow and an MCP exchange, serves the static files and
hands the rest to the app, and stops FCGIApp with it; the same layout under mod_cgi. Then
"Apache on a server you control" as written: the FcgidInitialEnv file from deploy/fcgid-env.sh
and the site with its two virtual hosts, over TLS.

Apache runs in the foreground with its own configuration in a temporary folder (world-readable:
its children run as www-data when the tests run as root). Shared helpers:
deployment_support.py. Debian packages: apache2, libapache2-mod-fcgid, openssl.
"""
import asyncio
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
from deployment_support import (IS_ROOT, MCP_INITIALIZE, TEST_DOMAIN, bearer, full_oauth_flow, install_real,
                                make_certificate, replace_all, require, run_guide)
from stack import BINARY, PROJECT_DIR, free_port, port_open, stop_process, wait_until

APACHE_MODULES = Path("/usr/lib/apache2/modules")


def require_apache_module(name, package):
    require("apache2", "apache2")
    if not (APACHE_MODULES / f"mod_{name}.so").exists():
        pytest.skip(f"mod_{name} not found: apt-get install {package}")


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


def test_apache_refuses_secrets_in_the_query_string(fcgid_shared_hosting):
    """htaccess.example refuses a token, code or client secret in the query before FCGIApp runs
    (as nginx/app-routes.conf does), on the app's routes and on static files alike, also when
    the body is large; other queries still reach the app."""
    base_url = fcgid_shared_hosting.base_url
    for query in ("access_token=abc", "prompt=consent&CODE=abc", "token", "client_secret=abc&x=1",
                  "access%5Ftoken=abc"):
        for path in ("/health", "/mcp", "/index.html"):
            refused = requests.get(f"{base_url}{path}?{query}", timeout=10)
            assert refused.status_code == 400, (path, query, refused.status_code)
            assert "X-Request-Id" not in refused.headers, (path, query)
    large = requests.post(base_url + "/mcp?access_token=abc", data=b"x" * (3 << 20), timeout=30,
                          headers={"Content-Type": "application/json"})
    assert large.status_code == 400
    assert requests.get(base_url + "/health?tokens=1&codes=2", timeout=10).status_code == 200


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
