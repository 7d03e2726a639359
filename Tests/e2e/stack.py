"""Starts and stops the real stack (FCGIApp + nginx, later PostgreSQL) for end-to-end tests.

Everything binds to 127.0.0.1 or a unix socket in a temporary folder, and `stop()` ends every
process it started.
"""
import base64
import json
import os
import secrets
import signal
import socket
import subprocess
import time
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

PROJECT_DIR = Path(__file__).resolve().parents[2]
BINARY = os.environ.get("FCGIAPP_BINARY", str(PROJECT_DIR / ".build/debug/FCGIApp"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(predicate, timeout=10.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise TimeoutError(f"timed out waiting for {what}")


def port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def start_local_nginx(run_dir: Path, port: int, socket_path, adjust=None) -> subprocess.Popen:
    """nginx with the local config (nginx/render-local.sh) in front of `socket_path`, listening
    on 127.0.0.1:`port`; `adjust` may rewrite the rendered config first. Returns once it listens."""
    subprocess.run([str(PROJECT_DIR / "nginx/render-local.sh"), str(run_dir), str(port), str(socket_path)], check=True)
    if adjust is not None:
        config = run_dir / "nginx.conf"
        config.write_text(adjust(config.read_text()))
    nginx = subprocess.Popen(["nginx", "-p", str(run_dir), "-e", str(run_dir / "logs/nginx-error.log"),
                              "-c", str(run_dir / "nginx.conf")], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wait_until(lambda: port_open(port) or nginx.poll() is not None, what="nginx")
    if nginx.poll() is not None:
        raise RuntimeError("nginx failed: " + nginx.stderr.read().decode())
    return nginx


def stop_process(process, stop_signal=signal.SIGTERM, timeout=10):
    """Asks a process to stop, waits, and kills it if it does not; returns its exit code."""
    if process is None:
        return 0
    if process.poll() is None:
        process.send_signal(stop_signal)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


REFRESH_REUSE_INTERVAL = 1


def app_environment(extra=None) -> dict:
    """A clean environment: only what the app needs, so the developer's shell cannot leak in."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/root"),
           # The app runs in a temporary folder; the built UI and widgets and the items demo's
           # manifest are the project's.
           "PUBLIC_DIR": str(PROJECT_DIR / "public"), "WIDGETS_DIR": str(PROJECT_DIR / "widgets-dist"),
           "APP_MANIFEST": str(PROJECT_DIR / "examples/items/app.json"),
           # A short refresh reuse interval, so the reuse tests wait only a moment past it.
           "REFRESH_REUSE_INTERVAL": str(REFRESH_REUSE_INTERVAL)}
    env.update(extra or {})
    return env


class Stack:
    def __init__(self, run_dir: Path, env=None, threads=4):
        self.run_dir = run_dir
        self.port = free_port()
        self.socket_path = str(run_dir / "fcgiapp.sock")
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.env = app_environment({
            "SERVER_BASE_URL": self.base_url,
            "FCGI_LISTEN": self.socket_path,
            "FCGI_THREADS": str(threads),
            **(env or {}),
        })
        self.app = None
        self.nginx = None
        self.app_log = open(run_dir / "fcgiapp.log", "w+b")

    def start(self):
        self.start_app()
        self.nginx = start_local_nginx(self.run_dir, self.port, self.socket_path, self.adjust_nginx_config)
        return self

    def adjust_nginx_config(self, config: str) -> str:
        """Subclasses change the rendered local nginx.conf here; the stack uses it as is."""
        return config

    def start_app(self):
        # A process killed hard leaves its socket file behind; remove it so the wait below
        # means this process is listening.
        if os.path.exists(self.socket_path):
            os.unlink(self.socket_path)
        self.app = subprocess.Popen([BINARY], env=self.env, cwd=self.run_dir, stdout=subprocess.DEVNULL,
                                    stderr=self.app_log)
        wait_until(lambda: os.path.exists(self.socket_path) or self.app.poll() is not None, what="FCGIApp socket")
        if self.app.poll() is not None:
            raise RuntimeError("FCGIApp failed: " + self.app_log_text())

    def stop_app(self, timeout=10) -> int:
        return stop_process(self.app, signal.SIGTERM, timeout)

    def stop(self):
        stop_process(self.nginx, signal.SIGQUIT)
        self.stop_app()
        self.app_log.close()

    def app_log_text(self) -> str:
        self.app_log.flush()
        return (self.run_dir / "fcgiapp.log").read_text(errors="replace")

    def app_log_records(self) -> list:
        """The app log's JSON records (lines that are not JSON are left out)."""
        records = []
        for line in self.app_log_text().splitlines():
            try:
                records.append(json.loads(line))
            except ValueError:
                continue
        return records


def operator_keys():
    """What an operator configures once for every process and host: the RS256 key pair of our
    access tokens (base64 of PEM) and TOKEN_ENCRYPTION_KEY, without which another process (or a
    restarted one) cannot read the grants this one wrote. Returns (private key, environment)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
    public_pem = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return key, {"JWT_PRIVATE_KEY": base64.b64encode(private_pem).decode(),
                 "JWT_PUBLIC_KEY": base64.b64encode(public_pem).decode(),
                 "TOKEN_ENCRYPTION_KEY": base64.b64encode(secrets.token_bytes(32)).decode()}
