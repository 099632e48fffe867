-- wrk script for npm run bench:holds: every request is a holdSeats for a seat and a fan no other request
-- of the run uses. The bench writes one file per wrk thread (requests-<n>.txt, "token<TAB>body" per line);
-- each thread turns its lines into raw HTTP requests before the run starts, so a request costs wrk no
-- Lua work beyond handing the next one out. At the end, one JSON line with counts and latency
-- percentiles (ms) goes to stdout for the bench to read.
--
-- Churn (BENCH_WRK_CHURN=1, BENCH_MODE=churn): every fan releases the hold it got. Lines are then
-- "token<TAB>seat id<TAB>body"; each hold's answer (its id and seat) queues that fan's releaseHold, and
-- the next connection free sends it before any new hold, so at most a connection's worth of holds is
-- ever waiting to be released. Releases that come back with errors are counted.
local dir = os.getenv("BENCH_WRK_DIR")
local churn = os.getenv("BENCH_WRK_CHURN") == "1"
local threads = {}

function setup(thread)
  thread:set("index", #threads)
  threads[#threads + 1] = thread
end

local requests = {}
local next_request = 0
local token_of_seat = {}
-- A queue with explicit ends: `#` is not a queue's length once its head has been cleared.
local releases = {}
local releases_head = 1
local releases_tail = 0
releases_sent = 0
releases_failed = 0

function init(args)
  for line in io.lines(dir .. "/requests-" .. index .. ".txt") do
    local tab = line:find("\t", 1, true)
    local token = line:sub(1, tab - 1)
    local body = line:sub(tab + 1)
    if churn then
      local second = body:find("\t", 1, true)
      token_of_seat[body:sub(1, second - 1)] = token
      body = body:sub(second + 1)
    end
    requests[#requests + 1] = wrk.format("POST", nil, {
      ["Content-Type"] = "application/json",
      ["Authorization"] = "Bearer " .. token,
    }, body)
  end
end

function request()
  if releases_head <= releases_tail then
    local release = releases[releases_head]
    releases[releases_head] = nil
    releases_head = releases_head + 1
    releases_sent = releases_sent + 1
    return release
  end
  next_request = next_request + 1
  -- Past the end, the last request repeats: it holds nothing (its fan already has a hold) and the
  -- bench counts holds in PostgreSQL, not responses.
  return requests[math.min(next_request, #requests)]
end

if churn then
  local RELEASE = 'mutation($id: ID!) { releaseHold(holdId: $id) { ok errors { code } } }'
  function response(status, headers, body)
    local hold = body:match('"hold":{"id":"([^"]+)"')
    if hold then
      local seat = body:match('"seat":{"id":"([^"]+)"')
      releases_tail = releases_tail + 1
      releases[releases_tail] = wrk.format("POST", nil, {
        ["Content-Type"] = "application/json",
        ["Authorization"] = "Bearer " .. token_of_seat[seat],
      }, '{"query":"' .. RELEASE .. '","variables":{"id":"' .. hold .. '"}}')
    elseif body:find('"releaseHold":{"ok":false', 1, true) then
      releases_failed = releases_failed + 1
    end
  end
end

function done(summary, latency, _)
  local errors = summary.errors
  local sent, failed = 0, 0
  for _, thread in ipairs(threads) do
    sent = sent + (thread:get("releases_sent") or 0)
    failed = failed + (thread:get("releases_failed") or 0)
  end
  io.write(string.format(
    'BENCH_WRK_RESULT {"requests":%d,"durationMicros":%d,"transportErrors":%d,"non2xx":%d,"timeouts":%d,"p50":%.3f,"p95":%.3f,"p99":%.3f,"releasesSent":%d,"releasesFailed":%d}\n',
    summary.requests, summary.duration, errors.connect + errors.read + errors.write, errors.status, errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, sent, failed))
end
