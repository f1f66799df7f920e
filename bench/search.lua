-- wrk script: GET /api/v1/guides?q=$Q alternating two page sizes, so that
-- with VERDICT_CACHE_ENTRIES=1 every request misses the results cache.
local q = os.getenv("Q") or "django"
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/api/v1/guides?q=" .. q .. "&limit=" .. (19 + i % 2))
end
