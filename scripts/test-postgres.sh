#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the storage contract tests.
#
#   scripts/test-postgres.sh start DIR   # prints TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:PORT/app_test
#   scripts/test-postgres.sh stop DIR    # stops the cluster and removes DIR
#   scripts/test-postgres.sh status DIR  # exit status 0 when it runs, non-zero when not
#
# The cluster lives entirely in DIR, listens on a unix socket in DIR and on 127.0.0.1 only,
# and trusts local connections (it holds test data only). Both commands are idempotent and
# print nothing else on success. As root the server runs as the `postgres` user.
#
# TCP connections may use TLS: when openssl is installed, the first start makes a throwaway
# self-signed certificate in DIR/tls and the server runs with ssl=on, so each client's
# `sslmode` decides (libpq's default, prefer, takes TLS; sslmode=disable stays plain).
#
# Knobs (scripts/local-postgres.sh uses them): PG_DATABASE (database name, default app_test),
# PG_URL_NAME (name printed before the URL, default TEST_DATABASE_URL), PG_KEEP_DATA=1 (stop
# keeps DIR), PG_DURABLE=1 (keep fsync on; test clusters turn it off for speed, their data is
# disposable), PG_BIN (server binaries, default the newest /usr/lib/postgresql/*/bin), PG_SSL=0
# (no TLS).
set -euo pipefail

usage() { echo "usage: $0 start|stop|status DIR" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
command=$1
dir=$2
database=${PG_DATABASE:-app_test}
url_name=${PG_URL_NAME:-TEST_DATABASE_URL}
server_options="-c listen_addresses=127.0.0.1"
if [[ ${PG_DURABLE:-0} != 1 ]]; then
    server_options+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
fi

pg_bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[[ -x "$pg_bin/pg_ctl" ]] || { echo "PostgreSQL server binaries not found (set PG_BIN)" >&2; exit 1; }

# PostgreSQL refuses to run as root, so root hands the cluster to the postgres user.
as_owner() {
    if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
        return
    fi
    local port
    for _ in $(seq 1 100); do
        port=$((20000 + RANDOM % 40000))
        if ! (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
    done
    echo "no free port found" >&2
    return 1
}

# Options that switch TLS on, making the certificate first if needed; nothing without openssl
# or with PG_SSL=0. The key belongs to the user that runs the server, mode 0600, as
# PostgreSQL requires.
tls_options() {
    [[ ${PG_SSL:-1} != 0 ]] && command -v openssl >/dev/null 2>&1 || return 0
    local tls="$dir/tls"
    if [[ ! -s "$tls/server.key" || ! -s "$tls/server.crt" ]]; then
        as_owner mkdir -p "$tls"
        as_owner openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
            -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
            -keyout "$tls/server.key" -out "$tls/server.crt" >"$dir/openssl.log" 2>&1 \
            || { cat "$dir/openssl.log" >&2; exit 1; }
        as_owner chmod 600 "$tls/server.key"
    fi
    echo " -c ssl=on -c ssl_cert_file='$tls/server.crt' -c ssl_key_file='$tls/server.key'"
}

is_running() { [[ -f "$dir/data/PG_VERSION" ]] && as_owner "$pg_bin/pg_ctl" status -D "$dir/data" >/dev/null 2>&1; }

# Only ever delete a folder this script set up.
is_ours() { [[ -f "$dir/data/PG_VERSION" || -f "$dir/url" || -z "$(ls -A "$dir" 2>/dev/null)" ]]; }

print_url() {
    local url="postgresql://postgres@127.0.0.1:$(cat "$dir/port")/$database"
    echo "$url" >"$dir/url"
    echo "$url_name=$url"
}

start() {
    if [[ -d "$dir" ]] && ! is_ours; then
        echo "$dir is not empty and not a cluster made by $0; not touching it" >&2
        exit 1
    fi
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [[ $(id -u) -eq 0 ]]; then chown postgres: "$dir"; fi
    chmod 700 "$dir"

    if [[ ! -f "$dir/data/PG_VERSION" ]]; then
        as_owner "$pg_bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
            >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    fi

    if ! is_running; then
        local options
        options="$server_options$(tls_options)"
        # A free port can be taken between choosing and binding it; try a few.
        local started=no
        for _ in 1 2 3 4 5; do
            # Keep the previous port when it is free, so a persistent cluster keeps its URL.
            if [[ ! -f "$dir/port" ]] || (echo >"/dev/tcp/127.0.0.1/$(cat "$dir/port")") 2>/dev/null; then
                free_port >"$dir/port"
            fi
            if as_owner "$pg_bin/pg_ctl" start -w -t 30 -D "$dir/data" -l "$dir/postgres.log" \
                -o "$options -p $(cat "$dir/port") -c unix_socket_directories='$dir'" \
                >/dev/null 2>&1; then
                started=yes
                break
            fi
            rm -f "$dir/port"
        done
        [[ $started == yes ]] || { echo "PostgreSQL did not start; see $dir/postgres.log" >&2; exit 1; }
    fi

    local port
    port=$(cat "$dir/port")
    if ! as_owner "$pg_bin/psql" -h "$dir" -p "$port" -U postgres -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1; then
        as_owner "$pg_bin/createdb" -h "$dir" -p "$port" -U postgres -O postgres "$database"
    fi
    print_url
}

stop() {
    [[ -d "$dir" ]] || return 0
    is_ours || { echo "$dir does not look like a cluster made by $0; not touching it" >&2; exit 1; }
    if is_running; then as_owner "$pg_bin/pg_ctl" stop -D "$dir/data" -m fast -w >/dev/null; fi
    if [[ ${PG_KEEP_DATA:-0} != 1 ]]; then rm -rf "$dir"; fi
}

case $command in
    start) start ;;
    stop) stop ;;
    status) is_running ;;  # exit status 0 when the cluster in DIR runs
    *) usage ;;
esac
