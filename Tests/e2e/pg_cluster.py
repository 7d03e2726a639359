"""A throwaway PostgreSQL cluster that a test owns, so it can stop and restart the server.

Wraps scripts/test-postgres.sh: the cluster lives in its own folder under /tmp (the `postgres`
user, which runs the server when the tests run as root, must be able to reach it), listens on
127.0.0.1 (with TLS available when openssl is installed, so `sslmode` in the URL decides) and a
unix socket in that folder, and `destroy()` stops it and removes the folder.
"""
import glob
import os
import subprocess
import tempfile
import time

from stack import PROJECT_DIR

SCRIPT = str(PROJECT_DIR / "scripts/test-postgres.sh")


def pg_bin():
    """The server binaries test-postgres.sh uses: PG_BIN, or the newest installed version."""
    if os.environ.get("PG_BIN"):
        return os.environ["PG_BIN"]
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda path: int(path.split("/")[-2].split(".")[0]))
    return found[-1] if found else None


def server_binaries_available() -> bool:
    found = pg_bin()
    return bool(found) and os.access(os.path.join(found, "pg_ctl"), os.X_OK)


class PgCluster:
    def __init__(self, prefix="chatgpt-app-pgtest."):
        # test-postgres.sh creates the folder itself and refuses non-empty folders it did not make.
        self.dir = tempfile.mkdtemp(prefix=prefix, dir="/tmp")
        os.rmdir(self.dir)
        self.url = None

    def _run(self, command, keep_data, timeout):
        env = dict(os.environ)
        env.pop("PG_KEEP_DATA", None)
        if keep_data:
            env["PG_KEEP_DATA"] = "1"
        result = subprocess.run([SCRIPT, command, self.dir], env=env, capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0:
            raise RuntimeError(f"test-postgres.sh {command} failed ({result.returncode}): {result.stderr.strip()}\n"
                               + self.log_tail())
        return result.stdout

    def start(self, timeout=90) -> str:
        """Starts (or restarts, keeping data and port) the cluster; returns its URL once it accepts connections."""
        output = self._run("start", keep_data=True, timeout=timeout)
        for line in output.splitlines():
            if line.startswith("TEST_DATABASE_URL="):
                self.url = line.partition("=")[2]
                return self.url
        raise RuntimeError("test-postgres.sh start printed no URL: " + output)

    def stop(self, timeout=60):
        """Stops the server and keeps its data, so `start()` brings the same database back."""
        self._run("stop", keep_data=True, timeout=timeout)

    def destroy(self, timeout=60):
        """Stops the server if it runs and removes the folder; safe to call more than once."""
        try:
            self._run("stop", keep_data=False, timeout=timeout)
        except (RuntimeError, subprocess.TimeoutExpired):
            # Last resort for a server the script could not stop: fast shutdown by its pid file.
            pid_file = os.path.join(self.dir, "data", "postmaster.pid")
            try:
                with open(pid_file) as handle:
                    pid = int(handle.readline())
                os.kill(pid, 15)
                deadline = time.monotonic() + 10
                while time.monotonic() < deadline and os.path.exists(pid_file):
                    time.sleep(0.1)
            except (OSError, ValueError):
                pass
            raise

    def psql(self, sql, timeout=30, database=None) -> str:
        """Runs one statement with psql over the cluster's unix socket, in the URL's database or
        `database`; returns unaligned output."""
        port = open(os.path.join(self.dir, "port")).read().strip()
        database = database or self.url.rsplit("/", 1)[1]
        psql = os.path.join(pg_bin(), "psql")
        command = [psql, "-h", self.dir, "-p", port, "-U", "postgres", "-d", database, "-tAX", "-v", "ON_ERROR_STOP=1",
                   "-c", sql]
        if os.getuid() == 0:
            command = ["runuser", "-u", "postgres", "--"] + command
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0:
            raise RuntimeError("psql failed: " + result.stderr.strip())
        return result.stdout.strip()

    def url_of(self, database) -> str:
        """The cluster's URL for another database of it."""
        return self.url.rsplit("/", 1)[0] + "/" + database

    def log_tail(self, lines=20) -> str:
        try:
            with open(os.path.join(self.dir, "postgres.log"), errors="replace") as handle:
                return "".join(handle.readlines()[-lines:])
        except OSError:
            return ""

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.destroy()
