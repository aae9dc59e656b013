#!/usr/bin/env bash
# Proxy load benchmark (make bench): the mock upstream directly, nginx, the Portkey gateway and aigw,
# in one run, against the same mock, on loopback. Writes the table into docs/BENCHMARKS.md
# ("## Proxy load"). A report, not a test: nothing here asserts a time.
#
# Usage: bash bench/run.sh BUILD_DIR        (make bench calls: bash bench/run.sh build)
# Env:   AIGW_BENCH_DURATION  seconds per saturation run (default 10)
#        AIGW_BENCH_SERIAL    seconds per serial-latency run (default 5)
#        AIGW_BENCH_TARGETS   subset, e.g. "mock nginx aigw" (default: mock nginx portkey aigw aigw-all)
#        AIGW_BENCH_NO_DOC=1  print the section instead of writing docs/BENCHMARKS.md
#        AIGW_BENCH_KEEP=1    keep the temp dir (configs, logs, raw tool output)
#
# Placement (2-core machine): every proxy runs on core 1 (taskset -c 1), the load generators and the
# mock on core 0, so the proxies compete for the same core and only with themselves. CPU time per
# request is the proxy's utime+stime from /proc/PID/stat (nginx: master + worker; Portkey: the node
# process; aigw: the whole process, all threads) across one load run, divided by the requests that
# run completed.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# free_port (bench/lib.sh; its log() is replaced by this script's own below)
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
BUILD=${1:-build}
case "$BUILD" in /*) ;; *) BUILD="$PWD/$BUILD" ;; esac
DURATION=${AIGW_BENCH_DURATION:-10}
SERIAL=${AIGW_BENCH_SERIAL:-5}
TARGETS=${AIGW_BENCH_TARGETS:-mock nginx portkey aigw aigw-all}
H1_CONNS=64        # wrk -t1 -c64
H2_CONNS=16        # h2load -t1 -c16 -m8: 128 streams in flight
H2_STREAMS=8
STREAM_REQS=20     # sequential SSE requests per target
SSE_GAP_MS=10      # mock pace between SSE events
FIXTURES=${AIGW_BENCH_FIXTURES:-$ROOT/tests/fixtures/providers/openai}
BODY="$ROOT/bench/chat_body.json"
STREAM_BODY="$ROOT/bench/chat_stream_body.json"
LOAD_CPU=0
PROXY_CPU=1
START_TS=$(date +%s)
LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)

TMP=$(mktemp -d /tmp/aigw-bench.XXXXXX)
chmod 755 "$TMP" # nginx workers run as nobody
RESULTS="$TMP/results.tsv"
NOTES="$TMP/notes.txt"
: >"$RESULTS"
: >"$NOTES"
declare -a BG_PIDS=()

log() { printf '[bench %3ds] %s\n' "$(($(date +%s) - START_TS))" "$*" >&2; }
note() { printf '%s\n' "$*" >>"$NOTES"; log "NOTE: $*"; }

cleanup() {
  local p
  for p in "${BG_PIDS[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${BG_PIDS[@]}"; do wait "$p" 2>/dev/null; done
  if [ "${AIGW_BENCH_KEEP:-0}" = 1 ]; then log "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM


# wait_http URL SECONDS [EXPECTED_CODE]: poll until the URL answers (any code, or the expected one).
wait_http() {
  local url=$1 secs=$2 want=${3:-} code
  for _ in $(seq $((secs * 10))); do
    code=$(curl -s -o /dev/null -m 1 -w '%{http_code}' "$url" 2>/dev/null)
    if [ "$code" != 000 ] && { [ -z "$want" ] || [ "$code" = "$want" ]; }; then return 0; fi
    sleep 0.1
  done
  return 1
}

# utime+stime in clock ticks, summed over the given pids and their direct children.
cpu_ticks() {
  local pids=() p
  for p in "$@"; do
    pids+=("$p")
    for c in $(pgrep -P "$p" 2>/dev/null); do pids+=("$c"); done
  done
  local t=0 v
  for p in "${pids[@]}"; do
    [ -r "/proc/$p/stat" ] || continue
    v=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$p/stat" 2>/dev/null) || continue
    t=$((t + ${v:-0}))
  done
  echo "$t"
}
CLK_TCK=$(getconf CLK_TCK)

# record TARGET SCENARIO RPS P50_US P99_US REQUESTS CPU_TICKS ERRORS
record() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$RESULTS"; }

# ---------------------------------------------------------------------------------------------
# Load runs. Each prints one RESULT line that record() stores; the proxy's CPU is sampled around it.

# run_wrk TARGET SCENARIO CONNS SECS URL HEADERS PIDS...
run_wrk() {
  local target=$1 scen=$2 conns=$3 secs=$4 url=$5 headers=$6
  shift 6
  local out="$TMP/$target.$scen.wrk" c0 c1
  c0=$(cpu_ticks "$@")
  AIGW_BENCH_BODY="$BODY" AIGW_BENCH_HEADERS="$headers" \
    taskset -c $LOAD_CPU wrk -t1 -c"$conns" -d"${secs}s" --timeout 5s -s "$ROOT/bench/chat.lua" "$url" >"$out" 2>&1
  c1=$(cpu_ticks "$@")
  local line
  line=$(grep '^RESULT ' "$out" | tail -1)
  if [ -z "$line" ]; then
    note "$target $scen: wrk produced no result ($(tail -1 "$out"))"
    return 1
  fi
  # RESULT requests=N duration_us=N p50_us=N p99_us=N non2xx=N sockerr=N (bench/chat.lua)
  local v=() kv
  for kv in ${line#RESULT }; do v+=("${kv#*=}"); done
  record "$target" "$scen" "$(awk -v r="${v[0]}" -v d="${v[1]}" 'BEGIN { printf "%.0f", r * 1e6 / d }')" \
    "${v[2]}" "${v[3]}" "${v[0]}" "$((c1 - c0))" "$((v[4] + v[5]))"
}

# run_h2load TARGET SCENARIO CONNS STREAMS SECS URL HEADERS PIDS...  (h2c, prior knowledge)
run_h2load() {
  local target=$1 scen=$2 conns=$3 streams=$4 secs=$5 url=$6 headers=$7
  shift 7
  local out="$TMP/$target.$scen.h2load" lf="$TMP/$target.$scen.h2log" c0 c1 hargs=()
  local IFS='|' h
  for h in $headers; do hargs+=(-H "$h"); done
  unset IFS
  c0=$(cpu_ticks "$@")
  taskset -c $LOAD_CPU h2load -t1 -c"$conns" -m"$streams" -D "$secs" -d "$BODY" -H 'content-type: application/json' \
    "${hargs[@]}" --log-file="$lf" "$url" >"$out" 2>&1
  c1=$(cpu_ticks "$@")
  local rps done_n errs pct
  rps=$(sed -n 's/^finished in [^,]*, \([0-9.]*\) req\/s.*/\1/p' "$out")
  done_n=$(sed -n 's/^requests: .* \([0-9]*\) done, .*/\1/p' "$out")
  # failed = non-2xx/3xx status or stream error; errored/timeout = connection trouble
  errs=$(sed -n 's/^requests: .* \([0-9]*\) failed, \([0-9]*\) errored, \([0-9]*\) timeout.*/\1 \2 \3/p' "$out" |
    awk '{ print $1 + $2 + $3 }')
  if [ -z "$rps" ] || [ -z "$done_n" ] || [ ! -s "$lf" ]; then
    note "$target $scen: h2load produced no result ($(grep -m1 -i 'error\|fail' "$out"))"
    return 1
  fi
  # nearest-rank p50/p99 of the per-request durations (3rd column, microseconds)
  pct=$(cut -f3 "$lf" | sort -n | awk '{ v[NR] = $1 } END {
      i50 = int(NR * 0.50); if (i50 < NR * 0.50) i50++; i99 = int(NR * 0.99); if (i99 < NR * 0.99) i99++;
      printf "%d %d", v[i50], v[i99] }')
  record "$target" "$scen" "$(printf '%.0f' "$rps")" ${pct% *} ${pct#* } "$done_n" "$((c1 - c0))" "${errs:-0}"
}

# run_stream TARGET URL HEADERS: sequential SSE requests over one HTTP/1.1 connection (one curl);
# median time to first byte and to the end of the stream, in microseconds.
run_stream() {
  local target=$1 url=$2 headers=$3 args=() h out
  out="$TMP/$target.stream.txt"
  local IFS='|'
  for h in $headers; do args+=(-H "$h"); done
  unset IFS
  for _ in $(seq $STREAM_REQS); do args+=(-o /dev/null "$url"); done
  curl -s --http1.1 -X POST -H 'content-type: application/json' --data-binary "@$STREAM_BODY" \
    -w '%{http_code} %{time_starttransfer} %{time_total} %{size_download}\n' "${args[@]}" >"$out" 2>&1
  local stats
  # medians over the complete responses (HTTP 200, whole fixture); mawk has no asort, so sort(1)
  stats=$(awk '$1 == 200 && $4 > 1000 { printf "%d %d\n", $2 * 1e6, $3 * 1e6 }' "$out" | sort -n -k1,1 |
    awk '{ t[NR] = $1; e[NR] = $2 } END { if (NR == 0) { print "none"; exit } print t[int((NR + 1) / 2)], NR }')
  local total
  total=$(awk '$1 == 200 && $4 > 1000 { printf "%d\n", $3 * 1e6 }' "$out" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
  if [ "$stats" = none ] || [ -z "$stats" ]; then
    note "$target stream: no complete SSE response ($(head -1 "$out"))"
    return 1
  fi
  stats="${stats% *} $total ${stats#* }"
  set -- $stats
  record "$target" "sse" "-" "$1" "$2" "$3" "-" "$((STREAM_REQS - $3))"
}

# sanity TARGET URL HEADERS: one chat request must come back 200 with the fixture's body, so a
# proxy answering 401/404 fast cannot pass for a fast proxy.
sanity() {
  local target=$1 url=$2 headers=$3 args=() h code
  local IFS='|'
  for h in $headers; do args+=(-H "$h"); done
  unset IFS
  code=$(curl -s -m 5 -o "$TMP/$target.sanity" -w '%{http_code}' -X POST -H 'content-type: application/json' \
    --data-binary "@$BODY" "${args[@]}" "$url")
  if [ "$code" != 200 ] || ! grep -q 'chat.completion' "$TMP/$target.sanity"; then
    note "$target: sanity request got HTTP $code ($(head -c 200 "$TMP/$target.sanity" | tr '\n' ' ')); target skipped"
    return 1
  fi
}

# bench_target TARGET H1_URL H2_URL HEADERS PIDS...  (H2_URL "-" when the target has no h2c)
bench_target() {
  local target=$1 h1=$2 h2=$3 headers=$4
  shift 4
  sanity "$target" "$h1" "$headers" || return 1
  log "$target: warm-up"
  AIGW_BENCH_BODY="$BODY" AIGW_BENCH_HEADERS="$headers" \
    taskset -c $LOAD_CPU wrk -t1 -c$H1_CONNS -d1s -s "$ROOT/bench/chat.lua" "$h1" >/dev/null 2>&1
  log "$target: HTTP/1.1 wrk -c$H1_CONNS ${DURATION}s"
  run_wrk "$target" h1 $H1_CONNS "$DURATION" "$h1" "$headers" "$@"
  if [ "$h2" != - ]; then
    log "$target: h2c h2load -c$H2_CONNS -m$H2_STREAMS ${DURATION}s"
    run_h2load "$target" h2 $H2_CONNS $H2_STREAMS "$DURATION" "$h2" "$headers" "$@"
  fi
  if [ "$SERIAL" -gt 0 ]; then # AIGW_BENCH_SERIAL=0: no serial rows (not empty runs)
    log "$target: serial HTTP/1.1 ${SERIAL}s"
    run_wrk "$target" h1serial 1 "$SERIAL" "$h1" "$headers" "$@"
    if [ "$h2" != - ]; then
      log "$target: serial h2c ${SERIAL}s"
      run_h2load "$target" h2serial 1 1 "$SERIAL" "$h2" "$headers" "$@"
    fi
    # The same serial run with the proxy moved onto the load generator's core: on this VM, waking
    # the idle core costs ~90 us per hop, which would otherwise hide most of the proxy's own latency.
    log "$target: serial HTTP/1.1 ${SERIAL}s, proxy on core $LOAD_CPU"
    # (the mock lives on core 0 already and must stay there for the next targets)
    [ "$target" != mock ] && set_affinity $LOAD_CPU "$@"
    run_wrk "$target" h1serial1core 1 "$SERIAL" "$h1" "$headers" "$@"
    [ "$target" != mock ] && set_affinity $PROXY_CPU "$@"
  fi
  log "$target: SSE stream x$STREAM_REQS"
  run_stream "$target" "$h1" "$headers"
  return 0
}

# set_affinity CPU PIDS...: move processes (all threads) and their direct children to one core.
set_affinity() {
  local cpu=$1 p c
  shift
  for p in "$@"; do
    taskset -a -p -c "$cpu" "$p" >/dev/null 2>&1
    for c in $(pgrep -P "$p" 2>/dev/null); do taskset -a -p -c "$cpu" "$c" >/dev/null 2>&1; done
  done
}

stop_pid() {
  kill "$1" 2>/dev/null
  wait "$1" 2>/dev/null
}

# ---------------------------------------------------------------------------------------------
# 1. The mock upstream (C, libh2o): built by CMake; if the tree does not build right now, compile
#    the one file directly so the other rows still get measured.
MOCK_BIN="$BUILD/mock_upstream"
log "building mock_upstream"
if ! cmake --build "$BUILD" --target mock_upstream >"$TMP/mock-build.log" 2>&1; then
  MOCK_BIN="$TMP/mock_upstream"
  # shellcheck disable=SC2046
  if ! cc -std=c11 -O2 -D_GNU_SOURCE -o "$MOCK_BIN" "$ROOT/bench/mock_upstream.c" \
    $(pkg-config --cflags --libs libh2o libuv libssl libcrypto) -lpthread >>"$TMP/mock-build.log" 2>&1; then
    cat "$TMP/mock-build.log" >&2
    log "cannot build the mock upstream; giving up"
    exit 1
  fi
  note "the CMake build failed, mock_upstream was compiled directly with cc -O2"
fi
if [ ! -r "$FIXTURES/chat_completions.response.json" ]; then
  log "fixtures not found in $FIXTURES (set AIGW_BENCH_FIXTURES)"
  exit 1
fi
taskset -c $LOAD_CPU "$MOCK_BIN" --fixtures "$FIXTURES" --sse-gap-ms $SSE_GAP_MS >"$TMP/mock.out" 2>"$TMP/mock.err" &
MOCK_PID=$!
BG_PIDS+=("$MOCK_PID")
for _ in $(seq 50); do grep -q '^port=' "$TMP/mock.out" && break; sleep 0.1; done
MOCK_PORT=$(sed -n 's/^port=//p' "$TMP/mock.out")
if [ -z "$MOCK_PORT" ] || ! wait_http "http://127.0.0.1:$MOCK_PORT/healthz" 5 200; then
  cat "$TMP/mock.err" >&2
  log "mock upstream did not start"
  exit 1
fi
MOCK_URL="http://127.0.0.1:$MOCK_PORT"
log "mock upstream on $MOCK_URL (pid $MOCK_PID, core $LOAD_CPU)"

want() { case " $TARGETS " in *" $1 "*) return 0 ;; esac; return 1; }
PORTKEY_VERSION=""

# 2. Targets, one at a time, each started on core 1 and stopped before the next.
if want mock; then
  bench_target mock "$MOCK_URL/v1/chat/completions" "$MOCK_URL/v1/chat/completions" "" "$MOCK_PID"
fi

if want nginx; then
  if command -v nginx >/dev/null; then
    NG_H1=$(free_port) NG_H2=$(free_port)
    mkdir -p "$TMP/nginx"
    sed -e "s#@PREFIX@#$TMP/nginx#g" -e "s#@H1_PORT@#$NG_H1#g" -e "s#@H2_PORT@#$NG_H2#g" -e "s#@MOCK_PORT@#$MOCK_PORT#g" \
      "$ROOT/bench/nginx.conf.in" >"$TMP/nginx/nginx.conf"
    taskset -c $PROXY_CPU nginx -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -e "$TMP/nginx/nginx-error.log" \
      >"$TMP/nginx/stdout" 2>&1 &
    NG_PID=$!
    BG_PIDS+=("$NG_PID")
    if wait_http "http://127.0.0.1:$NG_H1/healthz" 5 200; then
      log "nginx on $NG_H1 (h1) / $NG_H2 (h2c), master pid $NG_PID, core $PROXY_CPU"
      bench_target nginx "http://127.0.0.1:$NG_H1/v1/chat/completions" "http://127.0.0.1:$NG_H2/v1/chat/completions" \
        "Authorization: Bearer bench-client-key" "$NG_PID"
    else
      note "nginx did not start: $(tail -2 "$TMP/nginx/nginx-error.log" "$TMP/nginx/stdout" 2>/dev/null | tr '\n' ' ')"
    fi
    stop_pid "$NG_PID"
  else
    note "nginx is not installed (scripts/install-deps.sh installs nginx-light)"
  fi
fi

if want portkey; then
  PK_DIR="$ROOT/bench/portkey"
  PK_MAIN="$PK_DIR/node_modules/@portkey-ai/gateway/build/start-server.js"
  pk_ok=1
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    note "Portkey skipped: node/npm not installed"
    pk_ok=0
  elif [ ! -f "$PK_MAIN" ] || ! grep -q '"version": "1.13.8"' "$PK_DIR/node_modules/@hono/node-server/package.json" 2>/dev/null; then
    log "installing Portkey gateway (npm ci in bench/portkey)"
    # --ignore-scripts: the package's only install script is patch-package, and it ships no patches
    if ! (cd "$PK_DIR" && timeout 180 npm ci --ignore-scripts --no-audit --no-fund) >"$TMP/portkey-npm.log" 2>&1; then
      note "Portkey skipped: npm ci failed: $(grep -m1 -i 'err' "$TMP/portkey-npm.log")"
      pk_ok=0
    fi
  fi
  if [ $pk_ok = 1 ]; then
    PORTKEY_VERSION=$(sed -n 's/^ *"version": "\(.*\)",*$/\1/p' "$PK_DIR/node_modules/@portkey-ai/gateway/package.json" | head -1)
    PK_PORT=$(free_port)
    taskset -c $PROXY_CPU node "$PK_MAIN" --port="$PK_PORT" --headless >"$TMP/portkey.log" 2>&1 &
    PK_PID=$!
    BG_PIDS+=("$PK_PID")
    if wait_http "http://127.0.0.1:$PK_PORT/" 20; then
      log "Portkey $PORTKEY_VERSION on $PK_PORT, pid $PK_PID, core $PROXY_CPU"
      bench_target portkey "http://127.0.0.1:$PK_PORT/v1/chat/completions" - \
        "Authorization: Bearer sk-bench|x-portkey-provider: openai|x-portkey-custom-host: $MOCK_URL/v1" "$PK_PID"
    else
      note "Portkey did not start: $(tail -3 "$TMP/portkey.log" | tr '\n' ' ')"
    fi
    stop_pid "$PK_PID"
  fi
fi

if want aigw; then
  AIGW_BIN="$BUILD/aigw"
  if [ -x "$AIGW_BIN" ]; then
    AG_PORT=$(free_port)
    cat >"$TMP/aigw.json" <<EOF
{"listen":[{"host":"127.0.0.1","port":$AG_PORT}],"workers":1,
 "clients":[{"name":"bench","key":"bench-client-key"}],
 "providers":{"openai":{"base_url":"$MOCK_URL","api_key":"sk-bench"}},
 "upstream":{"max_connections":256},
 "access_log":{"path":"/dev/null"}}
EOF
    taskset -c $PROXY_CPU "$AIGW_BIN" serve --config "$TMP/aigw.json" >"$TMP/aigw.log" 2>&1 &
    AG_PID=$!
    BG_PIDS+=("$AG_PID")
    if wait_http "http://127.0.0.1:$AG_PORT/healthz" 10 200; then
      log "aigw on $AG_PORT, pid $AG_PID, core $PROXY_CPU"
      bench_target aigw "http://127.0.0.1:$AG_PORT/v1/chat/completions" "http://127.0.0.1:$AG_PORT/v1/chat/completions" \
        "Authorization: Bearer bench-client-key|X-AIGW-User: bench-user" "$AG_PID"
    else
      note "aigw did not start (GET /healthz != 200): $(tail -3 "$TMP/aigw.log" | tr '\n' ' ')"
    fi
    stop_pid "$AG_PID"
  else
    note "aigw skipped: $AIGW_BIN not built"
  fi
fi

# aigw with every policy on (issue 12): PII scan with tokenize (the shipped default action), the
# encrypted call log with bodies (SQLite store, log_bodies scrubbed), metering (shipped
# gpt-4o-mini price, one user with a large grant): every call reserves before it is forwarded and
# its record and settlement are committed before its last byte.
if want aigw-all; then
  AIGW_BIN="$BUILD/aigw"
  if [ -x "$AIGW_BIN" ] && "$AIGW_BIN" keygen "$TMP/all-master.key" >/dev/null 2>&1; then
    AA_PORT=$(free_port)
    cat >"$TMP/aigw-all.json" <<EOF
{"listen":[{"host":"127.0.0.1","port":$AA_PORT}],"workers":1,
 "clients":[{"name":"bench","key":"bench-client-key"}],
 "providers":{"openai":{"base_url":"$MOCK_URL","api_key":"sk-bench"}},
 "upstream":{"max_connections":256},
 "access_log":{"path":"/dev/null"},
 "pii":{"default_action":"tokenize"},
 "master_key_file":"$TMP/all-master.key",
 "store":{"driver":"sqlite","path":"$TMP/aigw-all.db"},
 "log_bodies":"scrubbed",
 "credits":{"default_grant":1000000000000000}}
EOF
    taskset -c $PROXY_CPU "$AIGW_BIN" serve --config "$TMP/aigw-all.json" >"$TMP/aigw-all.log" 2>&1 &
    AA_PID=$!
    BG_PIDS+=("$AA_PID")
    if wait_http "http://127.0.0.1:$AA_PORT/healthz" 10 200; then
      log "aigw (all policies on) on $AA_PORT, pid $AA_PID, core $PROXY_CPU"
      bench_target aigw-all "http://127.0.0.1:$AA_PORT/v1/chat/completions" "http://127.0.0.1:$AA_PORT/v1/chat/completions" \
        "Authorization: Bearer bench-client-key|X-AIGW-User: bench-user" "$AA_PID"
    else
      note "aigw (all policies on) did not start (GET /healthz != 200): $(tail -3 "$TMP/aigw-all.log" | tr '\n' ' ')"
    fi
    stop_pid "$AA_PID"
    if command -v sqlite3 >/dev/null; then
      db="$TMP/aigw-all.db"
      note "aigw, all policies on, after its runs: $(sqlite3 "$db" "SELECT COUNT(*) FROM calls") call rows, $(sqlite3 "$db" "SELECT COUNT(*) FROM ledger WHERE kind = 'reserve'") reservations, $(sqlite3 "$db" "SELECT COUNT(*) FROM credit_open") open; SUM(ledger) = balance: $(sqlite3 "$db" "SELECT (SELECT SUM(amount_microcredits) FROM ledger WHERE user_id = 'bench-user') = (SELECT balance FROM credit_balances WHERE user_id = 'bench-user')")"
    fi
  else
    note "aigw (all policies on) skipped: $AIGW_BIN not built or keygen failed"
  fi
fi

# 3. Report.
export AIGW_BENCH_DURATION=$DURATION AIGW_BENCH_SERIAL=$SERIAL AIGW_BENCH_CLK_TCK=$CLK_TCK
export AIGW_BENCH_H1_CONNS=$H1_CONNS AIGW_BENCH_H2_CONNS=$H2_CONNS AIGW_BENCH_H2_STREAMS=$H2_STREAMS
export AIGW_BENCH_STREAM_REQS=$STREAM_REQS AIGW_BENCH_SSE_GAP_MS=$SSE_GAP_MS
export AIGW_BENCH_PORTKEY_VERSION=$PORTKEY_VERSION AIGW_BENCH_ELAPSED=$(($(date +%s) - START_TS))
export AIGW_BENCH_BUILD_ARG=${1:-build} AIGW_BENCH_LOAD_BEFORE=$LOAD_BEFORE
DOC="$ROOT/docs/BENCHMARKS.md"
[ "${AIGW_BENCH_NO_DOC:-0}" = 1 ] && DOC=-
python3 "$ROOT/bench/report.py" "$RESULTS" "$NOTES" "$DOC"
bash "$ROOT/bench/bench_meter_load.sh" "$BUILD" # metering off vs on: "## Metering overhead" (bench/bench_meter_load.sh)
