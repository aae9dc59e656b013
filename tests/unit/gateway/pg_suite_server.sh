#!/usr/bin/env bash
# ctest fixture of the store suites (CMakeLists.txt, fixture pg_store): starts (start) or stops (stop) the
# PostgreSQL server that tests/unit/gateway/pg_server.h finds for suffix SUFFIX, in the same directory
# (scripts/pg-test-server.sh's, "-SUFFIX" appended: AIGW_PG_SUFFIX), so the suites of one ctest run share one server instead of an initdb each; a suite
# that finds it running neither starts nor stops it. Nothing to do when AIGW_TEST_PG_DSN names a server.
#   pg_suite_server.sh start|stop SUFFIX
set -euo pipefail
[ -n "${AIGW_TEST_PG_DSN:-}" ] && exit 0
here="$(cd "$(dirname "$0")" && pwd)"
AIGW_PG_SUFFIX="$2" exec "$here/../../../scripts/pg-test-server.sh" "$1" >/dev/null
