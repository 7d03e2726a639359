#!/bin/sh
# Builds the web UI offline with Debian's esbuild and React: web/ -> public/ (the OAuth sign-in
# page, content-hashed assets) and widgets-dist/ (<id>.js and <id>.css for each web/widgets/<id>/
# with a main.tsx, and manifest.json; other files there, such as prebuilt widgets, are left alone).
#   scripts/build-web.sh              build and replace public/ and the built files of widgets-dist/
#   scripts/build-web.sh --check      exit 1, naming each file, when the committed output is stale
#   scripts/build-web.sh --typecheck  also type-check web/ with tsc (installs node-typescript)
# See web/README.md.
set -eu
cd "$(dirname "$0")/.."
packages="esbuild node-react node-react-dom"
for arg in "$@"; do
    [ "$arg" = "--typecheck" ] && packages="$packages node-typescript"
done
# shellcheck disable=SC2086
scripts/install-debian-packages.sh $packages
command -v node >/dev/null 2>&1 || scripts/install-debian-packages.sh nodejs
exec node web/build.mjs "$@"
