#!/usr/bin/env bash
# Serial latency of aigw with every policy on (issue 12), two or more binaries compared in one run:
# the same config as bench/run.sh's "aigw-all" target (tokenize, encrypted call log with bodies on
# SQLite, metering), one connection (wrk -c1), each binary on a fresh database. The binaries take
# turns (A B, then B A, ...), so a load change on this shared machine falls on both. A report, not
# a test: nothing here asserts a time.
#
# Usage: bash bench/bench_serial.sh BUILD_DIR AIGW_BIN_A [AIGW_BIN_B ...]
# Env:   AIGW_SERIAL_ROUNDS  rounds (default 4; each runs every binary once in every mode)
#        AIGW_SERIAL_MODES   configs, run in turn (default "all"): "all" = every policy on as above;
#                            "bare" = no store, no PII action, no metering; "off" = the call log with
#                            bodies (store only); "on" = "off" + metering (bench_meter_load.sh's modes)
#        AIGW_SERIAL_SECS    seconds per run (default 5), after a 1 s serial warm-up
#        AIGW_SERIAL_CORE    core of the proxy (default 1; 0 puts it on the core of wrk and the mock)
#        AIGW_BENCH_KEEP=1   keep the temp dir
# Prints one line per run (requests; p50 / p90 / p99 / p99.9 / max in us; CPU, user and system us per
# request and context switches per request of the whole aigw process, all threads) and the medians
# per binary; the mock's own serial latency once, for "added" figures.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${1:?usage: bench_serial.sh BUILD_DIR AIGW_BIN_A [AIGW_BIN_B ...]}
shift
[ $# -ge 1 ] || { echo "usage: bench_serial.sh BUILD_DIR AIGW_BIN_A [AIGW_BIN_B ...]" >&2; exit 2; }
case "$BUILD" in /*) ;; *) BUILD="$PWD/$BUILD" ;; esac
ROUNDS=${AIGW_SERIAL_ROUNDS:-4}
SECS=${AIGW_SERIAL_SECS:-5}
CORE=${AIGW_SERIAL_CORE:-1}
MODES=${AIGW_SERIAL_MODES:-all}
FIXTURES=${AIGW_BENCH_FIXTURES:-$ROOT/tests/fixtures/providers/openai}
BODY="$ROOT/bench/chat_body.json"
HEADERS="Authorization: Bearer bench-client-key|X-AIGW-User: bench-user"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
bench_init bench-serial aigw-bench-serial
trap 'exit 130' INT TERM
for tool in wrk taskset curl; do
  command -v $tool >/dev/null || { log "$tool not installed; skipped"; exit 1; }
done
ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13, $12, $13 }' "/proc/$1/stat"; }
# context switches of every thread of the process (voluntary + involuntary)
ctxsw() { cat /proc/$1/task/*/status 2>/dev/null | awk '/^(non)?voluntary_ctxt_switches/ { s += $2 } END { print s + 0 }'; }
wait_up() {
  for _ in $(seq 100); do
    [ "$(curl -s -o /dev/null -m 1 -w '%{http_code}' "$1")" = 200 ] && return 0
    sleep 0.1
  done
  return 1
}
# serial_wrk URL SECS OUT: one connection, the load on core 0; prints the RESULT line's values
serial_wrk() {
  AIGW_BENCH_BODY="$BODY" AIGW_BENCH_HEADERS="$HEADERS" \
    taskset -c 0 wrk -t1 -c1 -d"$2s" --timeout 5s -s "$ROOT/bench/chat.lua" "$1" >"$3" 2>&1
  grep '^RESULT ' "$3" | tail -1
}

cmake --build "$BUILD" --target mock_upstream >/dev/null 2>&1
start_mock taskset -c 0 "$BUILD/mock_upstream" --fixtures "$FIXTURES" || exit 1
MOCK_LINE=$(serial_wrk "http://127.0.0.1:$MOCK_PORT/v1/chat/completions" "$SECS" "$TMP/mock.wrk")
printf 'mock alone: %s\n' "${MOCK_LINE#RESULT }"
"${1}" keygen "$TMP/master.key" >/dev/null || exit 1
CLK=$(getconf CLK_TCK)

: >"$TMP/results.tsv"
# mode_conf MODE DIR: the config members of MODE after "access_log"
mode_conf() {
  case "$1" in
    bare) ;;
    off) printf ',\n "master_key_file":"%s",\n "store":{"driver":"sqlite","path":"%s/aigw.db"},\n "log_bodies":"scrubbed"' "$TMP/master.key" "$2" ;;
    on) printf '%s,\n "credits":{"default_grant":1000000000000000}' "$(mode_conf off "$2")" ;;
    all) printf ',\n "pii":{"default_action":"tokenize"}%s' "$(mode_conf on "$2")" ;;
    *) log "unknown mode $1"; exit 2 ;;
  esac
}
printf 'run\tbinary\trequests\tp50\tp90\tp99\tp99.9\tmax\tcpu_us/req\tuser\tsys\tctxsw/req\n'
for r in $(seq "$ROUNDS"); do
  order=("$@")
  if [ $((r % 2)) = 0 ]; then # every other round in reverse order
    order=()
    for ((i = $#; i >= 1; i--)); do order+=("${!i}"); done
  fi
  n=0
  for mode in $MODES; do
  for bin in "${order[@]}"; do
    n=$((n + 1)) # a directory per run: two binaries from trees both named build/ shared one database
    dir="$TMP/run$r.$n"
    mkdir -p "$dir"
    port=$(free_port)
    cat >"$dir/aigw.json" <<EOF
{"listen":[{"host":"127.0.0.1","port":$port}],"workers":1,
 "clients":[{"name":"bench","key":"bench-client-key"}],
 "providers":{"openai":{"base_url":"http://127.0.0.1:$MOCK_PORT","api_key":"sk-bench"}},
 "upstream":{"max_connections":256},
 "access_log":{"path":"/dev/null"}$(mode_conf "$mode" "$dir")}
EOF
    taskset -c "$CORE" "$bin" serve --config "$dir/aigw.json" >"$dir/aigw.log" 2>&1 &
    pid=$!
    PIDS+=($pid)
    if ! wait_up "http://127.0.0.1:$port/healthz"; then
      log "$bin did not start: $(tail -2 "$dir/aigw.log" | tr '\n' ' ')"
      kill $pid
      continue
    fi
    url="http://127.0.0.1:$port/v1/chat/completions"
    serial_wrk "$url" 1 "$dir/warm.wrk" >/dev/null
    read -r t0 u0 s0 <<<"$(ticks $pid)"
    x0=$(ctxsw $pid)
    line=$(serial_wrk "$url" "$SECS" "$dir/run.wrk")
    read -r t1 u1 s1 <<<"$(ticks $pid)"
    x1=$(ctxsw $pid)
    kill -TERM $pid
    wait $pid 2>/dev/null
    declare -A v=()
    for kv in ${line#RESULT }; do v[${kv%%=*}]=${kv#*=}; done
    n=${v[requests]:-0}
    per() { awk -v t="$1" -v n="$n" -v c="$2" 'BEGIN { if (n > 0) printf "%.1f", t * c / n; else print "-" }'; }
    label=$bin
    [ "$MODES" = all ] || label="$bin:$mode"
    printf 'r%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$label" "$n" "${v[p50_us]:-}" "${v[p90_us]:-}" \
      "${v[p99_us]:-}" "${v[p999_us]:-}" "${v[max_us]:-}" "$(per $((t1 - t0)) $((1000000 / CLK)))" \
      "$(per $((u1 - u0)) $((1000000 / CLK)))" "$(per $((s1 - s0)) $((1000000 / CLK)))" "$(per $((x1 - x0)) 1)" |
      tee -a "$TMP/results.tsv"
    [ "$((v[non2xx] + v[sockerr]))" = 0 ] || log "$bin: ${v[non2xx]} non-2xx, ${v[sockerr]} socket errors"
    unset v
  done
  done
done
echo "medians per binary (p50 / p90 / p99 / p99.9 / max us; CPU, user, system us/req; context switches/req):"
for mode in $MODES; do
for bin in "$@"; do
  b=$bin
  [ "$MODES" = all ] || b="$bin:$mode"
  awk -F'\t' -v b="$b" '$2 == b { for (c = 4; c <= 12; c++) col[c] = col[c] " " $c; n++ }
    END { printf "  %s:", b; for (c = 4; c <= 12; c++) { m = split(col[c], a, " "); for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
      printf " %s", m == 0 ? "-" : (m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2) } printf "  (%d runs)\n", n }' "$TMP/results.tsv"
done
done
