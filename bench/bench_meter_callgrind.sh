#!/usr/bin/env bash
# Instructions per request (callgrind) of aigw in three configs: "bare" (no store), "off" (the
# SQLite store: encrypted call log with bodies) and "on" (store + metering), so the store's and
# metering's costs per call are differences of instruction counts, which other jobs on this
# shared machine do not disturb (unlike CPU time). A report, not a test.
#
# aigw (1 worker) runs under valgrind --tool=callgrind with instrumentation off; after a warm-up of
# WARM requests, instrumentation is switched on (callgrind_control -i on) for N serial requests
# (curl, one connection) and off again; SIGTERM then dumps. Instructions of all threads (loop,
# store writer) are counted. Serial load: every request is its own journal transaction, the worst
# case for group commit; under concurrency transactions are shared and the per-call cost falls.
#
# With AIGW_CG_WRK=C the measured requests are instead AIGW_CG_WRK_SECS (default 10) seconds of
# `wrk -t1 -cC` (bench/chat.lua, the same body) while instrumentation is on: concurrent calls share
# journal transactions, so the counts are the per-row cost that remains under load (the number of
# requests is wrk's; under valgrind a few hundred per run).
#
# Usage: bash bench/bench_meter_callgrind.sh BUILD_DIR [AIGW_BIN]
# With AIGW_CG_STRACE=1 aigw runs under `strace -f -c` instead (no callgrind) and the system calls
# per request of the whole run (start-up and warm-up included: use AIGW_CG_WARM=0) are printed:
# pwrite64 (SQLite's WAL frames), fcntl (its locks: 6 per write transaction), futex (thread wake-ups),
# fdatasync. Only these four are traced (--seccomp-bpf: the others run at full speed, so a load run's
# batches are not made bigger by strace slowing everything down).
# Mode "all" is bench/run.sh's aigw-all target: "on" with pii.default_action tokenize and log_bodies scrubbed.
# With AIGW_CG_THREADS=1 each thread gets its own output (TMP/MODE/cg.out-NN; the event loop is the worker's
# thread, told apart by gw_proxy_on_req in its annotation) and the per-thread instructions are printed.
# Env:   AIGW_CG_REQUESTS (default 300), AIGW_CG_WARM (default 50), AIGW_CG_MODES (default "bare off on"; or "all"),
#        AIGW_CG_EXTRA (JSON members appended to the config of every mode but bare, e.g. ',"log_bodies":"none"'),
#        AIGW_BENCH_KEEP=1 keeps the callgrind outputs (callgrind_annotate TMP/MODE/cg.out*)
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${1:-build}
case "$BUILD" in /*) ;; *) BUILD="$PWD/$BUILD" ;; esac
AIGW=${2:-$BUILD/aigw}
N=${AIGW_CG_REQUESTS:-300}
WARM=${AIGW_CG_WARM:-50}
FIXTURES=${AIGW_BENCH_FIXTURES:-$ROOT/tests/fixtures/providers/openai}
BODY="$ROOT/bench/chat_body.json"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
bench_init bench-cg aigw-bench-cg
STRACE=${AIGW_CG_STRACE:-0}
TOOLS="valgrind callgrind_control curl"
[ -n "${AIGW_CG_WRK:-}" ] && TOOLS="$TOOLS wrk"
[ "$STRACE" = 1 ] && TOOLS="strace curl"
for tool in $TOOLS; do
  command -v $tool >/dev/null || { log "$tool not installed; skipped"; exit 1; }
done
cmake --build "$BUILD" --target mock_upstream >/dev/null 2>&1
start_mock "$BUILD/mock_upstream" --fixtures "$FIXTURES" || exit 1
"$AIGW" keygen "$TMP/master.key" >/dev/null || exit 1

# N identical POSTs over one connection (one curl; its options apply to every URL)
reqs() {
  local n=$1 args=() i
  [ "$n" -gt 0 ] || return 0
  for i in $(seq "$n"); do args+=(-o /dev/null "http://127.0.0.1:$PORT/v1/chat/completions"); done
  curl -s "${hdr[@]}" -w '%{http_code}\n' "${args[@]}"
}

run() {
  local mode=$1 extra="" dir="$TMP/$1"
  mkdir -p "$dir"
  [ "$mode" != bare ] && extra=',"master_key_file":"'"$TMP/master.key"'","store":{"driver":"sqlite","path":"'"$dir/aigw.db"'"}'
  [ "$mode" = on ] || [ "$mode" = all ] && extra="$extra"',"credits":{"default_grant":1000000000000000}'
  # "all": bench/run.sh's aigw-all target (tokenize, encrypted call log with scrubbed bodies, metering)
  [ "$mode" = all ] && extra="$extra"',"pii":{"default_action":"tokenize"},"log_bodies":"scrubbed"'
  [ "$mode" != bare ] && extra="$extra${AIGW_CG_EXTRA:-}"
  PORT=$((20000 + RANDOM % 40000))
  cat >"$dir/aigw.json" <<EOF
{"listen":[{"host":"127.0.0.1","port":$PORT}],"workers":1,"clients":[{"name":"bench","key":"bench-client-key"}],
 "admin_tokens":[{"role":"ops","token":"bench-ops-token"}],
 "providers":{"openai":{"base_url":"http://127.0.0.1:$MOCK_PORT","api_key":"sk-bench"}},
 "access_log":{"path":"/dev/null"}$extra}
EOF
  local wrap=(valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$dir/cg.out")
  [ "${AIGW_CG_THREADS:-0}" = 1 ] && wrap+=(--separate-threads=yes)
  [ "$STRACE" = 1 ] && wrap=(strace -f -c --seccomp-bpf -e trace=pwrite64,fcntl,futex,fdatasync -o "$dir/strace.txt")
  (cd "$dir" && exec "${wrap[@]}" "$AIGW" serve --config "$dir/aigw.json" >"$dir/aigw.log" 2>&1) &
  local vp=$!
  local up=0
  for _ in $(seq 600); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/healthz")" = 200 ] && { up=1; break; }
    sleep 0.1
  done
  [ $up = 1 ] || { log "$mode: aigw did not start under valgrind"; kill $vp; return 1; }
  local hdr=(-X POST -H 'content-type: application/json' -H 'Authorization: Bearer bench-client-key'
    -H 'X-AIGW-User: bench-user' --data-binary "@$BODY")
  reqs "$WARM" >"$dir/warm.codes"
  local vgpid
  vgpid=$(pgrep -P $vp -f 'aigw serve' | head -1)
  [ -n "$vgpid" ] || vgpid=$vp
  [ "$STRACE" = 1 ] || callgrind_control -i on "$vgpid" >"$dir/cgc.log" 2>&1
  if [ -n "${AIGW_CG_WRK:-}" ]; then
    AIGW_BENCH_BODY="$BODY" AIGW_BENCH_HEADERS="Authorization: Bearer bench-client-key|X-AIGW-User: bench-user" \
      wrk -t1 -c"$AIGW_CG_WRK" -d"${AIGW_CG_WRK_SECS:-10}s" --timeout 30s -s "$ROOT/bench/chat.lua" \
      "http://127.0.0.1:$PORT/v1/chat/completions" >"$dir/wrk.txt" 2>&1
    local line
    line=$(grep '^RESULT ' "$dir/wrk.txt" | tail -1)
    # one "200" line per request that was answered with 2xx, as the serial mode writes them
    awk -v l="$line" 'BEGIN { split(l, f, /[ =]/); for (i = 1; i < length(f); i++) { if (f[i] == "requests") r = f[i + 1];
      if (f[i] == "non2xx") e = f[i + 1] }; for (i = 0; i < r - e; i++) print 200 }' >"$dir/codes"
  else
    reqs "$N" >"$dir/codes"
  fi
  sleep 1 # the journal's last commit, the writer's last records
  [ "$STRACE" = 1 ] || callgrind_control -i off "$vgpid" >>"$dir/cgc.log" 2>&1
  curl -s -m 5 -H "Authorization: Bearer bench-ops-token" "http://127.0.0.1:$PORT/metrics" >"$dir/metrics.txt" 2>/dev/null # the store's counters (transactions, turns)
  kill -TERM "$vgpid" 2>/dev/null
  wait $vp 2>/dev/null
  local ok ir
  ok=$(grep -c '^200$' "$dir/codes")
  if [ "$STRACE" = 1 ]; then
    # per request answered: N + WARM serial requests, or what wrk completed (its 2xx answers)
    local n=$((N + WARM))
    [ -n "${AIGW_CG_WRK:-}" ] && n=$((ok + WARM))
    [ "$n" -gt 0 ] || n=1
    log "$mode: system calls of the whole run over $n requests"
    awk -v m="$mode" -v n="$n" '$NF ~ /^(pwrite64|fcntl|futex|fdatasync)$/ { printf "%s: %s %.2f per request\n", m, $NF, $4 / n }' \
      "$dir/strace.txt"
    # the store's write transactions (aigw_store_transactions_total; binaries before issue 12 session 7 lack it)
    awk -v m="$mode" -v n="$n" '/^aigw_store_transactions_total / { printf "%s: write transactions %.3f per request\n", m, $2 / n }
      /^aigw_store_turns_total/ { printf "%s: %s %s\n", m, $1, $2 }' "$dir/metrics.txt"
    return 0
  fi
  ir=$(sed -n 's/^totals: \([0-9]*\).*/\1/p' "$dir/cg.out"* 2>/dev/null | awk '{ s += $1 } END { print s + 0 }')
  printf '%s\t%s\t%s\n' "$mode" "$ok" "$ir" >>"$TMP/results.tsv"
  local asked=$N
  [ -n "${AIGW_CG_WRK:-}" ] && asked="$ok (wrk)"
  log "$mode: $ok of $asked requests 200, $ir instructions"
  if [ "${AIGW_CG_THREADS:-0}" = 1 ]; then
    local f t
    for f in "$dir"/cg.out*; do
      t=$(sed -n 's/^totals: \([0-9]*\).*/\1/p' "$f")
      [ "${t:-0}" -gt 0 ] || continue
      printf '%s thread %s: %.0f instructions/request%s\n' "$mode" "${f##*-}" "$(echo "$t / ${ok/#0/1}" | bc -l)" \
        "$(grep -q 'fn=.*gw_proxy_on_req' "$f" && echo ' (event loop)')" >&2
    done
  fi
  if [ "${AIGW_CG_ANNOTATE:-0}" = 1 ]; then callgrind_annotate "$dir/cg.out" 2>/dev/null | head -40 >&2; fi
}

: >"$TMP/results.tsv"
for m in ${AIGW_CG_MODES:-bare off on}; do run $m; done
[ "$STRACE" = 1 ] && exit 0
awk -F'\t' '{ ir[$1] = $3; n[$1] = $2 } END {
  for (m in ir) if (n[m] > 0) per[m] = ir[m] / n[m];
  printf "instructions per request (callgrind, %d / %d / %d requests, all threads):\n", n["bare"], n["off"], n["on"];
  printf "  bare %.0f\n  off  %.0f  (store: %+.0f)\n  on   %.0f  (metering: %+.0f)\n",
    per["bare"], per["off"], per["off"] - per["bare"], per["on"], per["on"] - per["off"];
  if ("all" in per) printf "  all  %.0f  (all policies on: %+.0f over bare)\n", per["all"], per["all"] - per["bare"] }' "$TMP/results.tsv"
