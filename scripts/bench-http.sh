#!/usr/bin/env bash
# HTTP benchmarks of the real stack (nginx + the release FCGIApp), each beside a reference
# measured in the same run (see bench/http_bench.py):
#   1. PostgreSQL beside memory: /token refresh grants and an authenticated MCP tools/call,
#      requests/s, p99 and SQL statements per request (pg_stat_statements);
#   2. /mcp tools/list and tools/call get-items beside the official Python MCP SDK's server.
#
#   scripts/bench-http.sh [--duration 10] [--connections 32] [--threads 2] [--skip storage|mcp]
#
# Installs what it needs (Debian: wrk nginx postgresql python3-venv; a venv in run/bench-venv
# with the e2e suite's mcp and requests versions and uvicorn). Binds 127.0.0.1 only, stops
# everything it starts, and takes about 3 minutes (a hard limit of 7 stops it). FCGIAPP_BINARY
# picks the binary (default .build/release/FCGIApp, built when missing).
set -euo pipefail
project_dir=$(cd "$(dirname "$0")/.." && pwd)
cd "$project_dir"

scripts/install-debian-packages.sh wrk nginx postgresql python3-venv

venv=run/bench-venv
mcp_requirement=$(grep -E '^mcp==' Tests/e2e/requirements.txt)
# bench/http_bench.py signs in through Tests/e2e/oauth_flow.py, which uses requests.
requests_requirement=$(grep -E '^requests==' Tests/e2e/requirements.txt)
stamp="$venv/.installed-$mcp_requirement-$requests_requirement"
if [[ ! -f "$stamp" ]]; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    # uvicorn[standard] (uvloop, httptools): the fastest way the SDK's server is commonly run.
    "$venv/bin/pip" install --quiet --disable-pip-version-check "$mcp_requirement" "$requests_requirement" 'uvicorn[standard]'
    touch "$stamp"
fi
"$venv/bin/python" -c 'import mcp.server.mcpserver' \
    || { echo "bench-http: $mcp_requirement has no mcp.server.mcpserver.MCPServer" >&2; exit 1; }

binary=${FCGIAPP_BINARY:-$project_dir/.build/release/FCGIApp}
if [[ ! -x "$binary" ]]; then
    echo "bench-http: building $binary" >&2
    ${SWIFT:-swift} build -c release --product FCGIApp
fi

# The driver stops everything it started on SIGTERM; -k is the last resort.
exec timeout -k 20 420 "$venv/bin/python" bench/http_bench.py --binary "$binary" "$@"
