#!/usr/bin/env bash
# `make run`: FCGIApp and nginx in the foreground on 127.0.0.1:$PORT (default 3002).
# Ctrl-C or SIGTERM stops both; nothing is left running.
set -euo pipefail
project_dir=$(cd "$(dirname "$0")/.." && pwd)
run_dir="$project_dir/run"
binary=${FCGIAPP_BINARY:-"$project_dir/.build/release/FCGIApp"}

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

mkdir -p "$run_dir"

# AUTH_STORAGE_DRIVER=postgres without DATABASE_URL: a local cluster in run/postgres, and a token
# encryption key kept beside it so stored Privy tokens stay readable across runs.
if [ "$(setting AUTH_STORAGE_DRIVER)" = postgres ] && [ -z "$(setting DATABASE_URL)" ]; then
    eval "export $("$project_dir/scripts/local-postgres.sh" start | grep '^DATABASE_URL=')"
    key_file="$run_dir/token-encryption-key"
    [ -f "$key_file" ] || (umask 077; openssl rand -base64 32 > "$key_file")
    [ -n "$(setting TOKEN_ENCRYPTION_KEY)" ] || export TOKEN_ENCRYPTION_KEY="$(cat "$key_file")"
    echo "run: PostgreSQL in run/postgres (stop it with scripts/local-postgres.sh stop)" >&2
fi
"$project_dir/nginx/render-local.sh" "$run_dir" "$port" "$socket"

app_pid="" nginx_pid=""
stop() {
    trap - INT TERM EXIT
    [ -n "$nginx_pid" ] && kill -QUIT "$nginx_pid" 2>/dev/null || true
    [ -n "$app_pid" ] && kill -TERM "$app_pid" 2>/dev/null || true
    wait 2>/dev/null || true
}
trap 'stop; exit 0' INT TERM
trap stop EXIT

cd "$project_dir"
rm -f "$socket"  # so the wait below sees this run's socket, not one left by a crashed run
FCGI_LISTEN="$socket" "$binary" &
app_pid=$!
for _ in $(seq 1 100); do
    [ -S "$socket" ] && break
    kill -0 "$app_pid" 2>/dev/null || { echo "run: FCGIApp exited during start-up" >&2; exit 1; }
    sleep 0.05
done
nginx -p "$run_dir" -e "$run_dir/logs/nginx-error.log" -c "$run_dir/nginx.conf" &
nginx_pid=$!
echo "run: http://127.0.0.1:$port/ (health: http://127.0.0.1:$port/health). Ctrl-C stops." >&2
# Whichever exits first ends the run.
wait -n "$app_pid" "$nginx_pid" || true
