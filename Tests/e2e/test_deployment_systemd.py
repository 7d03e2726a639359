"""The systemd units, as far as they run without systemd as PID 1.

`systemd-analyze verify` and `security` on the installed units (and the check failing on a broken
one), socket activation behind nginx with `systemd-socket-activate`, and FCGIApp under the
unit's own sandbox (SystemCallFilter=, RestrictAddressFamilies=, MemoryDenyWriteExecute=,
NoNewPrivileges=) rebuilt with libseccomp: the OAuth flow, MCP and a clean stop.

Shared helpers: deployment_support.py. Debian packages: systemd, nginx, python3-seccomp.
"""
import os
import re
import shutil
import signal
import subprocess
from pathlib import Path

import pytest
import requests

from deployment_support import full_oauth_flow, install_real, mcp_initialize, require
from stack import BINARY, PROJECT_DIR, app_environment, free_port, start_local_nginx, stop_process, wait_until


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
                "WIDGETS_DIR": str(PROJECT_DIR / "widgets-dist"),
                "APP_MANIFEST": str(PROJECT_DIR / "examples/items/app.json")}
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
