-- wrk script for scripts/bench-serving.sh: POST /api/v1/search with a distinct (uncached) query per request,
-- the same query shape as scripts/bench_serving.py, and the engine's batch sizes read back from the responses.
-- wrk (C, one event loop per thread) costs the two shared cores far less per request than the Python client.
local moods = {"scary", "funny", "sad", "uplifting", "dark", "quiet", "violent", "romantic", "strange", "slow"}
local genres = {"drama", "comedy", "horror film", "western", "thriller", "musical", "documentary", "war film", "adventure", "mystery"}
local topics = {"a lighthouse", "two brothers", "a heist", "the ocean", "a small town", "space travel", "a chess player",
                "a lost dog", "an election", "a storm", "a band on tour", "a family farm", "a submarine", "a boxer"}
local threads = {}
local tag = os.getenv("BENCH_TAG") or tostring(os.time())

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  counter, batches, batched, statuses, errors = 0, 0, 0, {}, 0
  math.randomseed(id * 7919 + os.time())
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  counter = counter + 1
  local q = string.format("%s %s about %s r%sx%dw%d", moods[math.random(#moods)], genres[math.random(#genres)],
                          topics[math.random(#topics)], tag, id, counter)
  return wrk.format(nil, "/api/v1/search", nil, '{"query":"' .. q .. '","limit":10}')
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  local size = body:match('"batchSize":(%d+)')
  if size and not body:find('"cached":true', 1, true) then batches = batches + tonumber(size); batched = batched + 1 end
end

function done(summary, latency, requests)
  local total, count, codes = 0, 0, {}
  for _, t in ipairs(threads) do
    total = total + t:get("batches"); count = count + t:get("batched")
    for code, n in pairs(t:get("statuses")) do codes[tostring(code)] = (codes[tostring(code)] or 0) + n end
  end
  local parts = {}
  for code, n in pairs(codes) do table.insert(parts, string.format('"%s": %d', code, n)) end
  io.write(string.format('{"run": "wrk-uncached", "requests": %d, "statuses": {%s}, "p50": %.2f, "p90": %.2f, "p99": %.2f, ' ..
    '"max": %.2f, "requestsPerSecond": %.1f, "meanBatchSize": %s, "socketErrors": %d}\n',
    summary.requests, table.concat(parts, ", "), latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, summary.requests / (summary.duration / 1e6),
    count > 0 and string.format("%.2f", total / count) or "null",
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
