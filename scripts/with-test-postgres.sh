#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL cluster: exports TEST_DATABASE_URL for it, and
# stops and removes the cluster afterwards, whatever the command's outcome.
#   scripts/with-test-postgres.sh make unit-test e2e-test
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d /tmp/chatgpt-app-pg.XXXXXX)
rmdir "$dir"  # test-postgres.sh creates it and refuses folders it did not make
trap '"$root/scripts/test-postgres.sh" stop "$dir" || true' EXIT
eval "export $("$root/scripts/test-postgres.sh" start "$dir" | grep '^TEST_DATABASE_URL=')"
"$@"
