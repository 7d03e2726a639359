import os

import pytest

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
