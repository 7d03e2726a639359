#!/usr/bin/env bash
# The PostgreSQL that `make run` can use with AUTH_STORAGE_DRIVER=postgres: a cluster kept in
# run/postgres across runs, listening on 127.0.0.1 only.
#
#   scripts/local-postgres.sh [start]   # starts it unless running; prints DATABASE_URL=...
#   scripts/local-postgres.sh stop      # stops it, keeps the data
#
# Same mechanics as the test cluster (scripts/test-postgres.sh), with a database named `app`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
command=${1:-start}
case $command in
    start | stop) ;;
    *) echo "usage: $0 [start|stop]" >&2; exit 2 ;;
esac
PG_DATABASE=app PG_URL_NAME=DATABASE_URL PG_KEEP_DATA=1 PG_DURABLE=1 \
    exec "$root/scripts/test-postgres.sh" "$command" "$root/run/postgres"
