"""The commands docs/DEPLOYMENT.md tells an operator to run.

The blocks it marks with `<!-- test: NAME -->` are run as written, with the installed paths moved
into temporary folders and `sudo` left out: the guide lists its tested blocks and the steps no
test can run, README's outline agrees with it, the VPS steps (database, keys, settings) make a
working production configuration (`FCGIApp migrate`, a production start), the nginx site step
passes `nginx -t`, env.example filled in with the documented keys starts in production from a
`.env` file, and deploy/fcgid-env.sh converts an environment file.

The Apache and shared-hosting blocks are run by test_deployment_apache.py. Shared helpers
(`run_guide`, `documented_keys`): deployment_support.py. Debian packages: openssl, nginx,
postgresql.
"""
import base64
import json
import os
import re
import shutil
import stat
import subprocess

import pytest

from deployment_support import (GUIDE, TEST_DOMAIN, TEST_PRIVY_APP_ID, Nginx, documented_keys, guide_block,
                                install_real, make_certificate, parse_environment_file, replace_all, require,
                                run_guide)
from stack import BINARY, PROJECT_DIR, app_environment


# --- Documented commands ------------------------------------------------------------------------

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
