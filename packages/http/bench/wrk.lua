-- wrk script for run.mjs: optional rotating bearer tokens and a JSON body, and one JSON
-- summary line at the end (latency in microseconds).
local tokens = {}
local next_token = 1
local body = os.getenv("BENCH_BODY")
local method = os.getenv("BENCH_METHOD") or "GET"
local token_file = os.getenv("BENCH_TOKENS")

function init(args)
  if token_file ~= nil and token_file ~= "" then
    for line in io.lines(token_file) do
      tokens[#tokens + 1] = line
    end
  end
  -- threads start at different tokens so that they do not queue on the same wallets
  next_token = math.random(1, math.max(#tokens, 1))
end

function request()
  local headers = {}
  if body ~= nil and body ~= "" then
    headers["content-type"] = "application/json"
  end
  if #tokens > 0 then
    headers["authorization"] = "Bearer " .. tokens[next_token]
    next_token = next_token % #tokens + 1
  end
  return wrk.format(method, nil, headers, body)
end

function done(summary, latency, requests)
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"non2xx":%d,"errors":%d,"p50_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
