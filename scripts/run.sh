#!/usr/bin/env bash
# `make run`: FCGIApp and nginx in the foreground on 127.0.0.1:$PORT (default 3002).
# Ctrl-C or SIGTERM stops both; nothing is left running.
set -euo pipefail
project_dir=$(cd "$(dirname "$0")/.." && pwd)
run_dir="$project_dir/run"
binary=${FCGIAPP_BINARY:-"$project_dir/.build/release/FCGIApp"}

# PORT may come from .env like every other setting.
if [ -z "${PORT:-}" ] && [ -f "$project_dir/.env" ]; then
    PORT=$(sed -n 's/^[[:space:]]*\(export[[:space:]]\+\)\{0,1\}PORT=["'\'']\{0,1\}\([0-9]*\).*/\2/p' "$project_dir/.env" | tail -n 1)
fi
port=${PORT:-3002}
socket="$run_dir/fcgiapp.sock"

mkdir -p "$run_dir"
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
