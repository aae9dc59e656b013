#!/usr/bin/env bash
# Integration tests: the real aigw binary, the mock provider and the official openai SDK.
# Usage: tests/integration/run.sh [AIGW_BIN]   (ctest passes the binary path as $1)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BIN=${1:-${AIGW_BIN:-$HERE/../../build/aigw}}
case "$BIN" in /*) ;; *) BIN="$(pwd)/$BIN" ;; esac
if [ ! -x "$BIN" ]; then
  echo "run.sh: aigw binary not found or not executable: $BIN" >&2
  exit 2
fi
export AIGW_BIN="$BIN"
cd "$HERE"
# Install the pinned SDK from package-lock.json when missing or older than the lock.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
# Logs of this run under artifacts/<time>-<pid>/ (artifacts/latest points at it); keep the last 5.
RUN_ID="$(date +%Y%m%d-%H%M%S)-$$"
mkdir -p artifacts
export AIGW_ARTIFACTS="$HERE/artifacts/$RUN_ID"
mkdir -p "$AIGW_ARTIFACTS"
ln -sfn "$RUN_ID" artifacts/latest
find artifacts -mindepth 1 -maxdepth 1 -type d -name '[0-9]*-*' -printf '%f\n' | sort | head -n -5 |
  while read -r old; do rm -rf "artifacts/$old"; done
# Directories of direct `node --test` runs (manual-<pid>) are dropped after a day.
find artifacts -mindepth 1 -maxdepth 1 -type d -name 'manual-*' -mmin +1440 -exec rm -rf {} +
# --test-force-exit: a test file whose tests all finished exits even if something keeps its event loop
# busy (a journal.test.mjs child once spun for 10+ minutes after its last aigw and mock had exited,
# with only stdio handles left, stalling the whole suite until ctest's timeout).
exec node --test --test-force-exit --test-concurrency=1 ./*.test.mjs
