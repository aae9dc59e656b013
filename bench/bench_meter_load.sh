#!/usr/bin/env bash
# Store and metering overhead under load (issues 6 and 12): aigw's CPU per request in three
# configs, in the same run, same config otherwise. A report, not a test: nothing here asserts a time.
#
# "bare": no store, no metering. "off": the SQLite store (master key, call log with bodies).
# "on": the store and "credits": {"default_grant": 10^15} (shipped price of openai/gpt-4o-mini; one
# user, so every call reserves and settles on one balance row). The store's cost per call is
# off - bare (the call record: encryption, insert; the access row), metering's is on - off (price
# lookup and estimate on the loop, the credit table, the reservation and the settlement in the
# journal's group commits). The journal runs on the store's writer thread, which is CPU of the
# process, so the figure that matters is the whole process's CPU per request (utime+stime of all
# threads from /proc/PID/stat); the event-loop thread's own share is reported beside it
# (/proc/PID/task/TID/stat of the worker thread "aigw-w0").
#
# Placement as bench/run.sh and bench/profile.sh: the bench mock upstream (bench/mock_upstream.c)
# and wrk on core 0, aigw (1 worker) on core 1, wrk -t1 -c64 HTTP/1.1 with bench/chat_body.json.
# Runs alternate bare/off/on ROUNDS times (noise from other jobs hits all alike); the section gives
# every run and the median per mode.
#
# Usage: bash bench/bench_meter_load.sh BUILD_DIR      (bench/run.sh calls it at its end)
# Env:   AIGW_BENCH_METER_SECS    seconds per measured run (default 5)
#        AIGW_BENCH_METER_ROUNDS  bare/off/on rounds (default 3)
#        AIGW_BENCH_NO_DOC=1      print the section instead of writing docs/BENCHMARKS.md
#        AIGW_BENCH_KEEP=1        keep the temp dir
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${1:-build}
case "$BUILD" in /*) ;; *) BUILD="$PWD/$BUILD" ;; esac
SECS=${AIGW_BENCH_METER_SECS:-5}
ROUNDS=${AIGW_BENCH_METER_ROUNDS:-3}
FIXTURES=${AIGW_BENCH_FIXTURES:-$ROOT/tests/fixtures/providers/openai}
BODY="$ROOT/bench/chat_body.json"
CLK_TCK=$(getconf CLK_TCK)
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
bench_init bench-meter aigw-bench-meter
trap 'exit 130' INT TERM

# utime+stime (clock ticks) of a whole process, or of one of its threads (PID TID).
ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/${2:+task/$2/}stat" 2>/dev/null || echo 0; }
# minor page faults of a whole process (glibc growing a heap again after trimming it, issue 12 session 13)
minflt() { awk '{ sub(/^.*\) /, ""); print $8 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# "tid name ticks" of every thread of process $1
thread_ticks() {
  local t
  for t in /proc/"$1"/task/*; do
    awk -v tid="${t##*/}" '{ name = $0; sub(/^[^(]*\(/, "", name); sub(/\).*$/, "", name); sub(/^.*\) /, ""); print tid, name, $12 + $13 }' "$t/stat" 2>/dev/null
  done
}
# Per-thread CPU of a run, by role: "loop" (aigw-w0), "writer" (the store's writer, aigw-store; an
# unnamed thread in builds before it was named), "ckpt" (aigw-ckpt), "other" (main, pools, access log).
# Prints "loop writer ckpt other" in ticks from the two thread_ticks snapshots $2 and $3 of process $1.
thread_roles() {
  awk -v pid="$1" 'NR == FNR { t0[$1] = $3; next }
    { d = $3 - ($1 in t0 ? t0[$1] : 0); n = $2
      if (n == "aigw-w0") r = "loop"; else if (n == "aigw-ckpt") r = "ckpt";
      else if (n == "aigw-store" || (n == "aigw" && $1 != pid)) r = "writer"; else r = "other"
      sum[r] += d }
    END { printf "%d %d %d %d\n", sum["loop"], sum["writer"], sum["ckpt"], sum["other"] }' "$2" "$3"
}
# TID of the first thread named NAME (the worker's event loop; libuv's pool threads it starts
# later inherit the name, so take the lowest TID).
tid_named() {
  local t
  for t in $(ls "/proc/$1/task" | sort -n); do
    [ "$(cat "/proc/$1/task/$t/comm" 2>/dev/null)" = "$2" ] && { echo "$t"; return 0; }
  done
  return 1
}

if ! cmake --build "$BUILD" --target mock_upstream aigw >"$TMP/build.log" 2>&1; then
  if [ ! -x "$BUILD/aigw" ] || [ ! -x "$BUILD/mock_upstream" ]; then
    tail -20 "$TMP/build.log" >&2
    log "cannot build aigw / mock_upstream; skipped"
    exit 1
  fi
  log "warning: the build failed; measuring the binaries already in $BUILD"
fi
for tool in wrk taskset; do
  command -v $tool >/dev/null || { log "$tool not installed; skipped"; exit 1; }
done

start_mock taskset -c 0 "$BUILD/mock_upstream" --fixtures "$FIXTURES" || exit 1

"$BUILD/aigw" keygen "$TMP/master.key" >/dev/null || { log "aigw keygen failed"; exit 1; }

# write_config MODE PORT DIR
write_config() {
  local mode=$1 port=$2 dir=$3 extra=""
  [ "$mode" != bare ] && extra=',
 "master_key_file":"'"$TMP/master.key"'",
 "store":{"driver":"sqlite","path":"'"$dir/aigw.db"'"}'
  [ "$mode" = on ] && extra="$extra"',
 "credits":{"default_grant":1000000000000000}'
  cat >"$dir/aigw.json" <<EOF
{"listen":[{"host":"127.0.0.1","port":$port}],"workers":1,
 "clients":[{"name":"bench","key":"bench-client-key"}],
 "providers":{"openai":{"base_url":"http://127.0.0.1:$MOCK_PORT","api_key":"sk-bench"}},
 "upstream":{"max_connections":256},
 "access_log":{"path":"/dev/null"}$extra}
EOF
}

RESULTS="$TMP/results.tsv" # mode run requests secs proc_ticks loop_ticks non2xx p50 p99 writer_ticks ckpt_ticks other_ticks minflt
: >"$RESULTS"
export AIGW_BENCH_BODY="$BODY" AIGW_BENCH_HEADERS="Authorization: Bearer bench-client-key|X-AIGW-User: bench-user"
run_one() {
  local mode=$1 n=$2 dir="$TMP/$1-$2" port
  mkdir -p "$dir"
  port=$(free_port)
  write_config "$mode" "$port" "$dir"
  taskset -c 1 "$BUILD/aigw" serve --config "$dir/aigw.json" >"$dir/aigw.log" 2>&1 &
  local ap=$!
  PIDS+=("$ap")
  local up=0
  for _ in $(seq 100); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz")" = 200 ] && { up=1; break; }
    sleep 0.1
  done
  local url="http://127.0.0.1:$port/v1/chat/completions"
  local code hdr
  code=$(curl -s -D "$dir/sanity.h" -o "$dir/sanity.json" -w '%{http_code}' -X POST -H 'content-type: application/json' \
    -H 'Authorization: Bearer bench-client-key' -H 'X-AIGW-User: bench-user' --data-binary "@$BODY" "$url")
  hdr=$(grep -ci '^x-aigw-credits-charged' "$dir/sanity.h")
  if [ $up = 0 ] || [ "$code" != 200 ] || { [ "$mode" = on ] && [ "$hdr" = 0 ]; } || { [ "$mode" != on ] && [ "$hdr" != 0 ]; }; then
    log "$mode run $n: sanity failed (healthz $up, HTTP $code, credits header $hdr): $(tail -2 "$dir/aigw.log" | tr '\n' ' ')"
    kill "$ap" 2>/dev/null
    wait "$ap" 2>/dev/null
    return 1
  fi
  local loop
  loop=$(tid_named "$ap" aigw-w0)
  taskset -c 0 wrk -t1 -c64 -d1s -s "$ROOT/bench/chat.lua" "$url" >/dev/null 2>&1
  local p0 l0 p1 l1 f0 f1
  thread_ticks "$ap" >"$dir/threads0.txt"
  p0=$(ticks "$ap") l0=$(ticks "$ap" "$loop") f0=$(minflt "$ap")
  taskset -c 0 wrk -t1 -c64 -d"${SECS}s" --timeout 5s -s "$ROOT/bench/chat.lua" "$url" >"$dir/wrk.txt" 2>&1
  p1=$(ticks "$ap") l1=$(ticks "$ap" "$loop") f1=$(minflt "$ap")
  thread_ticks "$ap" >"$dir/threads1.txt"
  local roles
  roles=$(thread_roles "$ap" "$dir/threads0.txt" "$dir/threads1.txt")
  local line v=() kv
  line=$(grep '^RESULT ' "$dir/wrk.txt" | tail -1)
  for kv in ${line#RESULT }; do v+=("${kv#*=}"); done
  if [ ${#v[@]} -lt 6 ]; then
    log "$mode run $n: wrk produced no result"
  else
    local rl=($roles)
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$mode" "$n" "${v[0]}" "${v[1]}" "$((p1 - p0))" "$((l1 - l0))" \
      "$((v[4] + v[5]))" "${v[2]}" "${v[3]}" "${rl[1]:-0}" "${rl[2]:-0}" "${rl[3]:-0}" "$((f1 - f0))" >>"$RESULTS"
    log "$mode run $n: ${v[0]} requests, process $((p1 - p0)) ticks, loop $((l1 - l0)) ticks, errors $((v[4] + v[5]))"
  fi
  if [ "$mode" = on ]; then
    # the ledger must balance after the load (checked once the settlements are done)
    kill -TERM "$ap"
    wait "$ap" 2>/dev/null
    local chk
    chk=$(sqlite3 "$dir/aigw.db" "SELECT (SELECT SUM(amount_microcredits) FROM ledger WHERE user_id = 'bench-user') =
      (SELECT balance FROM credit_balances WHERE user_id = 'bench-user'), (SELECT COUNT(*) FROM credit_open),
      (SELECT COUNT(*) FROM ledger WHERE kind = 'reserve')" 2>&1)
    log "on run $n: ledger sum = balance, open, reserve rows: $chk"
    echo "$n	$chk" >>"$TMP/ledger.txt"
  else
    kill -TERM "$ap"
    wait "$ap" 2>/dev/null
  fi
}

LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)
for r in $(seq "$ROUNDS"); do
  run_one bare "$r"
  run_one off "$r"
  run_one on "$r"
done
LOAD_AFTER=$(cut -d' ' -f1 /proc/loadavg)

export AIGW_BENCH_CLK_TCK=$CLK_TCK AIGW_BENCH_METER_SECS=$SECS AIGW_BENCH_LOAD="$LOAD_BEFORE / $LOAD_AFTER"
# the commit of the measured build's source tree (its CMakeCache), not of this script's tree
BUILD_SRC=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$BUILD/CMakeCache.txt" 2>/dev/null)
export AIGW_BENCH_COMMIT=$(git -C "${BUILD_SRC:-$ROOT}" rev-parse --short HEAD 2>/dev/null || echo unknown)
DOC="$ROOT/docs/BENCHMARKS.md"
[ "${AIGW_BENCH_NO_DOC:-0}" = 1 ] && DOC=-
python3 - "$RESULTS" "$TMP/ledger.txt" "$DOC" <<'PY'
import os, statistics, sys, datetime
res, ledger, doc = sys.argv[1:4]
hz = int(os.environ["AIGW_BENCH_CLK_TCK"])
rows = [l.rstrip("\n").split("\t") for l in open(res) if l.strip()]
runs = {"bare": [], "off": [], "on": []}
for mode, n, reqs, dur, pt, lt, errs, p50, p99, wt, ct, ot, flt in rows:
    reqs = int(reqs)
    if reqs == 0:
        continue
    us = lambda t: int(t) * 1e6 / hz / reqs
    runs[mode].append(dict(n=n, reqs=reqs, rps=reqs * 1e6 / int(dur), proc=us(pt), loop=us(lt), writer=us(wt),
                           ckpt=us(ct), other=us(ot), errs=int(errs), p50=int(p50), p99=int(p99),
                           flt=int(flt) / reqs))
led = [l.split("\t", 1)[1].strip() for l in open(ledger)] if os.path.exists(ledger) else []
out = ["## Metering overhead", ""]
out.append(f"`bash bench/bench_meter_load.sh BUILD` (called at the end of `make bench`), commit "
           f"{os.environ['AIGW_BENCH_COMMIT']}, {datetime.date.today().isoformat()}, load average before/after "
           f"{os.environ['AIGW_BENCH_LOAD']}. aigw with 1 worker on core 1, the bench mock and `wrk -t1 -c64` "
           f"(HTTP/1.1, bench/chat_body.json, {os.environ['AIGW_BENCH_METER_SECS']} s per run) on core 0. "
           "*bare*: no store; *off*: the SQLite store (call log with bodies, encrypted); *on*: the store and "
           "`\"credits\": {\"default_grant\": 10^15}` (shipped gpt-4o-mini price, one user). "
           "CPU/req = utime+stime ÷ completed requests; *process* = all threads (event loop, the store's writer "
           "thread running the journal), *loop* = the worker thread `aigw-w0`, *writer* = the store's writer thread, "
           "*ckpt* = the SQLite checkpointer `aigw-ckpt` (per-thread utime+stime); *faults/req* = the process's "
           "minor page faults ÷ completed requests. Runs alternate bare/off/on. "
           "CPU per request, not req/s, is the figure to compare: the machine is shared with other jobs.")
out.append("")
out.append("| mode | run | req/s | p50 µs | p99 µs | errors | process CPU/req µs | loop | writer | ckpt | faults/req |")
out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for mode in ("bare", "off", "on"):
    for r in runs[mode]:
        out.append(f"| {mode} | {r['n']} | {r['rps']:.0f} | {r['p50']} | {r['p99']} | {r['errs']} | {r['proc']:.1f} | {r['loop']:.1f} "
                   f"| {r['writer']:.1f} | {r['ckpt']:.1f} | {r['flt']:.3f} |")
def med(mode, k):
    v = [r[k] for r in runs[mode]]
    return statistics.median(v) if v else float("nan")
out.append("")
if runs["off"] and runs["on"]:
    dp = med("on", "proc") - med("off", "proc")
    dl = med("on", "loop") - med("off", "loop")
    ds = med("off", "proc") - med("bare", "proc")
    dsl = med("off", "loop") - med("bare", "loop")
    out.append(f"Medians: bare {med('bare', 'proc'):.1f}, off {med('off', 'proc'):.1f}, on {med('on', 'proc'):.1f} "
               f"µs/req (process); event loop {med('bare', 'loop'):.1f} / {med('off', 'loop'):.1f} / "
               f"{med('on', 'loop'):.1f}; throughput {med('bare', 'rps'):.0f} / {med('off', 'rps'):.0f} / "
               f"{med('on', 'rps'):.0f} req/s.")
    out.append("")
    out.append(f"- **The store's cost** (off − bare): **{ds:+.1f} µs/req** process, {dsl:+.1f} µs on the loop, "
               f"writer {med('off', 'writer'):.1f}, checkpointer {med('off', 'ckpt'):.1f} µs "
               f"(issue 12 target ≤ 15 µs: {'met' if ds <= 15 else 'missed'}).")
    out.append(f"- **Metering's cost** (on − off): **{dp:+.1f} µs/req** process, {dl:+.1f} µs on the loop "
               f"(issue 12 target ≤ 5 µs: {'met' if dp <= 5 else 'missed'}).")
if led:
    out.append("")
    out.append("Ledger after each \"on\" run (sum = balance, open reservations, reserve rows): " +
               "; ".join(x.replace("|", ", ") for x in led) + ".")
section = "\n".join(out) + "\n"
if doc == "-":
    print(section)
    sys.exit(0)
text = open(doc).read() if os.path.exists(doc) else "# Benchmarks\n"
start = text.find("## Metering overhead")
if start < 0:
    text = text.rstrip("\n") + "\n\n" + section
else:
    nxt = text.find("\n## ", start + 3)
    text = text[:start] + section + ("\n" + text[nxt + 1:] if nxt >= 0 else "")
open(doc, "w").write(text)
print(section)
PY
