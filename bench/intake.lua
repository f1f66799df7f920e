-- wrk script: POST a consultation request shaped like a real one, each
-- from its own address (the prospect's confirmation is capped per address).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local body = [[{"name":"Ada Lovelace","email":"ada-%d-%d@example.com","company":"Analytical Engines","role":"CTO",
"project_description":"A real-time dashboard for our factory floor. Must scale to many sensors.",
"guide":"node-vs-django","answers":{"realtime":"yes","team-language":"javascript"},
"preferred_technologies":["nodejs"],"request_volume":"1k-100k-per-day","team_language":"javascript",
"timeline":"1-3-months","budget":"10k-50k","consent":true,"utm_source":"bench"}]]
local n, threads = 0, 0
id = 0 -- set per thread by setup, so that addresses differ between threads
setup = function(thread) threads = threads + 1; thread:set("id", threads) end
request = function()
  n = n + 1
  return wrk.format(nil, nil, nil, string.format(body, id, n))
end
