-- wrk script for npm run bench:queue and bench:search (bench/wrk.ts writes the requests to BENCH_WRK_BODIES, one a line):
-- the bearer token (empty for none), a tab, the JSON body. Each wrk thread turns them into raw HTTP
-- requests before the run starts, so a request costs wrk no Lua work beyond picking one.
--   queueStatus and searches: a request picked at random for every send, as the autocannon phases send them;
--   joins (BENCH_WRK_IN_ORDER=1): the requests in file order, each fan once (one thread only); past
--   the last, the order starts again and the bench reports the run as too long for its fans.
-- At the end, one JSON line with counts and latency percentiles (ms) goes to stdout for the bench to read.
local file = os.getenv("BENCH_WRK_BODIES")
local inOrder = os.getenv("BENCH_WRK_IN_ORDER") == "1"
local requests = {}
local sent = 0

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
  for line in io.lines(file) do
    local token, body = line:match("^([^\t]*)\t(.*)$")
    local headers = { ["Content-Type"] = "application/json" }
    if token ~= "" then headers["Authorization"] = "Bearer " .. token end
    requests[#requests + 1] = wrk.format("POST", nil, headers, body)
  end
end

function request()
  if not inOrder then return requests[math.random(#requests)] end
  sent = sent + 1
  return requests[(sent - 1) % #requests + 1]
end

function done(summary, latency, _)
  local errors = summary.errors
  io.write(string.format(
    'BENCH_WRK_RESULT {"requests":%d,"durationMicros":%d,"transportErrors":%d,"non2xx":%d,"timeouts":%d,"p50":%.3f,"p90":%.3f,"p99":%.3f,"p999":%.3f,"max":%.3f}\n',
    summary.requests, summary.duration, errors.connect + errors.read + errors.write, errors.status, errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000,
    latency.max / 1000))
end
