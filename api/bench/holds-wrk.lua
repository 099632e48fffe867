-- wrk script for npm run bench:holds: every request is a holdSeats for a seat and a fan no other request
-- of the run uses. The bench writes one file per wrk thread (requests-<n>.txt, "token<TAB>body" per line);
-- each thread turns its lines into raw HTTP requests before the run starts, so a request costs wrk no
-- Lua work beyond handing the next one out. At the end, one JSON line with counts and latency
-- percentiles (ms) goes to stdout for the bench to read.
local dir = os.getenv("BENCH_WRK_DIR")
local threads = 0

function setup(thread)
  thread:set("index", threads)
  threads = threads + 1
end

local requests = {}
local next_request = 0

function init(args)
  for line in io.lines(dir .. "/requests-" .. index .. ".txt") do
    local tab = line:find("\t", 1, true)
    requests[#requests + 1] = wrk.format("POST", nil, {
      ["Content-Type"] = "application/json",
      ["Authorization"] = "Bearer " .. line:sub(1, tab - 1),
    }, line:sub(tab + 1))
  end
end

function request()
  next_request = next_request + 1
  -- Past the end, the last request repeats: it holds nothing (its fan already has a hold) and the
  -- bench counts holds in PostgreSQL, not responses.
  return requests[math.min(next_request, #requests)]
end

function done(summary, latency, _)
  local errors = summary.errors
  io.write(string.format(
    'BENCH_WRK_RESULT {"requests":%d,"durationMicros":%d,"transportErrors":%d,"non2xx":%d,"timeouts":%d,"p50":%.3f,"p95":%.3f,"p99":%.3f}\n',
    summary.requests, summary.duration, errors.connect + errors.read + errors.write, errors.status, errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
