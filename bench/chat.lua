-- wrk script for bench/run.sh: POST a JSON chat body to the URL's path, with the headers the
-- target needs, and print one machine-readable RESULT line when done.
--   AIGW_BENCH_BODY     path of the JSON body (bench/chat_body.json, 1024 bytes)
--   AIGW_BENCH_HEADERS  extra request headers, "Name: value" separated by "|"
-- Latencies from wrk's histogram are in microseconds.
local f = assert(io.open(os.getenv("AIGW_BENCH_BODY"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
for name, value in string.gmatch(os.getenv("AIGW_BENCH_HEADERS") or "", "([^:|]+):%s*([^|]*)") do
   wrk.headers[name] = value
end

function done(summary, latency, requests)
   local e = summary.errors
   -- p90, p99.9 and max come last: bench/run.sh reads the first six values by position
   io.write(string.format("RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d non2xx=%d sockerr=%d"
      .. " p90_us=%d p999_us=%d max_us=%d\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
      e.status, e.connect + e.read + e.write + e.timeout,
      latency:percentile(90), latency:percentile(99.9), latency.max))
end
