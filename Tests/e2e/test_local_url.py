"""The address `make run` prints is the one a client can use: scripts/run.sh's banner names the
MCP URL under SERVER_BASE_URL (http://localhost:$PORT unless configured), the protected resource
the server announces is exactly that URL (RFC 9728 §3.3), the official MCP client works against
it, and nginx answers on [::1] as well as 127.0.0.1 wherever the machine has IPv6 loopback."""
import asyncio
import os
import re
import shutil
import signal
import socket
import subprocess
import urllib.parse

import httpx2
import pytest
import requests
from mcp import ClientSession
from mcp.client.auth import OAuthClientProvider, OAuthFlowError
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.auth import AuthorizationCodeResult, OAuthClientInformationFull, OAuthClientMetadata, OAuthToken

from stack import BINARY, PROJECT_DIR, app_environment, free_port, wait_until
from test_foundation import RUN_SCRIPT, RunScript, all_exited, default_sigint, env_file_sets
from test_mcp import REDIRECT_URI, consent, oauth_tokens

pytestmark = pytest.mark.skipif(env_file_sets("SERVER_BASE_URL"), reason="the project's .env sets SERVER_BASE_URL")

BANNER = {
    "mcp": re.compile(r"^run: MCP server URL to give a client: (\S+)$", re.MULTILINE),
    "consent": re.compile(r"^run: sign-in and consent page: (\S+) \(a client opens it for you\)$", re.MULTILINE),
    "health": re.compile(r"^run: health: (\S+)\. Ctrl-C stops\.$", re.MULTILINE),
}


def ipv6_loopback() -> bool:
    """Whether this machine can bind ::1, as nginx must for `listen [::1]:PORT`."""
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
        return True
    except OSError:
        return False


def printed_urls(log_text: str) -> dict:
    """The banner's three URLs, exactly as printed."""
    found = {name: pattern.findall(log_text) for name, pattern in BANNER.items()}
    assert all(len(urls) == 1 for urls in found.values()), log_text[-3000:]
    return {name: urls[0] for name, urls in found.items()}


def wait_for_banner(run: RunScript) -> dict:
    wait_until(lambda: BANNER["health"].search(run.log_text()) is not None, timeout=10, what="the run banner")
    return printed_urls(run.log_text())


def challenge_parameter(challenge: str, name: str) -> str:
    match = re.search(rf'{name}="([^"]*)"', challenge)
    assert match, challenge
    return match.group(1)


def leaves(error: BaseException) -> list:
    """The exceptions inside an exception group (the client's task groups wrap what they raise)."""
    if isinstance(error, BaseExceptionGroup):
        return [leaf for inner in error.exceptions for leaf in leaves(inner)]
    return [error]


def run_async(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, 60))


async def with_session_at(mcp_url, body, access_token=None, auth=None):
    """The official client's streamable HTTP transport at `mcp_url` exactly as given."""
    headers = {"Authorization": "Bearer " + access_token} if access_token else {}
    async with httpx2.AsyncClient(headers=headers, auth=auth, timeout=30) as http:
        async with streamable_http_client(mcp_url, http_client=http) as (read, write):
            async with ClientSession(read, write) as session:
                return await body(session)


def oauth_provider(mcp_url, email):
    """The official client's OAuth provider for `mcp_url`: it finds the protected-resource metadata
    from the 401, checks its `resource` against `mcp_url` (RFC 9728 §3.3), registers, and runs
    the authorization code flow; the consent page's requests stand in for the user's browser."""
    codes = asyncio.Queue()

    class MemoryStorage:
        def __init__(self):
            self.tokens = None
            self.client = None

        async def get_tokens(self):
            return self.tokens

        async def set_tokens(self, tokens: OAuthToken):
            self.tokens = tokens

        async def get_client_info(self):
            return self.client

        async def set_client_info(self, client_info: OAuthClientInformationFull):
            self.client = client_info

    async def redirect_handler(authorization_url: str):
        split = urllib.parse.urlsplit(authorization_url)
        origin = f"{split.scheme}://{split.netloc}"
        params = {name: values[0] for name, values in urllib.parse.parse_qs(split.query).items()}
        redirect, _ = await asyncio.to_thread(consent, origin, params, email)
        await codes.put(redirect)

    async def callback_handler():
        redirect = await codes.get()
        return AuthorizationCodeResult(code=redirect["code"], state=redirect.get("state"), iss=redirect.get("iss"))

    return OAuthClientProvider(
        server_url=mcp_url,
        client_metadata=OAuthClientMetadata(client_name="make run URL test", redirect_uris=[REDIRECT_URI],
                                            grant_types=["authorization_code", "refresh_token"], response_types=["code"],
                                            token_endpoint_auth_method="none", scope="read write offline_access"),
        storage=MemoryStorage(), redirect_handler=redirect_handler, callback_handler=callback_handler)


@pytest.fixture(scope="module")
def make_run(tmp_path_factory):
    """scripts/run.sh as `make run` starts it, without SERVER_BASE_URL; stopped (and checked to
    stop cleanly) after the module's tests."""
    run = RunScript(tmp_path_factory.mktemp("local-url"))
    try:
        run.start()
        run.urls = wait_for_banner(run)
        yield run
        started = run.processes()
        assert run.stop() == 0
        wait_until(lambda: all_exited(started), timeout=10, what="every process of the run to exit")
    finally:
        run.kill_all()


def test_banner_prints_the_localhost_urls(make_run):
    """The banner names the MCP URL, the consent page and /health under http://localhost:$PORT,
    the default SERVER_BASE_URL and so the app's issuer, not 127.0.0.1."""
    origin = f"http://localhost:{make_run.port}"
    assert make_run.urls == {"mcp": origin + "/mcp", "consent": origin + "/authorize", "health": origin + "/health"}
    assert "127.0.0.1" not in "\n".join(line for line in make_run.log_text().splitlines() if line.startswith("run: "))
    health = requests.get(make_run.urls["health"], timeout=5)
    assert health.status_code == 200 and health.json()["status"] == "ok"


def test_readme_shows_the_banner(make_run):
    """README's "The two commands" shows the banner as run.sh prints it (for the default port)."""
    section = (PROJECT_DIR / "README.md").read_text().split("\n## The two commands\n", 1)[1].split("\n## ", 1)[0]
    printed = [line for line in make_run.log_text().splitlines() if line.startswith("run: ")]
    assert len(printed) == 3, printed
    for line in printed:
        assert line.replace(f":{make_run.port}/", ":3002/") in section.splitlines(), line


def test_protected_resource_is_the_printed_url(make_run):
    """As an MCP client discovers it: POST to the printed URL without a token is a 401 whose
    challenge names the resource metadata; that document's `resource` is the printed URL byte
    for byte (RFC 9728 §3.3), and its authorization server's metadata has the printed origin as
    issuer (RFC 8414 §3.3) and the printed consent page as authorization endpoint."""
    mcp_url = make_run.urls["mcp"]
    refused = requests.post(mcp_url, json={"jsonrpc": "2.0", "id": 1, "method": "ping"}, timeout=10)
    assert refused.status_code == 401
    metadata_url = challenge_parameter(refused.headers["WWW-Authenticate"], "resource_metadata")
    metadata = requests.get(metadata_url, timeout=5)
    assert metadata.status_code == 200, metadata.text
    assert metadata.json()["resource"] == mcp_url

    [issuer] = metadata.json()["authorization_servers"]
    assert issuer == mcp_url.removesuffix("/mcp")
    server = requests.get(issuer + "/.well-known/oauth-authorization-server", timeout=5).json()
    assert server["issuer"] == issuer
    assert server["authorization_endpoint"] == make_run.urls["consent"]


def test_official_client_at_the_printed_url(make_run):
    """The official MCP client (`mcp`) at exactly the printed URL, with a token from the
    development login flow at the printed origin: it initializes, lists the tools and calls
    `get-items`."""
    mcp_url = make_run.urls["mcp"]
    origin = mcp_url.removesuffix("/mcp")
    token = oauth_tokens(origin)["access_token"]

    async def body(session):
        await session.initialize()
        tools = await session.list_tools()
        return tools, await session.call_tool("get-items", {})

    tools, listed = run_async(with_session_at(mcp_url, body, token))
    assert {tool.name for tool in tools.tools} >= {"get-items", "item-action"}
    assert listed.is_error is False
    assert len(listed.structured_content["items"]) == 3


def test_official_oauth_client_accepts_the_printed_url_and_refuses_127_0_0_1(make_run):
    """The official client's own OAuth flow, which compares the announced resource with the URL
    it was given: from the printed URL it signs in and calls `get-items`; from
    http://127.0.0.1:$PORT/mcp, the address the banner once printed, it refuses, because the
    resource is http://localhost:$PORT/mcp (RFC 9728 §3.3)."""
    mcp_url = make_run.urls["mcp"]

    async def body(session):
        await session.initialize()
        return await session.call_tool("get-items", {})

    listed = run_async(with_session_at(mcp_url, body, auth=oauth_provider(mcp_url, "printed-url@example.com")))
    assert listed.is_error is False
    assert len(listed.structured_content["items"]) == 3

    numeric = f"http://127.0.0.1:{make_run.port}/mcp"
    with pytest.raises(BaseExceptionGroup) as raised:
        run_async(with_session_at(numeric, body, auth=oauth_provider(numeric, "numeric-url@example.com")))
    refusals = [error for error in leaves(raised.value) if isinstance(error, OAuthFlowError)]
    assert [str(error) for error in refusals] == [
        f"Protected resource {mcp_url} does not match expected {numeric}"], raised.value


def test_nginx_answers_on_ipv6_loopback(make_run):
    """Where localhost resolves to ::1 first, a client connects there: with IPv6 loopback, the
    run's nginx listens on [::1]:$PORT too and /health answers 200."""
    if not ipv6_loopback():
        pytest.skip("this machine has no IPv6 loopback (::1 cannot be bound), so run.sh leaves [::1] out")
    config = [line.strip() for line in (make_run.run_dir / "nginx.conf").read_text().splitlines()]
    assert f"listen [::1]:{make_run.port};" in config
    health = requests.get(f"http://[::1]:{make_run.port}/health", timeout=5)
    assert health.status_code == 200 and health.json()["status"] == "ok"


def test_banner_follows_a_configured_server_base_url(tmp_path):
    """SERVER_BASE_URL set: the banner prints the URLs under it, without the trailing slash the
    app drops too, and the protected resource is still the printed MCP URL."""
    run = RunScript(tmp_path)
    run.env["SERVER_BASE_URL"] = f"http://127.0.0.1:{run.port}/"
    try:
        run.start()
        urls = wait_for_banner(run)
        assert urls["mcp"] == f"http://127.0.0.1:{run.port}/mcp"
        metadata = requests.get(f"http://127.0.0.1:{run.port}/.well-known/oauth-protected-resource/mcp", timeout=5)
        assert metadata.json()["resource"] == urls["mcp"]
        assert run.stop() == 0
    finally:
        run.kill_all()


# A network namespace with loopback up but IPv6 disabled on it: the machine without ::1.
WITHOUT_IPV6 = "echo 1 > /proc/sys/net/ipv6/conf/lo/disable_ipv6 && ip link set lo up"


def namespace_without_ipv6_possible() -> bool:
    """Whether this test may make such a namespace (root, unshare, ip) and reach into it (nsenter, curl)."""
    try:
        probe = subprocess.run(["unshare", "-n", "sh", "-c", WITHOUT_IPV6 + " && ! grep -q ' lo$' /proc/net/if_inet6"],
                               capture_output=True, timeout=10)
        return probe.returncode == 0 and shutil.which("nsenter") is not None and shutil.which("curl") is not None
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.mark.skipif(not namespace_without_ipv6_possible(),
                    reason="cannot make a network namespace without IPv6 loopback here (needs root, unshare, ip, "
                           "nsenter and curl)")
def test_run_script_starts_without_ipv6_loopback(tmp_path):
    """A machine without IPv6 loopback (as some containers are; here a network namespace with
    IPv6 disabled on lo): run.sh leaves the [::1] listen line a comment, so nginx starts and
    /health answers on 127.0.0.1."""
    port = free_port()
    env = app_environment({"FCGIAPP_BINARY": BINARY, "PORT": str(port), "RUN_DIR": str(tmp_path)})
    log_path = tmp_path / "run.log"
    command = f'{WITHOUT_IPV6} && exec "{RUN_SCRIPT}"'
    with open(log_path, "wb") as log:
        # unshare and sh exec into run.sh, so the process is the script itself.
        process = subprocess.Popen(["unshare", "-n", "sh", "-c", command], cwd=PROJECT_DIR, env=env, stdout=log,
                                   stderr=log, start_new_session=True, preexec_fn=default_sigint)
    in_namespace = ["nsenter", f"--net=/proc/{process.pid}/ns/net"]

    def healthy():
        probe = subprocess.run([*in_namespace, "curl", "-sf", "-o", "/dev/null", f"http://127.0.0.1:{port}/health"],
                               capture_output=True, timeout=10)
        return probe.returncode == 0 or process.poll() is not None

    try:
        wait_until(healthy, timeout=60, what="scripts/run.sh in its network namespace")
        assert process.poll() is None, log_path.read_text(errors="replace")[-3000:]
        wait_until(lambda: BANNER["health"].search(log_path.read_text(errors="replace")), timeout=10,
                   what="the run banner")
        config = (tmp_path / "nginx.conf").read_text()
        assert f"#@IPV6_LOOPBACK@ listen [::1]:{port};" in config
        assert printed_urls(log_path.read_text(errors="replace"))["mcp"] == f"http://localhost:{port}/mcp"
        process.send_signal(signal.SIGTERM)
        assert process.wait(30) == 0
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(10)
