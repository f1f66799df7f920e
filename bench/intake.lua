-- wrk script: POST the consultation request in $BODY (a file built from the
-- seeded guide through the API, so its answers are ones the API accepts).
-- Each request comes from its own client address through X-Forwarded-For,
-- as production behind a trusted proxy sees many prospects, so the default
-- per-IP intake limit stays on and never refuses, and with its own email (the
-- prospect's confirmation is capped per address). Any non-2xx response is
-- counted and makes wrk exit with status 1.
local f = assert(io.open(os.getenv("BODY"), "rb"))
local body = f:read("*a")
f:close()

local threads = {}
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  n, bad = 0, 0
  -- the body split around its email, so each request gets its own cheaply
  local at = assert(body:find("ada@example.com", 1, true))
  head, tail = body:sub(1, at + 2) .. "-", body:sub(at + 3)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  n = n + 1
  -- 10.<thread>.<hi>.<lo>, then 11.…: never the same address twice in a run
  local ip = string.format("%d.%d.%d.%d", 10 + math.floor(n / 65536), tid, math.floor(n / 256) % 256, n % 256)
  wrk.headers["X-Forwarded-For"] = ip
  return wrk.format(nil, nil, nil, head .. tid .. "-" .. n .. tail)
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    bad = bad + 1
    if bad == 1 then io.stderr:write("first non-2xx: ", status, " ", body, "\n") end
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("bad") end
  total = total + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  if total > 0 then
    io.stderr:write(string.format("FAIL: %d non-2xx responses or socket errors\n", total))
    os.exit(1)
  end
end
