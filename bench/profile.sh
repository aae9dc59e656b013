#!/usr/bin/env bash
# Where does aigw's CPU go? Starts the bench mock (core 0) and aigw (core 1, 1 worker, same config
# as bench/run.sh), loads it with wrk (HTTP/1.1, 64 connections) and reports:
#   - CPU time per request (utime+stime from /proc/PID/stat ÷ requests),
#   - syscalls per request (strace -c on a second, shorter run; strace slows the process, the counts
#     per request are what matter),
#   - a perf profile by thread/library and the top symbols (software event cpu-clock, since this VM
#     exposes no hardware counters), with DWARF call graphs in $OUT/perf.data for `perf report`.
# Usage: bash bench/profile.sh BUILD_DIR [ACCESS_LOG_PATH]   (default /dev/null; "" disables the log)
# Env:   AIGW_PROFILE_OUT  directory for raw output (default: a temp dir, kept and printed)
#        AIGW_PROFILE_CONNS  wrk connections (default 64; 1 profiles serial calls)
#        AIGW_PROFILE_ALL=1  every policy on, as bench/run.sh's aigw-all target (tokenize, encrypted call log
#                            with scrubbed bodies on SQLite, metering); the CPU per request is then also printed
#                            per thread (/proc/PID/task/*/stat: the worker's event loop, the store's writer, ...)
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${1:-build}
case "$BUILD" in /*) ;; *) BUILD="$PWD/$BUILD" ;; esac
LOG_PATH=${2-/dev/null}
OUT=${AIGW_PROFILE_OUT:-$(mktemp -d /tmp/aigw-profile.XXXXXX)}
mkdir -p "$OUT"
FIXTURES=${AIGW_BENCH_FIXTURES:-$ROOT/tests/fixtures/providers/openai}
declare -a PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
# "name ticks" for each thread of process $1
thread_ticks() {
  local t
  for t in /proc/"$1"/task/*; do
    awk -v tid="${t##*/}" '{ name = $0; sub(/^[^(]*\(/, "", name); sub(/\).*$/, "", name); sub(/^.*\) /, ""); print tid, name, $12 + $13 }' "$t/stat"
  done
}
requests() { sed -n 's/^RESULT requests=\([0-9]*\).*/\1/p' "$1"; }

if ! cmake --build "$BUILD" --target mock_upstream aigw >"$OUT/build.log" 2>&1; then
  if [ ! -x "$BUILD/aigw" ] || [ ! -x "$BUILD/mock_upstream" ]; then
    tail -20 "$OUT/build.log" >&2
    exit 1
  fi
  echo "warning: the build failed (see $OUT/build.log); profiling the binaries already in $BUILD" >&2
fi
taskset -c 0 "$BUILD/mock_upstream" --fixtures "$FIXTURES" >"$OUT/mock.out" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do grep -q '^port=' "$OUT/mock.out" && break; sleep 0.1; done
MOCK_PORT=$(sed -n 's/^port=//p' "$OUT/mock.out")
PORT=$((20000 + RANDOM % 40000))
cat >"$OUT/aigw.json" <<EOF
{"listen":[{"host":"127.0.0.1","port":$PORT}],"workers":1,
 "clients":[{"name":"bench","key":"bench-client-key"}],
 "providers":{"openai":{"base_url":"http://127.0.0.1:$MOCK_PORT","api_key":"sk-bench"}},
 "upstream":{"max_connections":256},
 "access_log":{"path":"$LOG_PATH"}}
EOF
if [ "${AIGW_PROFILE_ALL:-0}" = 1 ]; then
  rm -f "$OUT/master.key" "$OUT"/aigw.db*
  "$BUILD/aigw" keygen "$OUT/master.key" >/dev/null || exit 1
  python3 - "$OUT/aigw.json" "$OUT" <<'PY'
import json, sys
p, out = sys.argv[1], sys.argv[2]
c = json.load(open(p))
c.update({"pii": {"default_action": "tokenize"}, "master_key_file": out + "/master.key",
          "store": {"driver": "sqlite", "path": out + "/aigw.db"}, "log_bodies": "scrubbed",
          "credits": {"default_grant": 1000000000000000}})
json.dump(c, open(p, "w"))
PY
fi
taskset -c 1 "$BUILD/aigw" serve --config "$OUT/aigw.json" >"$OUT/aigw.log" 2>&1 &
AP=$!
PIDS+=("$AP")
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.1; done
URL="http://127.0.0.1:$PORT/v1/chat/completions"
export AIGW_BENCH_BODY="$ROOT/bench/chat_body.json"
export AIGW_BENCH_HEADERS="Authorization: Bearer bench-client-key|X-AIGW-User: bench-user"
load() { taskset -c 0 wrk -t1 -c"${AIGW_PROFILE_CONNS:-64}" -d"$1" -s "$ROOT/bench/chat.lua" "$URL" >"$2" 2>&1; }

load 1s "$OUT/warmup.txt"
t0=$(ticks "$AP")
thread_ticks "$AP" >"$OUT/threads0.txt"
load 5s "$OUT/wrk.txt"
t1=$(ticks "$AP")
thread_ticks "$AP" >"$OUT/threads1.txt"
n=$(requests "$OUT/wrk.txt")
echo "requests: $n in 5 s; aigw CPU/req: $(awk -v t=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" -v n="$n" 'BEGIN { printf "%.1f us", t * 1e6 / hz / n }')"
echo "CPU/req by thread (thread name: us):"
awk -v hz="$(getconf CLK_TCK)" -v n="$n" 'NR == FNR { t0[$1] = $NF; next }
    { d = $NF - t0[$1]; if (d > 0) printf "  %-16s %6.1f us\n", $2 " (" $1 ")", d * 1e6 / hz / n }' "$OUT/threads0.txt" "$OUT/threads1.txt"

if command -v strace >/dev/null; then
  strace -c -f -p "$AP" -o "$OUT/strace.txt" &
  SP=$!
  sleep 0.3
  load 2s "$OUT/wrk-strace.txt"
  kill -INT "$SP"
  wait "$SP"
  n=$(requests "$OUT/wrk-strace.txt")
  echo "syscalls per request (strace -c, $n requests):"
  awk -v n="$n" '$NF ~ /^[a-z_0-9]+$/ && $4 ~ /^[0-9]+$/ && $NF != "total" {
      calls = $4; errs = (NF == 6) ? $5 : 0; printf "  %-14s %5.2f (errors %.2f)\n", $NF, calls / n, errs / n }' "$OUT/strace.txt"
fi

if command -v perf >/dev/null; then
  taskset -c 0 perf record -e cpu-clock -F 1000 --call-graph dwarf,16384 -p "$AP" -o "$OUT/perf.data" -- sleep 3 \
    >"$OUT/perf-record.log" 2>&1 &
  PP=$!
  load 4s "$OUT/wrk-perf.txt"
  wait "$PP"
  echo "perf: share of aigw's samples by thread and library:"
  perf report -i "$OUT/perf.data" --no-children --sort comm,dso -g none 2>/dev/null | grep '%' | head -12
  echo "perf: inclusive share of selected aigw paths:"
  perf script -i "$OUT/perf.data" 2>/dev/null | awk 'BEGIN { RS = "" }
      { n++
        if (/log_access/) la++
        if (/writer_main/) wm++
        if (/json_loadb/) js++
        if (/curl_multi_socket_action/) cm++
        if (/on_curl_socket/) cs++
        if (/epoll_ctl/) ep++
        if (/h2o_http1|h2o_http2|on_read|on_write/) ho++ }
      END { if (n == 0) exit
        printf "  access log (worker side)  %5.1f%%\n  access log writer thread  %5.1f%%\n", la * 100 / n, wm * 100 / n
        printf "  jansson json_loadb        %5.1f%%\n  curl_multi_socket_action  %5.1f%%\n", js * 100 / n, cm * 100 / n
        printf "  on_curl_socket (uv_poll)  %5.1f%%\n  epoll_ctl                 %5.1f%%\n", cs * 100 / n, ep * 100 / n }'
  echo "perf: top symbols (self):"
  perf report -i "$OUT/perf.data" --no-children --sort sym -g none 2>/dev/null | grep '%' | head -20
fi
echo "raw output in $OUT (perf report -i $OUT/perf.data)"
