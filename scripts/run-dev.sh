#!/usr/bin/env bash
# `make run`: starts aigw on config/aigw.json. Keys come from the environment:
#   AIGW_CLIENT_KEY  the key your backend sends as its "OpenAI API key" (generated into
#                    var/dev-client-key on first run when unset, and printed)
#   OPENAI_API_KEY   your real provider key (optional: without it the provider answers 401)
set -euo pipefail
bin=${1:-build/aigw}
config=${2:-config/aigw.json}
mkdir -p -m 700 var
if [ -z "${AIGW_CLIENT_KEY:-}" ]; then
  if [ ! -s var/dev-client-key ]; then
    umask 077
    head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' | sed 's/^/aigw-dev-/' > var/dev-client-key
  fi
  AIGW_CLIENT_KEY=$(cat var/dev-client-key)
  export AIGW_CLIENT_KEY
  echo "aigw: AIGW_CLIENT_KEY not set; using the development key in var/dev-client-key: $AIGW_CLIENT_KEY" >&2
fi
for role in OPS PRIVACY; do
  var="AIGW_${role}_TOKEN"
  if [ -z "${!var:-}" ]; then
    f="var/dev-$(echo "$role" | tr 'A-Z' 'a-z')-token"
    [ -s "$f" ] || (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$f")
    export "$var=$(cat "$f")"
    echo "aigw: $var not set; using the development token in $f" >&2
  fi
done
key=${AIGW_MASTER_KEY_FILE:-var/master.key}
if [ ! -e "$key" ]; then
  "$bin" keygen "$key" >&2
fi
exec "$bin" serve --config "$config"
