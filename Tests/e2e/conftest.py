"""Fixtures shared by the end-to-end suites: the stacks (memory, and PostgreSQL when
TEST_DATABASE_URL is set), the items API stand-in, and what the browser suites (test_browser_*.py)
need: the browser, the fake Privy server, the sign-in page's stacks, the widget harness server
and the production front. Helpers that are not fixtures live in stack.py, oauth_flow.py,
browser_support.py and deployment_support.py.
"""
import base64
import os
import subprocess
import sys
import threading
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from browser_support import CHROMIUM, HARNESS_DIR, PAGE_ENV, Browsing, HarnessHandler
from fake_privy_server import FakePrivyServer
from pg_cluster import PgCluster
from stack import Stack, free_port

# Every stack-based suite runs against the memory store, and against PostgreSQL when the test
# run provides one (make test does, through scripts/with-test-postgres.sh).
STORAGE_DRIVERS = ["memory"] + (["postgres"] if os.environ.get("TEST_DATABASE_URL") else [])


def pytest_configure(config):
    """With REQUIRE_TEST_POSTGRES=1 (make test sets it), a run without TEST_DATABASE_URL stops
    before collecting anything instead of quietly leaving out every PostgreSQL case."""
    if os.environ.get("REQUIRE_TEST_POSTGRES") == "1" and not os.environ.get("TEST_DATABASE_URL"):
        raise pytest.UsageError(
            "REQUIRE_TEST_POSTGRES=1 but TEST_DATABASE_URL is not set: the PostgreSQL cases would be "
            "skipped. Run under scripts/with-test-postgres.sh (as make test does), or unset REQUIRE_TEST_POSTGRES.")


def storage_environment(driver):
    if driver == "postgres":
        return {"AUTH_STORAGE_DRIVER": "postgres", "DATABASE_URL": os.environ["TEST_DATABASE_URL"]}
    return {"AUTH_STORAGE_DRIVER": "memory"}


@pytest.fixture(scope="module", params=STORAGE_DRIVERS)
def stack(request, tmp_path_factory):
    running = Stack(tmp_path_factory.mktemp("stack"), env=storage_environment(request.param)).start()
    yield running
    running.stop()


EXCHANGE_CLIENT = "chatgpt-connector"


@pytest.fixture(scope="module", params=STORAGE_DRIVERS)
def privy_stack(request, tmp_path_factory):
    """A stack that trusts Privy tokens signed by a key the tests hold (no development login),
    with the built-in ChatGPT client allowed `privy:token:exchange`."""
    privy = FakePrivyServer()  # only its keys and minting are used; its HTTP server is not started
    env = {**storage_environment(request.param), "PRIVY_APP_ID": privy.app_id,
           "PRIVY_VERIFICATION_KEY": base64.b64encode(privy.public_key_pem.encode()).decode(),
           "PRIVY_EXCHANGE_CLIENTS": EXCHANGE_CLIENT}
    running = Stack(tmp_path_factory.mktemp("privy-stack"), env=env).start()
    running.privy = privy
    yield running
    running.stop()


FAKE_BACKEND = Path(__file__).with_name("fake_backend.py")


def start_fake_backend():
    """Starts fake_backend.py on a free loopback port; returns (process, URL). The process also
    exits when its stdin closes; stop_fake_backend() ends it."""
    process = subprocess.Popen([sys.executable, str(FAKE_BACKEND)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL)
    try:
        port = int(process.stdout.readline())
    except BaseException:
        stop_fake_backend(process)
        raise
    return process, f"http://127.0.0.1:{port}"


def stop_fake_backend(process):
    process.stdin.close()
    process.kill()
    process.wait()


@pytest.fixture
def fake_backend():
    """The stand-in for the user's API (fake_backend.py), on a free loopback port; yields its URL."""
    process, url = start_fake_backend()
    try:
        yield url
    finally:
        stop_fake_backend(process)


# ---------------------------------------------------------------------------------------------
# The browser suites (test_browser_*.py; their other helpers are in browser_support.py)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def fake_privy():
    server = FakePrivyServer().start()
    yield server
    server.stop()


@pytest.fixture
def privy(fake_privy):
    fake_privy.reset()
    yield fake_privy
    fake_privy.reset()


@pytest.fixture(scope="module")
def privy_page_stack(tmp_path_factory, fake_privy):
    """The sign-in page's stack: trusts the fake Privy server's tokens, serves the built UI. The
    browser suites use it under the name privy_stack."""
    running = Stack(tmp_path_factory.mktemp("privy-stack"), env={**fake_privy.app_env(), **PAGE_ENV}).start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def dev_stack(tmp_path_factory):
    running = Stack(tmp_path_factory.mktemp("dev-stack"), env=PAGE_ENV).start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def static_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(HarnessHandler, directory=str(HARNESS_DIR)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="widget-harness", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(10)


@pytest.fixture
def open_browsing(browser):
    contexts = []

    def opener(privy_server=None, **options):
        context = browser.new_context(**{"viewport": {"width": 800, "height": 900}, **options})
        contexts.append(context)
        if privy_server is not None:
            context.add_init_script(privy_server.init_script())
        return Browsing(context)

    yield opener
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def production_front(tmp_path_factory, privy_page_stack, fake_privy):
    """nginx with nginx/production.conf as the deployment tests render it (installed tree, TLS with
    a test certificate, 127.0.0.1 ports) in front of privy_page_stack's FCGIApp; the Privy SDK
    and API are the fake's. Yields (base URL, certificate)."""
    from browser_support import production_site_for_fake_privy
    from deployment_support import Nginx, install_real, production_site
    folder = tmp_path_factory.mktemp("production-front")
    layout = install_real(folder / "root")
    https_port, http_port = free_port(), free_port()
    socket_path = Path(privy_page_stack.socket_path)
    site, cert, _ = production_site(layout, folder, https_port, http_port, [socket_path, socket_path])
    site = production_site_for_fake_privy(site, fake_privy)
    nginx = Nginx(folder / "nginx", site).start(https_port)
    yield f"https://127.0.0.1:{https_port}", cert
    nginx.stop()


@pytest.fixture
def cluster():
    """A PostgreSQL cluster of the test's own (pg_cluster.PgCluster), so it can stop, restart or
    fill it as it likes; destroyed afterwards."""
    owned = PgCluster()
    try:
        owned.start()
        yield owned
    finally:
        owned.destroy()
