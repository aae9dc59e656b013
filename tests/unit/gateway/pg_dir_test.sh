#!/usr/bin/env bash
# ctest unit/pg-dir: the throwaway PostgreSQL server's directory (scripts/pg-test-server.sh dir) is one per checkout
# by default, so `make test` in two worktrees at once never stops or reuses the other's server (session 12: every
# checkout shared /tmp/aigw-pg-<uid>); AIGW_PG_DIR overrides it; AIGW_PG_SUFFIX (a suite's, pg_server.h) is appended.
set -euo pipefail
src="$(cd "$(dirname "$0")/../../.." && pwd -P)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for c in a b; do
  mkdir -p "$tmp/$c/scripts"
  cp "$src/scripts/pg-test-server.sh" "$tmp/$c/scripts/"
done
fail() { echo "pg_dir_test: $*" >&2; exit 1; }
a="$(env -u AIGW_PG_DIR AIGW_PG_SUFFIX=store "$tmp/a/scripts/pg-test-server.sh" dir)"
b="$(env -u AIGW_PG_DIR AIGW_PG_SUFFIX=store "$tmp/b/scripts/pg-test-server.sh" dir)"
[ "$a" != "$b" ] || fail "two checkouts share $a"
case "$a" in "/tmp/aigw-pg-$(id -u)-"*-store) ;; *) fail "unexpected default $a" ;; esac
[ "$a" = "$(env -u AIGW_PG_DIR AIGW_PG_SUFFIX=store "$tmp/a/scripts/pg-test-server.sh" dir)" ] || fail "not stable"
[ "$(AIGW_PG_DIR=/tmp/x AIGW_PG_SUFFIX=store "$tmp/a/scripts/pg-test-server.sh" dir)" = /tmp/x-store ] || fail "override"
[ "$(env -u AIGW_PG_SUFFIX AIGW_PG_DIR=/tmp/x "$tmp/a/scripts/pg-test-server.sh" dir)" = /tmp/x ] || fail "no suffix"
echo "pg_dir_test: ok ($a, $b)"
