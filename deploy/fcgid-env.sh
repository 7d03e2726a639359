#!/bin/sh
# Turns an environment file (NAME=value lines, as /etc/chatgpt-app/env for systemd) into
# mod_fcgid `FcgidInitialEnv NAME "value"` lines for apache/chatgpt-app.conf:
#
#   fcgid-env.sh /etc/chatgpt-app/env > /etc/chatgpt-app/fcgid-env.conf
#   chmod 600 /etc/chatgpt-app/fcgid-env.conf
#
# Comments, blank lines and empty values are skipped; `export ` and one level of matching
# quotes around a value are removed. A value containing a double quote, a backslash or "${" is
# refused (Apache's quoting and variable expansion cannot carry it unchanged).
set -eu
[ $# -eq 1 ] || { echo "usage: $0 ENV_FILE" >&2; exit 2; }
status=0
while IFS= read -r line || [ -n "$line" ]; do
    line=$(printf '%s' "$line" | sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' -e 's/^export[[:space:]]\{1,\}//')
    case $line in ''|'#'*) continue ;; esac
    name=${line%%=*}
    value=${line#*=}
    case $name in
        *[!A-Za-z0-9_]*|[0-9]*|'') echo "$0: not NAME=value: $name" >&2; status=1; continue ;;
    esac
    case $value in
        \"*\") value=${value#\"}; value=${value%\"} ;;
        \'*\') value=${value#\'}; value=${value%\'} ;;
    esac
    [ -n "$value" ] || continue
    case $value in
        *\"*|*\\*|*'${'*) echo "$0: $name: a value with \", \\ or \${ cannot be passed to mod_fcgid" >&2; status=1; continue ;;
    esac
    printf 'FcgidInitialEnv %s "%s"\n' "$name" "$value"
done < "$1"
exit $status
