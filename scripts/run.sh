#!/usr/bin/env bash
# `make run`: FCGIApp and nginx in the foreground on 127.0.0.1:$PORT (default 3002), and on
# [::1]:$PORT where the machine has IPv6 loopback.
# Ctrl-C or SIGTERM stops both, and the local PostgreSQL if this run started it; nothing is left
# running. FCGIApp is restarted when it fails (crash, kill -9) after RESTART_DELAY seconds, unless
# it fails MAX_FAILURES times within FAILURE_WINDOW seconds; nginx exiting ends the run.
# Everything the run writes goes to RUN_DIR (default run/ in the project).
set -euo pipefail
project_dir=$(cd "$(dirname "$0")/.." && pwd)
run_dir=${RUN_DIR:-"$project_dir/run"}
binary=${FCGIAPP_BINARY:-"$project_dir/.build/release/FCGIApp"}
RESTART_DELAY=0.5 MAX_FAILURES=5 FAILURE_WINDOW=10

# A setting from the environment, else from .env, as the app itself reads them.
setting() {
    local name=$1
    if [ -n "${!name:-}" ]; then echo "${!name}"; return 0; fi
    if [ -f "$project_dir/.env" ]; then
        sed -n "s/^[[:space:]]*\(export[[:space:]]\+\)\{0,1\}$name=[\"']\{0,1\}\([^\"']*\).*/\2/p" "$project_dir/.env" | tail -n 1
    fi
    return 0
}
port=$(setting PORT)
port=${port:-3002}
socket="$run_dir/fcgiapp.sock"

# The OAuth issuer must be the origin the browser uses, so it follows PORT. localhost is a
# loopback host, so the development login stays available (AbsoluteURL.isLoopback in Sources/WebRules).
[ -n "$(setting SERVER_BASE_URL)" ] || export SERVER_BASE_URL="http://localhost:$port"

mkdir -p "$run_dir"
run_dir=$(cd "$run_dir" && pwd)
pg_dir="$run_dir/postgres"

app_pid="" nginx_pid="" stop_postgres=no
stop() {
    trap - INT TERM EXIT
    [ -n "$nginx_pid" ] && kill -QUIT "$nginx_pid" 2>/dev/null || true
    [ -n "$app_pid" ] && kill -TERM "$app_pid" 2>/dev/null || true
    wait 2>/dev/null || true
    # After FCGIApp has exited, so no request in flight loses its database.
    if [ "$stop_postgres" = yes ]; then
        "$project_dir/scripts/local-postgres.sh" stop "$pg_dir" || echo "run: could not stop PostgreSQL in $pg_dir" >&2
    fi
}
trap 'stop; exit 0' INT TERM
trap stop EXIT

# AUTH_STORAGE_DRIVER=postgres without DATABASE_URL: a local cluster in $RUN_DIR/postgres, and a
# token encryption key kept beside it so stored Privy tokens stay readable across runs. A cluster
# that was already running is left running; one this run starts is stopped with it.
if [ "$(setting AUTH_STORAGE_DRIVER)" = postgres ] && [ -z "$(setting DATABASE_URL)" ]; then
    if "$project_dir/scripts/local-postgres.sh" status "$pg_dir"; then
        echo "run: PostgreSQL in $pg_dir was already running; it stays running" >&2
    else
        stop_postgres=yes  # set before starting, so a signal during the start still stops it
        echo "run: PostgreSQL in $pg_dir, stopped with this run" >&2
    fi
    url_line=$("$project_dir/scripts/local-postgres.sh" start "$pg_dir" | grep '^DATABASE_URL=')
    export "$url_line"
    key_file="$run_dir/token-encryption-key"
    [ -f "$key_file" ] || (umask 077; openssl rand -base64 32 > "$key_file")
    [ -n "$(setting TOKEN_ENCRYPTION_KEY)" ] || export TOKEN_ENCRYPTION_KEY="$(cat "$key_file")"
fi
"$project_dir/nginx/render-local.sh" "$run_dir" "$port" "$socket"
# The banner sends clients to localhost, which many systems resolve to ::1 first; nginx must
# answer there too. A machine without IPv6 loopback (some containers) cannot bind ::1 and nginx
# would not start, so the line stays a comment there. The loopback entry in /proc/net/if_inet6
# is ::1 as 32 hex digits, present only while IPv6 is enabled on lo.
if grep -qs '^0\{31\}1 .* lo$' /proc/net/if_inet6; then
    sed -i 's|#@IPV6_LOOPBACK@ *||' "$run_dir/nginx.conf"
fi

cd "$project_dir"
# Starts FCGIApp and waits until its socket exists; fails when it exits during start-up.
start_app() {
    rm -f "$socket"  # so the wait below sees this process's socket, not one left by a dead one
    FCGI_LISTEN="$socket" "$binary" &
    app_pid=$!
    for _ in $(seq 1 100); do
        [ -S "$socket" ] && return 0
        kill -0 "$app_pid" 2>/dev/null || return 1
        sleep 0.05
    done
}
start_app || { echo "run: FCGIApp exited during start-up" >&2; exit 1; }
nginx -p "$run_dir" -e "$run_dir/logs/nginx-error.log" -c "$run_dir/nginx.conf" &
nginx_pid=$!
# The URLs as the app names itself: a client checks that the protected resource the server
# announces is exactly the URL it was given (RFC 9728 §3.3), and the resource is
# SERVER_BASE_URL + /mcp, so http://127.0.0.1:$port/mcp would be refused when the base is
# localhost. The app drops trailing slashes from SERVER_BASE_URL; so does the banner.
base_url=$(setting SERVER_BASE_URL)
while [[ $base_url == */ ]]; do base_url=${base_url%/}; done
echo "run: MCP server URL to give a client: $base_url/mcp" >&2
echo "run: sign-in and consent page: $base_url/authorize (a client opens it for you)" >&2
echo "run: health: $base_url/health. Ctrl-C stops." >&2

failures=()  # when FCGIApp failed, in microseconds, within the last FAILURE_WINDOW seconds
while true; do
    exited="" status=0
    wait -n -p exited "$app_pid" "$nginx_pid" || status=$?
    if [ "$exited" != "$app_pid" ]; then
        echo "run: nginx exited (status $status); stopping" >&2
        exit 1
    fi
    # Exit status 0 means FCGIApp was asked to stop (SIGTERM to it alone); like systemd's
    # Restart=on-failure, only a failure is restarted.
    if [ "$status" = 0 ]; then
        echo "run: FCGIApp stopped; stopping" >&2
        exit 0
    fi
    now=${EPOCHREALTIME/./}
    recent=()
    for moment in "${failures[@]}" "$now"; do
        if (( now - moment < FAILURE_WINDOW * 1000000 )); then recent+=("$moment"); fi
    done
    failures=("${recent[@]}")
    if (( ${#failures[@]} >= MAX_FAILURES )); then
        echo "run: FCGIApp failed $MAX_FAILURES times within $FAILURE_WINDOW s (last exit status $status); stopping" >&2
        exit 1
    fi
    echo "run: FCGIApp exited with status $status; restarting it in $RESTART_DELAY s" >&2
    sleep "$RESTART_DELAY" & wait $!  # in the background, so Ctrl-C and SIGTERM are handled at once
    # A restart that fails during start-up shows up as the next exit of $app_pid.
    start_app || true
done
