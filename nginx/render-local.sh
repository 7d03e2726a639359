#!/bin/sh
# Renders nginx/local.conf.in into RUN_DIR/nginx.conf.
# Usage: nginx/render-local.sh RUN_DIR PORT SOCKET_PATH
set -eu
run_dir=$1 port=$2 socket=$3
project_dir=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$run_dir/logs" "$run_dir/tmp"
# nginx only switches users when started as root; then its workers must be able to reach the
# socket and the project files, which belong to whoever checked the project out.
if [ "$(id -u)" = 0 ]; then user_line="user root;"; else user_line=""; fi
# fastcgi-app.conf is included by bare name, so it must sit beside the rendered config.
cp "$project_dir/nginx/fastcgi-app.conf" "$run_dir/fastcgi-app.conf"
cp /etc/nginx/fastcgi_params "$run_dir/fastcgi_params"
sed -e "s|@USER_LINE@|$user_line|" \
    -e "s|@RUN_DIR@|$run_dir|g" \
    -e "s|@PORT@|$port|g" \
    -e "s|@SOCKET@|$socket|g" \
    -e "s|@PROJECT_DIR@|$project_dir|g" \
    "$project_dir/nginx/local.conf.in" > "$run_dir/nginx.conf"
