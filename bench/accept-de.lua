-- Negotiates German by header, as a browser does: the translated read
-- without a query string to parse.
wrk.headers["Accept-Language"] = "de"
