"""HTTP benchmarks of the real stack (nginx + the release FCGIApp), each figure beside a reference
measured in the same run. Started by scripts/bench-http.sh, which installs wrk and the venv.

1. PostgreSQL beside memory: `/token` refresh grants (rotation: each request presents the
   refresh token the previous one returned) and an authenticated MCP `tools/call get-items`,
   against one stack per store; with PostgreSQL, SQL statements per request from
   pg_stat_statements.
2. Our /mcp beside the official Python MCP SDK's server (bench/reference_mcp_server.py, uvicorn,
   2 workers): `tools/list` and `tools/call get-items`, the reference behind the same kind of
   nginx proxy and also direct. Both check the same Bearer access token, issued by our server,
   on every request.

Runs alternate between the stores and between ours and the reference, so background load
(another engineer's fuzzers, say) hits both sides alike. Beside requests/s and p99, every run
reports the CPU time the server processes used per request, and how much CPU other processes
took meanwhile. Everything binds to 127.0.0.1 and everything started is stopped at the end.
"""
import argparse
import json
import os
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
BENCH_DIR = PROJECT_DIR / "bench"
sys.dont_write_bytecode = True  # no __pycache__ in Tests/e2e from this import
sys.path.insert(0, str(PROJECT_DIR / "Tests/e2e"))
import oauth_flow as flow  # noqa: E402  (the e2e suite's OAuth client steps; needs requests)
import stack as e2e_stack  # noqa: E402  (the e2e suite's nginx + FCGIApp launcher)
from pg_cluster import PgCluster, pg_bin  # noqa: E402

CLK_TCK = os.sysconf("SC_CLK_TCK")
REDIRECT_URI = "http://127.0.0.1:33418/callback"  # never contacted: the code is read from the consent answer
MCP_HEADERS = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream",
               "MCP-Protocol-Version": "2025-06-18"}
TOOLS_LIST = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
GET_ITEMS = {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "get-items", "arguments": {}}}


def log(message):
    print(message, file=sys.stderr, flush=True)


# ------------------------------------------------------------------ HTTP and the OAuth flow

def http(method, url, body=None, headers=None, timeout=30):
    """One request; returns (status, body bytes). Non-2xx answers are returned, not raised."""
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def http_json(method, url, payload, headers=None):
    status, body = http(method, url, json.dumps(payload).encode(), {"Content-Type": "application/json", **(headers or {})})
    return status, json.loads(body) if body else None


class OAuthClient:
    """The steps ChatGPT takes, with the development login standing in for Privy: Tests/e2e/oauth_flow.py."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.client_id = flow.register(base_url, redirect_uris=(REDIRECT_URI,), name="bench")["client_id"]
        self.login = flow.dev_login(base_url, "bench@example.com")

    def grant(self, scope="read write offline_access"):
        """A whole authorization code flow: returns the token response (access and refresh token)."""
        verifier, challenge = flow.pkce_pair()
        params = flow.authorize_params(self.client_id, challenge, redirect_uri=REDIRECT_URI,
                                       state=secrets.token_urlsafe(8), scope=scope, resource=self.base_url + "/mcp")
        shown = flow.consent_details(self.base_url, params)
        assert shown.status_code == 200, shown.text
        decided = flow.decide(self.base_url, params, self.login, approve="true")
        assert decided.status_code == 200, decided.text
        code = flow.redirect_query(decided.json()["redirect_uri"])["code"]
        return flow.redeem(self.base_url, self.client_id, code, verifier, redirect_uri=REDIRECT_URI,
                           resource=self.base_url + "/mcp")

    def refresh_token_file(self, path, count):
        """`count` fresh grants for refresh.lua: the client id, then one refresh token a line."""
        tokens = [self.grant()["refresh_token"] for _ in range(count)]
        Path(path).write_text(self.client_id + "\n" + "\n".join(tokens) + "\n")
        return path


# ------------------------------------------------------------------ CPU accounting

def process_table():
    """pid -> (ppid, CPU seconds of the process incl. its reaped children)."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rpartition(")")[2].split()
        except OSError:
            continue
        # After the command: state ppid ... utime(12) stime(13) cutime(14) cstime(15), counted from state = 0.
        table[int(entry)] = (int(fields[1]), sum(int(value) for value in fields[11:15]) / CLK_TCK)
    return table


def tree_cpu(roots):
    """CPU seconds used so far by the processes under `roots` (a child that exited counts in its parent)."""
    table = process_table()
    children = {}
    for pid, (ppid, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    seen, pending = set(), [pid for pid in roots if pid in table]
    while pending:
        pid = pending.pop()
        if pid not in seen:
            seen.add(pid)
            pending.extend(children.get(pid, []))
    return sum(table[pid][1] for pid in seen)


def machine_busy():
    """Busy CPU seconds of the whole machine since boot."""
    with open("/proc/stat") as handle:
        values = [int(value) for value in handle.readline().split()[1:]]
    return (sum(values[:8]) - values[3] - values[4]) / CLK_TCK  # all but idle and iowait


def child_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# ------------------------------------------------------------------ wrk

class Target:
    """Something to measure: a base URL, the processes that serve it ({label: root pid}), and
    their nginx access log."""

    def __init__(self, name, base_url, pids, access_log=None):
        self.name, self.base_url, self.pids, self.access_log = name, base_url, pids, access_log

    def cpu(self):
        return {label: tree_cpu([pid]) for label, pid in self.pids.items()}

    def log_size(self):
        return os.path.getsize(self.access_log) if self.access_log and os.path.exists(self.access_log) else 0

    def lines_since(self, offset):
        """Requests nginx finished since `offset`: what the server did, in-flight ones included."""
        with open(self.access_log, "rb") as handle:
            handle.seek(offset)
            return handle.read().count(b"\n")


class Bench:
    def __init__(self, args, work_dir):
        self.args = args
        self.work_dir = work_dir

    def wrk(self, target, path, script, env, headers=None, seconds=None):
        seconds = seconds or self.args.duration
        command = ["wrk", "-t", str(self.args.threads), "-c", str(self.args.connections), "-d", f"{seconds}s",
                   "--timeout", "5s", "-s", str(BENCH_DIR / script)]
        for name, value in (headers or {}).items():
            command += ["-H", f"{name}: {value}"]
        command.append(target.base_url + path)
        environment = {**os.environ, "BENCH_DIR": str(BENCH_DIR), "BENCH_THREADS": str(self.args.threads), **env}
        server_before, busy_before, wrk_before = target.cpu(), machine_busy(), child_cpu()
        started = time.monotonic()
        finished = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=seconds + 60)
        elapsed = time.monotonic() - started
        split = {label: used - server_before[label] for label, used in target.cpu().items()}
        server, busy, wrk_cpu = sum(split.values()), machine_busy() - busy_before, child_cpu() - wrk_before
        line = next((line for line in finished.stdout.splitlines() if line.startswith("BENCH-RESULT ")), None)
        if finished.returncode != 0 or line is None:
            raise RuntimeError(f"wrk failed ({finished.returncode}): {finished.stdout}\n{finished.stderr}")
        result = {key: int(value) for key, value in (item.split("=") for item in line.split()[1:])}
        requests = result["requests"]
        result.update({
            "rps": requests / (result["duration_us"] / 1e6),
            "p50_ms": result["p50_us"] / 1000, "p99_ms": result["p99_us"] / 1000,
            "errors": result["status"] + result["timeout"] + result["connect"] + result["read"] + result["write"],
            "server_cpu_us": 1e6 * server / max(requests, 1),
            "split_us": {label: 1e6 * used / max(requests, 1) for label, used in split.items()},
            "server_cores": server / elapsed, "wrk_cores": wrk_cpu / elapsed,
            "other_cores": max(busy - server - wrk_cpu, 0.0) / elapsed,
        })
        return result

    def token_file(self, oauth, label):
        count = self.args.connections + max(4, self.args.connections // 4)  # spares, should a grant be lost
        return oauth.refresh_token_file(self.work_dir / f"tokens-{label}-{secrets.token_hex(4)}.txt", count)

    def refresh(self, target, oauth):
        """Warm-up, then the measured run, each with fresh grants (a run ends with rotations in flight,
        whose new tokens wrk never sees: their grants are spent)."""
        self.wrk(target, "/token", "refresh.lua", {"BENCH_TOKENS": str(self.token_file(oauth, "warmup"))},
                 seconds=self.args.warmup)
        tokens = self.token_file(oauth, "run")
        return self.measured(target, lambda: self.wrk(target, "/token", "refresh.lua", {"BENCH_TOKENS": str(tokens)}))

    def mcp(self, target, payload, token=None):
        body = self.work_dir / f"body-{payload['method'].replace('/', '-')}.json"
        body.write_text(json.dumps(payload))
        headers = dict(MCP_HEADERS)
        if token:
            headers["Authorization"] = "Bearer " + token
        self.wrk(target, "/mcp", "post.lua", {"BENCH_BODY": str(body)}, headers, seconds=self.args.warmup)
        return self.measured(target, lambda: self.wrk(target, "/mcp", "post.lua", {"BENCH_BODY": str(body)}, headers))

    def measured(self, target, run):
        """Runs `run`; with PostgreSQL behind the target, also counts SQL statements per request."""
        cluster = getattr(target, "cluster", None)
        if cluster is None:
            return run()
        sql(cluster, "SELECT pg_stat_statements_reset()")
        offset = target.log_size()
        result = run()
        time.sleep(0.5)  # let the requests wrk abandoned at the end finish: they are counted below too
        served = target.lines_since(offset)
        rows = sql(cluster, "SELECT calls, round(mean_exec_time::numeric, 3), "
                            "regexp_replace(left(query, 64), '\\s+', ' ', 'g') FROM pg_stat_statements "
                            "WHERE query NOT LIKE '%pg_stat_statements%' ORDER BY calls DESC, mean_exec_time DESC")
        statements = [row.split("|", 2) for row in rows.splitlines() if row]
        result["served"] = served
        result["sql_per_request"] = sum(int(calls) for calls, _, _ in statements) / max(served, 1)
        result["statements"] = [(int(calls) / max(served, 1), float(mean), query) for calls, mean, query in statements]
        return result


def sql(cluster, statement):
    """One statement over TCP as the cluster's trusted superuser; unaligned output."""
    finished = subprocess.run([os.path.join(pg_bin(), "psql"), cluster.url, "-tAX", "-v", "ON_ERROR_STOP=1",
                               "-c", statement], capture_output=True, text=True, timeout=60)
    if finished.returncode != 0:
        raise RuntimeError("psql: " + finished.stderr.strip())
    return finished.stdout.strip()


# ------------------------------------------------------------------ what is measured

def start_postgres(cluster):
    """A throwaway cluster (scripts/test-postgres.sh) restarted with pg_stat_statements loaded."""
    cluster.start()
    sql(cluster, "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'")
    cluster.stop()
    cluster.start()
    sql(cluster, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements")


BUDGETS_OFF = {"MCP_CALLS_PER_USER_PER_MINUTE": "0", "BACKEND_CALLS_PER_USER_PER_MINUTE": "0"}
BUDGETS_HIGHEST = {"MCP_CALLS_PER_USER_PER_MINUTE": "1000000", "BACKEND_CALLS_PER_USER_PER_MINUTE": "1000000"}


def start_stack(run_dir, threads, started, env=None):
    """nginx + FCGIApp as the e2e suite starts them (nginx/render-local.sh); registered in `started` first."""
    run_dir.mkdir(parents=True)
    running = e2e_stack.Stack(run_dir, env=env, threads=threads)
    started.append(running)
    running.start()
    return Target("ours", running.base_url, {"FCGIApp": running.app.pid, "nginx": running.nginx.pid},
                  access_log=str(run_dir / "logs/nginx-access.log"))


class Stopper:
    def __init__(self, stop):
        self.stop = stop


class Reference:
    """bench/reference_mcp_server.py under uvicorn (2 workers), and an nginx proxy in front of it."""

    def __init__(self, run_dir, venv, authorization_server):
        """`authorization_server`: our running stack, whose JWKS, issuer and /mcp audience the
        reference's token verifier uses."""
        self.run_dir, self.venv = run_dir, Path(venv)
        self.authorization_server = authorization_server
        self.uvicorn = self.nginx = None

    def start(self):
        self.run_dir.mkdir(parents=True)
        (self.run_dir / "logs").mkdir()
        (self.run_dir / "tmp").mkdir()
        port, proxy_port = e2e_stack.free_port(), e2e_stack.free_port()
        self.uvicorn = subprocess.Popen(
            [str(self.venv / "bin/uvicorn"), "--app-dir", str(BENCH_DIR), "--workers", "2", "--host", "127.0.0.1",
             "--port", str(port), "--log-level", "warning", "--no-access-log", "reference_mcp_server:app"],
            cwd=self.run_dir, stdout=subprocess.DEVNULL, stderr=open(self.run_dir / "uvicorn.log", "wb"),
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1",
                 "REFERENCE_JWKS_URL": self.authorization_server + "/.well-known/jwks.json",
                 "REFERENCE_ISSUER": self.authorization_server,
                 "REFERENCE_RESOURCE": self.authorization_server + "/mcp"},
            start_new_session=True)
        template = (BENCH_DIR / "reference-nginx.conf.in").read_text()
        replacements = {"@USER_LINE@": "user root;" if os.getuid() == 0 else "", "@RUN_DIR@": str(self.run_dir),
                        "@PORT@": str(proxy_port), "@UPSTREAM_PORT@": str(port)}
        for key, value in replacements.items():
            template = template.replace(key, value)
        (self.run_dir / "nginx.conf").write_text(template)
        self.nginx = subprocess.Popen(["nginx", "-p", str(self.run_dir), "-e", str(self.run_dir / "logs/nginx-error.log"),
                                       "-c", str(self.run_dir / "nginx.conf")],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.direct = Target("reference direct", f"http://127.0.0.1:{port}", {"uvicorn": self.uvicorn.pid})
        self.proxied = Target("reference via nginx", f"http://127.0.0.1:{proxy_port}",
                              {"uvicorn": self.uvicorn.pid, "nginx": self.nginx.pid},
                              access_log=str(self.run_dir / "logs/nginx-access.log"))
        return self

    def wait_ready(self, token, timeout=120):
        """uvicorn's workers import the SDK (pydantic and all): seconds, more on a loaded machine."""
        headers = {**MCP_HEADERS, "Authorization": "Bearer " + token}
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.uvicorn.poll() is not None:
                raise RuntimeError("uvicorn exited: " + (self.run_dir / "uvicorn.log").read_text(errors="replace"))
            try:
                # Both workers must be up before timing: ask a few times over fresh connections.
                if all(e2e_stack.port_open(int(self.direct.base_url.rsplit(":", 1)[1])) and
                       http("POST", self.direct.base_url + "/mcp", json.dumps(TOOLS_LIST).encode(), headers,
                            timeout=5)[0] == 200 for _ in range(4)):
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise TimeoutError("the reference server did not start")

    def stop(self):
        e2e_stack.stop_process(self.nginx, signal.SIGQUIT)
        if self.uvicorn and self.uvicorn.poll() is None:
            self.uvicorn.send_signal(signal.SIGTERM)  # the master stops its workers
            try:
                self.uvicorn.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.uvicorn.pid, signal.SIGKILL)  # the session it was started in
                self.uvicorn.wait()


def check_mcp(target, token=None):
    """One tools/list and one get-items answer must be correct JSON-RPC results before timing."""
    headers = dict(MCP_HEADERS)
    if token:
        headers["Authorization"] = "Bearer " + token
    status, listed = http_json("POST", target.base_url + "/mcp", TOOLS_LIST, headers)
    assert status == 200 and listed.get("jsonrpc") == "2.0" and listed.get("id") == 1, (target.name, status, listed)
    names = sorted(tool["name"] for tool in listed["result"]["tools"])
    assert names == ["get-items", "item-action"], (target.name, names)
    status, called = http_json("POST", target.base_url + "/mcp", GET_ITEMS, headers)
    result = called["result"]
    assert status == 200 and result["isError"] is False, (target.name, called)
    assert len(result["structuredContent"]["items"]) == 3 and result["content"][0]["type"] == "text", (target.name, called)
    return {"tools/list": len(json.dumps(listed)), "tools/call get-items": len(json.dumps(called))}


def check_refresh(target, oauth):
    tokens = oauth.grant()
    answer = flow.refresh(target.base_url, oauth.client_id, tokens["refresh_token"])
    refreshed = answer.json()
    assert answer.status_code == 200 and refreshed["refresh_token"] != tokens["refresh_token"] \
        and refreshed["access_token"], refreshed
    # Within REFRESH_REUSE_INTERVAL a second use is a client's retry and gets tokens too.
    time.sleep(e2e_stack.REFRESH_REUSE_INTERVAL + 0.2)
    replayed = flow.refresh(target.base_url, oauth.client_id, tokens["refresh_token"])
    assert replayed.status_code == 400, ("a used refresh token must fail", replayed.status_code, replayed.text)


# ------------------------------------------------------------------ report

def cell(result):
    return f"{result['rps']:9.0f} {result['p99_ms']:8.1f}"


def problems(result):
    notes = []
    if result["errors"]:
        notes.append(f"{result['errors']} errors (status {result['status']}, timeout {result['timeout']}, "
                     f"read {result['read']}, connect {result['connect']})")
    if result.get("failed") or result.get("starved"):
        notes.append(f"{result['failed']} rotations failed, {result['starved']} requests without a free token")
    return "; ".join(notes)


def cpu_line(label, result):
    split = " + ".join(f"{name} {used:.0f}" for name, used in result["split_us"].items())
    return (f"  {label:<42} {result['server_cpu_us']:5.0f} us/req = {split:<34} "
            f"cores: server {result['server_cores']:.2f}, wrk {result['wrk_cores']:.2f}, others {result['other_cores']:.2f}")


def report_storage(results):
    print()
    print("1. PostgreSQL beside memory (through nginx; one stack per store; runs alternate)")
    print(f"{'endpoint':<28} {'memory rps':>10} {'p99 ms':>8} {'postgres rps':>12} {'p99 ms':>8} {'pg/mem':>7} {'SQL/req':>8}")
    for endpoint, memory, postgres in results:
        print(f"{endpoint:<28} {memory['rps']:10.0f} {memory['p99_ms']:8.1f} {postgres['rps']:12.0f} "
              f"{postgres['p99_ms']:8.1f} {postgres['rps'] / memory['rps']:7.2f} {postgres['sql_per_request']:8.2f}")
    print("  SQL/req: pg_stat_statements calls (BEGIN/COMMIT included, PQprepare not) / requests nginx served")
    print("  server CPU per request in us, split by process tree; cores: average use during the run, of 2")
    print("  statements: calls per request, mean execution time in the server (pg_stat_statements)")
    for endpoint, memory, postgres in results:
        print(cpu_line(f"{endpoint}, memory", memory))
        print(cpu_line(f"{endpoint}, postgres", postgres))
        for per_request, mean_ms, query in postgres["statements"]:
            if per_request >= 0.01:
                print(f"      {per_request:5.2f}/req {mean_ms:6.3f} ms  {query}")
        for label, result in (("memory", memory), ("postgres", postgres)):
            if "rotated" in result:
                print(f"      {label}: {result['rotated']} of {result['requests']} answers carried a new refresh token, "
                      f"{result['failed']} did not, {result['starved']} requests found no free token")
            if problems(result):
                print(f"  WARNING {endpoint}, {label}: {problems(result)}")


def report_mcp(results, sizes):
    print()
    print("2. /mcp beside the official Python MCP SDK server (MCPServer, stateless, JSON responses, uvicorn 2 workers)")
    print("  JSON-RPC result sizes (bytes), ours / reference: "
          + ", ".join(f"{name} {sizes['ours'][name]} / {sizes['reference'][name]}" for name in sizes["ours"]))
    print(f"{'endpoint':<22} {'reference':<11} {'ours rps':>9} {'p99 ms':>8} {'ref rps':>9} {'p99 ms':>8} {'ratio':>6} "
          f"{'ours CPU/req':>12} {'ref CPU/req':>11} {'CPU ratio':>9}")
    for endpoint, ours, references in results:
        for where, reference in references:
            print(f"{endpoint:<22} {where:<11} {cell(ours)} {cell(reference)} {ours['rps'] / reference['rps']:6.1f} "
                  f"{ours['server_cpu_us']:9.0f} us {reference['server_cpu_us']:8.0f} us "
                  f"{reference['server_cpu_us'] / ours['server_cpu_us']:9.1f}")
    print("  ratio = ours rps / reference rps (target >= 10); CPU ratio = reference CPU per request / ours")
    print("  CPU/req: server CPU per request (ours: FCGIApp + nginx; reference: uvicorn master + 2 workers, + nginx)")
    for endpoint, ours, references in results:
        print(cpu_line(f"{endpoint}, ours", ours))
        for where, reference in references:
            print(cpu_line(f"{endpoint}, reference {where}", reference))
        for label, result in [("ours", ours)] + list(references):
            if problems(result):
                print(f"  WARNING {endpoint}, {label}: {problems(result)}")


# ------------------------------------------------------------------ main

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", default=str(PROJECT_DIR / ".build/release/FCGIApp"))
    parser.add_argument("--venv", default=str(PROJECT_DIR / "run/bench-venv"))
    parser.add_argument("--duration", type=int, default=10, help="seconds per measured run")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of unmeasured load before each run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--fcgi-threads", type=int, default=8)
    parser.add_argument("--skip", choices=["storage", "mcp"], action="append", default=[])
    args = parser.parse_args()
    e2e_stack.BINARY = args.binary

    # SIGTERM (timeout, make) unwinds like Ctrl-C, so the finally below stops everything.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    work_dir = Path(tempfile.mkdtemp(prefix="bench-http.", dir=PROJECT_DIR / "run"))
    bench = Bench(args, work_dir)
    started = []  # things with stop()/destroy(), stopped in reverse order
    load_before = os.getloadavg()
    try:
        print(f"bench-http: {os.cpu_count()} cores, load average {load_before[0]:.2f} {load_before[1]:.2f} "
              f"{load_before[2]:.2f} at start; wrk -t{args.threads} -c{args.connections} -d{args.duration}s "
              f"(after {args.warmup}s warm-up) on the same machine; FCGI_THREADS={args.fcgi_threads}", flush=True)
        # One user sends every request, over a million a minute on the memory store: its budgets
        # are off there, as the reference server has none; on PostgreSQL they are as high as they
        # go, so the counting statement is measured and never refuses.
        memory = start_stack(work_dir / "memory", args.fcgi_threads, started, BUDGETS_OFF)
        reference = None
        if "mcp" not in args.skip:
            # Started early: its workers take a while to import the SDK; it idles until part 2.
            reference = Reference(work_dir / "reference", args.venv, memory.base_url)
            started.append(reference)
            reference.start()
        cluster = None
        if "storage" not in args.skip:
            log("bench-http: starting PostgreSQL with pg_stat_statements")
            cluster = PgCluster(prefix="chatgpt-app-bench-pg.")
            started.append(Stopper(cluster.destroy))
            start_postgres(cluster)
        memory_oauth = OAuthClient(memory.base_url)
        check_refresh(memory, memory_oauth)
        memory_token = memory_oauth.grant()["access_token"]
        sizes = {"ours": check_mcp(memory, memory_token)}

        if cluster is not None:
            # Plain TCP on loopback, as a database on the same host is usually reached: the test
            # cluster also offers TLS, which libpq's default sslmode (prefer) would take.
            separator = "&" if "?" in cluster.url else "?"
            postgres = start_stack(work_dir / "postgres", args.fcgi_threads, started,
                                   {**BUDGETS_HIGHEST, "AUTH_STORAGE_DRIVER": "postgres",
                                    "DATABASE_URL": cluster.url + separator + "sslmode=disable"})
            postgres.cluster = cluster
            postgres.pids["postgres"] = int(Path(cluster.dir, "data/postmaster.pid").read_text().split()[0])
            pg_oauth = OAuthClient(postgres.base_url)
            check_refresh(postgres, pg_oauth)
            pg_token = pg_oauth.grant()["access_token"]
            check_mcp(postgres, pg_token)
            log("bench-http: /token refresh (memory, postgres), then tools/call get-items (memory, postgres)")
            storage = [
                ("/token refresh_token", bench.refresh(memory, memory_oauth), bench.refresh(postgres, pg_oauth)),
            ]
            storage.append(("MCP tools/call get-items", bench.mcp(memory, GET_ITEMS, memory_token),
                            bench.mcp(postgres, GET_ITEMS, pg_token)))
            report_storage(storage)
            sys.stdout.flush()

        if reference is not None:
            reference.wait_ready(memory_token)
            sizes["reference"] = check_mcp(reference.direct, memory_token)
            check_mcp(reference.proxied, memory_token)
            log("bench-http: tools/list and tools/call get-items: ours, reference via nginx, reference direct")
            comparisons = []
            for endpoint, payload in (("tools/list", TOOLS_LIST), ("tools/call get-items", GET_ITEMS)):
                ours = bench.mcp(memory, payload, memory_token)
                via_nginx = bench.mcp(reference.proxied, payload, memory_token)
                direct = bench.mcp(reference.direct, payload, memory_token)
                comparisons.append((endpoint, ours, [("via nginx", via_nginx), ("direct", direct)]))
            report_mcp(comparisons, sizes)
        load_after = os.getloadavg()
        print(f"\nload average {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f} at the end; "
              "'others' = CPU used meanwhile by processes outside the server and wrk (e.g. fuzzers), in cores of 2")
        print("both check the same Bearer access token on every request (signature, claims, revocation)")
    finally:
        for thing in reversed(started):
            try:
                thing.stop()
            except Exception as error:  # keep stopping the rest
                log(f"bench-http: stopping {type(thing).__name__} failed: {error}")
        if os.environ.get("BENCH_KEEP") == "1":
            log(f"bench-http: logs kept in {work_dir}")
        else:
            shutil.rmtree(work_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
