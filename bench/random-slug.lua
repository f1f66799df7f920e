-- wrk script: GET a random guide among the first N clones (N from the
-- environment, default 1000), so requests spread over many cache entries.
local n = tonumber(os.getenv("SLUGS") or "1000")
math.randomseed(os.time())
request = function()
  return wrk.format("GET", "/api/v1/guides/guide-" .. math.random(1, n))
end
