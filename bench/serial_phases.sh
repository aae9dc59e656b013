#!/usr/bin/env bash
# Where a serial call's wall time goes (issue 12): a timeline of aigw's event loop per call, from the kernel's
# tracepoints (perf record -a -e raw_syscalls:sys_enter/sys_exit, sched:sched_wakeup), no change to aigw. One
# connection (wrk -c1), the mock and wrk on core 0, aigw on core 1, as bench/bench_serial.sh. For each call of the
# worker thread (aigw-w0), bench/serial_phases.py prints the medians of: the wake-up by the client until the request's
# read; read -> the reservation's commit (its first SQLite lock, fcntl) -> the commit's last lock -> the upstream
# sendto; sendto -> the wake-up by the upstream (the mock's time and two cross-core hops) -> recvfrom; recvfrom -> the
# finish commit (record + settlement) -> writev of the response; the writev itself; system calls per call.
# Tracing costs each system call a few µs: compare phases and modes of one run, not absolute times.
# A report, not a test: nothing here asserts a time.
#
# Usage: bash bench/serial_phases.sh BUILD_DIR AIGW_BIN [MODE ...]   (MODE: bare off on all; default "bare all")
# Env:   AIGW_PHASES_SECS  seconds traced per mode (default 1, after 2 s of warm-up)
#        AIGW_BENCH_KEEP=1 keep the temp dir (perf.data, perf script output)
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${1:?usage: serial_phases.sh BUILD_DIR AIGW_BIN [MODE ...]}
AIGW=${2:?usage: serial_phases.sh BUILD_DIR AIGW_BIN [MODE ...]}
shift 2
MODES=${*:-bare all}
case "$BUILD" in /*) ;; *) BUILD="$PWD/$BUILD" ;; esac
SECS=${AIGW_PHASES_SECS:-1}
FIXTURES=${AIGW_BENCH_FIXTURES:-$ROOT/tests/fixtures/providers/openai}
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
bench_init serial-phases aigw-serial-phases
trap 'exit 130' INT TERM
for tool in wrk taskset curl perf python3; do
  command -v $tool >/dev/null || { log "$tool not installed; skipped"; exit 1; }
done
export AIGW_BENCH_BODY="$ROOT/bench/chat_body.json"
export AIGW_BENCH_HEADERS="Authorization: Bearer bench-client-key|X-AIGW-User: bench-user"
cmake --build "$BUILD" --target mock_upstream >/dev/null 2>&1
start_mock taskset -c 0 "$BUILD/mock_upstream" --fixtures "$FIXTURES" || exit 1
"$AIGW" keygen "$TMP/master.key" >/dev/null || exit 1
for mode in $MODES; do
  dir="$TMP/$mode"
  mkdir -p "$dir"
  store=',"master_key_file":"'$TMP/master.key'","store":{"driver":"sqlite","path":"'$dir/aigw.db'"},"log_bodies":"scrubbed"'
  credits=',"credits":{"default_grant":1000000000000000}'
  case $mode in
    bare) extra= ;;
    off) extra=$store ;;
    on) extra=$store$credits ;;
    all) extra=',"pii":{"default_action":"tokenize"}'$store$credits ;;
    *) log "unknown mode $mode"; exit 2 ;;
  esac
  port=$(free_port)
  cat >"$dir/aigw.json" <<J
{"listen":[{"host":"127.0.0.1","port":$port}],"workers":1,"clients":[{"name":"bench","key":"bench-client-key"}],
 "providers":{"openai":{"base_url":"http://127.0.0.1:$MOCK_PORT","api_key":"sk-bench"}},"upstream":{"max_connections":256},
 "access_log":{"path":"/dev/null"}$extra}
J
  taskset -c 1 "$AIGW" serve --config "$dir/aigw.json" >"$dir/aigw.log" 2>&1 &
  pid=$!
  PIDS+=($pid)
  url="http://127.0.0.1:$port/v1/chat/completions"
  for _ in $(seq 100); do
    [ "$(curl -s -o /dev/null -m 1 -w '%{http_code}' "http://127.0.0.1:$port/healthz")" = 200 ] && break
    sleep 0.1
  done
  taskset -c 0 wrk -t1 -c1 -d2s -s "$ROOT/bench/chat.lua" "$url" >/dev/null 2>&1
  perf record -q -a -e raw_syscalls:sys_enter -e raw_syscalls:sys_exit -e sched:sched_wakeup -o "$dir/perf.data" \
    -- sleep $((SECS + 1)) >/dev/null 2>&1 &
  ppid=$!
  sleep 0.3
  line=$(taskset -c 0 wrk -t1 -c1 -d"${SECS}s" -s "$ROOT/bench/chat.lua" "$url" 2>&1 | grep '^RESULT ')
  wait $ppid
  kill -TERM $pid
  wait $pid 2>/dev/null
  perf script -i "$dir/perf.data" -F comm,tid,cpu,time,event,trace >"$dir/perf.txt" 2>/dev/null
  echo "== $mode (${line#RESULT }; under tracing)"
  python3 "$ROOT/bench/serial_phases.py" "$dir/perf.txt"
done
