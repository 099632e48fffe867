-- wrk script for npm run bench:queue: queueStatus for random tickets of the waiting room, as the
-- autocannon phase sends them. The bench writes the request bodies (one JSON document per line) to
-- BENCH_WRK_BODIES; each wrk thread turns them into raw HTTP requests before the run starts, so a
-- request costs wrk no Lua work beyond picking one at random. At the end, one JSON line with counts and
-- latency percentiles (ms) goes to stdout for the bench to read.
local file = os.getenv("BENCH_WRK_BODIES")
local requests = {}

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
  for body in io.lines(file) do
    requests[#requests + 1] = wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, body)
  end
end

function request()
  return requests[math.random(#requests)]
end

function done(summary, latency, _)
  local errors = summary.errors
  io.write(string.format(
    'BENCH_WRK_RESULT {"requests":%d,"durationMicros":%d,"transportErrors":%d,"non2xx":%d,"timeouts":%d,"p50":%.3f,"p90":%.3f,"p99":%.3f,"p999":%.3f,"max":%.3f}\n',
    summary.requests, summary.duration, errors.connect + errors.read + errors.write, errors.status, errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000,
    latency.max / 1000))
end
