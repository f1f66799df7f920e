-- wrk script: POST a beacon-sized batch of 10 funnel events (4 views, 3
-- checklist starts, 2 recommendations, 1 CTA click) over random guides
-- among guide-1..guide-N, from one of 10,000 readers (user agents).
local n = tonumber(os.getenv("SLUGS") or "996")
math.randomseed(os.time())
local kinds = { "view", "view", "view", "view", "checklist_start", "checklist_start", "checklist_start", "recommendation", "recommendation", "cta_click" }
request = function()
  local evs = {}
  for i, k in ipairs(kinds) do
    evs[i] = string.format('{"type":"%s","guide":"guide-%d","referrer":"https://news.example.com/p/%d","utm_campaign":"c%d"}',
      k, math.random(1, n), math.random(1, 50), math.random(1, 5))
  end
  local ua = "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/" .. math.random(1, 10000) .. ".0"
  return wrk.format("POST", "/api/v1/events",
    { ["Content-Type"] = "text/plain;charset=UTF-8", ["User-Agent"] = ua, ["Origin"] = "https://blog.example.com" },
    '{"events":[' .. table.concat(evs, ",") .. "]}")
end
