#!/usr/bin/env bash
# The PostgreSQL that `make run` can use with AUTH_STORAGE_DRIVER=postgres: a cluster kept in
# DIR (default run/postgres in the project) across runs, listening on 127.0.0.1 only.
#
#   scripts/local-postgres.sh [start [DIR]]   # starts it unless running; prints DATABASE_URL=...
#   scripts/local-postgres.sh stop [DIR]      # stops it, keeps the data
#   scripts/local-postgres.sh status [DIR]    # exit status 0 when it runs, non-zero when not
#
# Same mechanics as the test cluster (scripts/test-postgres.sh), with a database named `app`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
command=${1:-start}
dir=${2:-"$root/run/postgres"}
case $command in
    start | stop | status) ;;
    *) echo "usage: $0 [start|stop|status] [DIR]" >&2; exit 2 ;;
esac
PG_DATABASE=app PG_URL_NAME=DATABASE_URL PG_KEEP_DATA=1 PG_DURABLE=1 \
    exec "$root/scripts/test-postgres.sh" "$command" "$dir"
