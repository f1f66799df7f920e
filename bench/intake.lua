-- wrk script: POST a consultation request shaped like a real one.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[{"name":"Ada Lovelace","email":"ada@example.com","company":"Analytical Engines","role":"CTO",
"project_description":"A real-time dashboard for our factory floor. Must scale to many sensors.",
"guide":"node-vs-django","answers":{"realtime":"Yes","team-language":"JavaScript"},
"preferred_technologies":["nodejs"],"request_volume":"1k-100k-per-day","team_language":"javascript",
"timeline":"1-3-months","budget":"10k-50k","consent":true,"utm_source":"bench"}]]
