#!/bin/sh
# `make install`: installs FCGIApp, its static files, the nginx and Apache snippets, the systemd
# units and an example environment file.
#
#   scripts/install.sh                          # into /usr/local and /etc (as root)
#   DESTDIR=/tmp/pkg scripts/install.sh         # staged, for packaging or a look at the tree
#   PREFIX=/opt/chatgpt-app SYSCONFDIR=/etc scripts/install.sh
#
# Variables (all optional):
#   PREFIX=/usr/local        BINDIR=$PREFIX/bin          DATADIR=$PREFIX/share/chatgpt-app
#   SYSCONFDIR=/etc          DOCDIR=$PREFIX/share/doc/chatgpt-app
#   SYSTEMDUNITDIR           $PREFIX/lib/systemd/system for PREFIX /usr or /usr/local (both are
#                            in systemd's search path), else $SYSCONFDIR/systemd/system
#   DESTDIR                  prepended to every path written, never to paths inside the files
#   BINARY=.build/release/FCGIApp   the binary to install (`make build` makes it)
#
# Installed (paths shown for the defaults):
#   /usr/local/bin/FCGIApp
#   /usr/local/share/chatgpt-app/public/, widgets-dist/   the OAuth UI and widget bundles
#   /usr/local/share/chatgpt-app/examples/, schema/       example app manifests (the items demo is the
#                                                         default APP_MANIFEST) and their JSON Schema
#   /usr/local/share/chatgpt-app/nginx/                   app-routes.conf, fastcgi-app.conf,
#                                                         production.conf (the site to copy)
#   /usr/local/share/chatgpt-app/apache/                  chatgpt-app.conf, htaccess.example,
#                                                         chatgpt-app.fcgi.example
#   /usr/local/share/chatgpt-app/env.example, fcgid-env.sh
#   /usr/local/lib/systemd/system/chatgpt-app{,@}.{socket,service}
#   /etc/chatgpt-app/env                                  only if missing: env.example, mode 0600
#   /usr/local/share/doc/chatgpt-app/DEPLOYMENT.md
# Files whose text names an installed path are rewritten for PREFIX/SYSCONFDIR. Nothing is
# started or enabled: see docs/DEPLOYMENT.md for systemctl and nginx.
set -eu

project_dir=$(cd "$(dirname "$0")/.." && pwd)
PREFIX=${PREFIX:-/usr/local}
SYSCONFDIR=${SYSCONFDIR:-/etc}
BINDIR=${BINDIR:-$PREFIX/bin}
DATADIR=${DATADIR:-$PREFIX/share/chatgpt-app}
DOCDIR=${DOCDIR:-$PREFIX/share/doc/chatgpt-app}
case $PREFIX in
    /usr|/usr/local) default_unitdir=$PREFIX/lib/systemd/system ;;
    *) default_unitdir=$SYSCONFDIR/systemd/system ;;
esac
SYSTEMDUNITDIR=${SYSTEMDUNITDIR:-$default_unitdir}
DESTDIR=${DESTDIR:-}
BINARY=${BINARY:-$project_dir/.build/release/FCGIApp}
CONFDIR=$SYSCONFDIR/chatgpt-app

say() { printf 'install: %s\n' "$*" >&2; }
fail() { printf 'install: %s\n' "$*" >&2; exit 1; }

for path in "$PREFIX" "$SYSCONFDIR" "$BINDIR" "$DATADIR" "$DOCDIR" "$SYSTEMDUNITDIR"; do
    case $path in /*) ;; *) fail "paths must be absolute: $path" ;; esac
done
[ -x "$BINARY" ] || fail "no binary at $BINARY: run \`make build\` first (or set BINARY=...)"
for required in public/index.html widgets-dist examples/items/app.json schema nginx/app-routes.conf nginx/fastcgi-app.conf \
    nginx/production.conf systemd/chatgpt-app.service deploy/env.example; do
    [ -e "$project_dir/$required" ] || fail "missing $required in $project_dir"
done

# The default paths written in the shipped files, and what they become here.
rewrite() {
    sed -e "s|/usr/local/bin/FCGIApp|$BINDIR/FCGIApp|g" \
        -e "s|/usr/local/share/chatgpt-app|$DATADIR|g" \
        -e "s|/usr/local/share/doc/chatgpt-app|$DOCDIR|g" \
        -e "s|/etc/chatgpt-app|$CONFDIR|g" \
        "$1"
}

# install_file MODE SOURCE TARGET [rewrite]
install_file() {
    mode=$1 source=$2 target=$DESTDIR$3
    mkdir -p "$(dirname "$target")"
    if [ "${4:-}" = rewrite ]; then
        rewrite "$source" > "$target.tmp.$$"
    else
        cp "$source" "$target.tmp.$$"
    fi
    chmod "$mode" "$target.tmp.$$"
    mv -f "$target.tmp.$$" "$target"
}

# install_tree SOURCE_DIR TARGET_DIR: files 0644, folders 0755. Files already there from an
# earlier version stay: hashed asset names never collide, and a page loaded during an upgrade
# can still fetch its old assets.
install_tree() {
    (cd "$1" && find . -type d) | while IFS= read -r dir; do
        mkdir -p "$DESTDIR$2/$dir" && chmod 0755 "$DESTDIR$2/$dir"
    done
    (cd "$1" && find . -type f) | while IFS= read -r file; do
        install_file 0644 "$1/$file" "$2/${file#./}"
    done
}

umask 022
say "binary $BINARY -> $DESTDIR$BINDIR/FCGIApp"
install_file 0755 "$BINARY" "$BINDIR/FCGIApp"

say "static files -> $DESTDIR$DATADIR"
install_tree "$project_dir/public" "$DATADIR/public"
install_tree "$project_dir/widgets-dist" "$DATADIR/widgets-dist"
# The example manifests: the items demo is the default APP_MANIFEST (relative to the unit's
# working directory); the JSON Schema beside them lets editors check a copy.
install_tree "$project_dir/examples" "$DATADIR/examples"
install_tree "$project_dir/schema" "$DATADIR/schema"

# nginx: the route rules are the very file the local run includes. Its bare
# `include fastcgi-app.conf;` would resolve against /etc/nginx, so the installed copy names the
# installed snippet instead; nothing else changes.
install_file 0644 "$project_dir/nginx/fastcgi-app.conf" "$DATADIR/nginx/fastcgi-app.conf"
mkdir -p "$DESTDIR$DATADIR/nginx"
sed "s|include fastcgi-app.conf;|include $DATADIR/nginx/fastcgi-app.conf;|" \
    "$project_dir/nginx/app-routes.conf" > "$DESTDIR$DATADIR/nginx/app-routes.conf"
chmod 0644 "$DESTDIR$DATADIR/nginx/app-routes.conf"
install_file 0644 "$project_dir/nginx/production.conf" "$DATADIR/nginx/production.conf" rewrite

install_file 0644 "$project_dir/apache/chatgpt-app.conf" "$DATADIR/apache/chatgpt-app.conf" rewrite
install_file 0644 "$project_dir/apache/htaccess.example" "$DATADIR/apache/htaccess.example"
install_file 0755 "$project_dir/apache/chatgpt-app.fcgi.example" "$DATADIR/apache/chatgpt-app.fcgi.example"

install_file 0644 "$project_dir/deploy/env.example" "$DATADIR/env.example" rewrite
install_file 0755 "$project_dir/deploy/fcgid-env.sh" "$DATADIR/fcgid-env.sh"

say "systemd units -> $DESTDIR$SYSTEMDUNITDIR"
for unit in chatgpt-app.socket chatgpt-app.service chatgpt-app@.socket chatgpt-app@.service; do
    install_file 0644 "$project_dir/systemd/$unit" "$SYSTEMDUNITDIR/$unit" rewrite
done

if [ -f "$project_dir/docs/DEPLOYMENT.md" ]; then
    install_file 0644 "$project_dir/docs/DEPLOYMENT.md" "$DOCDIR/DEPLOYMENT.md"
fi

# The settings file holds secrets once filled in: root only, and never overwritten.
mkdir -p "$DESTDIR$CONFDIR"
chmod 0755 "$DESTDIR$CONFDIR"
if [ -e "$DESTDIR$CONFDIR/env" ]; then
    say "kept $DESTDIR$CONFDIR/env (compare with $DATADIR/env.example for new settings)"
else
    (umask 077 && rewrite "$project_dir/deploy/env.example" > "$DESTDIR$CONFDIR/env")
    say "created $DESTDIR$CONFDIR/env from env.example: fill it in"
fi

# The production CSP allows the UI's inline import map by its hash; warn when a web build
# changed the import map and the nginx site still names the old hash.
expected=$(sed -n 's|.*<script type="importmap">\(.*\)</script>.*|\1|p' "$project_dir/public/index.html" \
    | tr -d '\n' | openssl dgst -sha256 -binary 2>/dev/null | openssl base64 -A 2>/dev/null || true)
if [ -n "$expected" ] && ! grep -q "'sha256-$expected'" "$project_dir/nginx/production.conf"; then
    say "WARNING: nginx/production.conf's script-src lacks 'sha256-$expected', the hash of"
    say "         public/index.html's import map: the sign-in page would be blocked. Update it."
fi

# The units hide /home and /root (ProtectHome=yes): a binary that loads its Swift runtime from
# there (a toolchain installed by swiftly) would not start under systemd.
if command -v ldd >/dev/null 2>&1 && ldd "$BINARY" 2>/dev/null | grep -Eq '=> (/home|/root)/'; then
    say "WARNING: $BINARY loads libraries from /home or /root, which the systemd units hide"
    say "         (ProtectHome=yes). Build with --static-swift-stdlib or install Swift under /opt or /usr."
fi

say "done. Next: fill in $CONFDIR/env, then follow $DOCDIR/DEPLOYMENT.md (systemctl daemon-reload,"
say "      enable the sockets, install the nginx site)."
