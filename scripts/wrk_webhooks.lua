-- wrk script: correctly signed generic webhooks, each with its own id, read from files that
-- scripts/bench_webhooks.sh writes just before the run (wrk's Lua cannot compute HMAC-SHA256
-- fast enough to keep up). Thread i reads PREFIX.i.tsv, one request a line:
-- "<timestamp>\t<X-Pushback-Signature>\t<JSON body>".
--
--   wrk -t2 -c64 -d20s --latency -s scripts/wrk_webhooks.lua http://127.0.0.1:18080/webhooks/generic -- /tmp/x/requests
--
-- A thread that runs out of lines starts its file again: those requests are redeliveries (the
-- server answers them without writing), so `done` says how many there were; size the files so
-- there are none.

local threads = {}

function setup(thread)
  thread:set("index", #threads)
  table.insert(threads, thread)
end

function init(args)
  prefix = args[1] or error("usage: wrk ... -s wrk_webhooks.lua URL -- REQUESTS_PREFIX")
  path = prefix .. "." .. index .. ".tsv"
  file = assert(io.open(path, "r"))
  wrapped = 0
  non2xx = 0
end

function request()
  local line = file:read("*l")
  if line == nil then
    wrapped = wrapped + 1
    file:close()
    file = assert(io.open(path, "r"))
    line = file:read("*l")
  end
  local ts, sig, body = line:match("^([^\t]*)\t([^\t]*)\t(.*)$")
  local headers = {
    ["Content-Type"] = "application/json",
    ["X-Pushback-Timestamp"] = ts,
    ["X-Pushback-Signature"] = sig,
  }
  return wrk.format("POST", nil, headers, body)
end

function response(status, headers, body)
  if status < 200 or status >= 300 then
    non2xx = non2xx + 1
    if non2xx <= 3 then
      io.stderr:write("status " .. status .. ": " .. body .. "\n")
    end
  end
end

function done(summary, latency, requests)
  local wraps, bad = 0, 0
  for _, t in ipairs(threads) do
    wraps = wraps + (t:get("wrapped") or 0)
    bad = bad + (t:get("non2xx") or 0)
  end
  io.write(string.format("webhooks answered non-2xx: %d\n", bad))
  if wraps > 0 then
    io.write(string.format("WARNING: threads ran out of requests %d time(s) and resent old ones (redeliveries); write more\n", wraps))
  end
  io.write(string.format("p99 %.2f ms, p50 %.2f ms\n", latency:percentile(99) / 1000, latency:percentile(50) / 1000))
end
