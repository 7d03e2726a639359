"""scripts/install.sh and the configuration files it installs.

The install into a DESTDIR (every file with its mode, built assets byte for byte, runtime paths in
the files, the operator's settings kept on a second install), with another PREFIX, and without a
binary; then the shipped files staying in step with the code and with each other: every variable
the code reads is in deploy/env.example, Apache's rewrite rules route what nginx routes, the
production site's CSP has the import map's hash, and the systemd units agree with each other and
with the nginx upstream.

Shared helpers: deployment_support.py. Debian packages: none beyond the build.
"""
import re
import stat
import subprocess
from pathlib import Path

from deployment_support import import_map_hash, install
from stack import BINARY, PROJECT_DIR


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
        "usr/local/share/chatgpt-app/examples/items/app.json": 0o644,
        "usr/local/share/chatgpt-app/examples/notes/app.json": 0o644,
        "usr/local/share/chatgpt-app/schema/app-manifest.schema.json": 0o644,
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
    assert "ExecStartPre=/usr/local/bin/FCGIApp check\n" in service
    assert "ExecReload=/bin/kill -HUP $MAINPID\n" in service
    # From the unit's working directory, the default manifest and its widgets are found.
    checked = subprocess.run([str(dest / "usr/local/bin/FCGIApp"), "check"], cwd=data, capture_output=True, text=True,
                             timeout=30, env={"PATH": "/usr/bin:/bin"})
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.startswith("examples/items/app.json: OK: 2 tools")
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
