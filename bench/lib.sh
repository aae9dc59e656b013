# Shared by the bench scripts (sourced, never run): the temp directory, the background processes
# stopped at exit, free loopback ports. One copy of what each script had written for itself.
#
#   bench_init TAG PREFIX   TMP = a new directory /tmp/PREFIX.XXXXXX; PIDS = () for background
#                           processes; log() prints "[TAG] message" to stderr; at exit every PID is
#                           killed and reaped, bench_cleanup_hook runs if the script defines it, and
#                           TMP is removed unless AIGW_BENCH_KEEP=1.
#   free_port               a loopback port nothing listens on now and not handed out earlier in
#                           this run (ss(8)); fails after 200 tries.
#   start_mock CMD...       runs CMD (a mock_upstream command line, e.g. `taskset -c 0 BUILD/mock_upstream
#                           --fixtures DIR`) in the background, output in TMP/mock.out and TMP/mock.err, its PID
#                           in PIDS; waits up to 5 s for its "port=" line and sets MOCK_PORT. Returns 1 (the
#                           mock's stderr printed, logged) when none came.

bench_init() {
  BENCH_TAG=$1
  TMP=$(mktemp -d "/tmp/$2.XXXXXX")
  PIDS=()
  trap bench_cleanup EXIT
}

log() { printf '[%s] %s\n' "$BENCH_TAG" "$*" >&2; }

bench_cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
  if declare -F bench_cleanup_hook >/dev/null; then bench_cleanup_hook; fi
  if [ "${AIGW_BENCH_KEEP:-0}" = 1 ]; then log "kept $TMP"; else rm -rf "$TMP"; fi
}

declare -A BENCH_USED_PORTS=()
free_port() {
  local p
  for _ in $(seq 200); do
    p=$((20000 + RANDOM % 40000))
    [ -n "${BENCH_USED_PORTS[$p]:-}" ] && continue
    if [ -z "$(ss -Htan "sport = :$p" 2>/dev/null)" ]; then
      BENCH_USED_PORTS[$p]=1
      echo "$p"
      return 0
    fi
  done
  return 1
}

start_mock() {
  "$@" >"$TMP/mock.out" 2>"$TMP/mock.err" &
  PIDS+=($!)
  for _ in $(seq 50); do grep -q '^port=' "$TMP/mock.out" && break; sleep 0.1; done
  MOCK_PORT=$(sed -n 's/^port=//p' "$TMP/mock.out")
  [ -n "$MOCK_PORT" ] && return 0
  cat "$TMP/mock.err" >&2
  log "mock upstream did not start"
  return 1
}
