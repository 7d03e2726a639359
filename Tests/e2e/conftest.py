import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fake_privy_server import FakePrivyServer
from stack import Stack

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


@pytest.fixture
def fake_backend():
    """The stand-in for the user's API (fake_backend.py), on a free loopback port; yields its URL."""
    process = subprocess.Popen([sys.executable, str(FAKE_BACKEND)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL)
    try:
        port = int(process.stdout.readline())
        yield f"http://127.0.0.1:{port}"
    finally:
        process.stdin.close()
        process.kill()
        process.wait()
