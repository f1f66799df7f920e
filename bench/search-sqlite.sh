#!/usr/bin/env bash
# make bench, SQLite search rows: the search goals of run.sh's 100,000-guide
# section on SQLite. A bootstrapped SQLite database is filled with clones of
# the seed guide by bench/fill-sqlite.sql (SQL, faster to load than
# `verdict import`, which run.sh uses on PostgreSQL), then wrk asks ?q= for a rare word (one guide), a common
# one (every guide) and one with no match, every request a results-cache
# miss (bench/search.lua alternates two page sizes; one cache entry).
set -euo pipefail
shopt -s inherit_errexit # a failed load inside $(…) stops the bench
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
GUIDES=${GUIDES:-100000}
ADDR=${SEARCH_SQLITE_ADDR:-127.0.0.1:18095}
DIR=${SEARCH_SQLITE_DIR:-bin/bench-search-sqlite}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v sqlite3 >/dev/null || { apt-get update -qq && apt-get install -y -qq sqlite3 >/dev/null; }

rm -rf "$DIR" && mkdir -p "$DIR"
export VERDICT_DATABASE_URL="sqlite:$DIR/verdict.db"
export VERDICT_JWT_SECRET=bench-secret-bench-secret-bench-secret
export VERDICT_BCRYPT_COST=4 VERDICT_LOG_LEVEL=${VERDICT_LOG_LEVEL:-info}
export VERDICT_SEARCH_RATE_LIMIT=0 # wrk is one address: measure the searches, not the limit
go build -o bin/verdict ./cmd/verdict
bin/verdict bootstrap >/dev/null 2>&1

vpid=
cleanup() { [ -n "$vpid" ] && kill "$vpid" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT
start_verdict() {
  VERDICT_ADDR=$ADDR bin/verdict serve >/dev/null 2>&1 &
  vpid=$!
  for _ in $(seq 100); do curl -sf -o /dev/null "http://$ADDR/readyz" && return; sleep 0.1; done
  echo "verdict did not start" >&2; exit 1
}
stop_verdict() { kill "$vpid"; wait "$vpid" 2>/dev/null || true; vpid=; }
# rendered: waits (at most 5 minutes) until every published guide has its
# stored public JSON, which a fresh instance renders in the background.
rendered() {
  for _ in $(seq 600); do
    [ "$(sqlite3 "$DIR/verdict.db" "SELECT count(*) FROM published_guides WHERE public_json IS NULL")" = 0 ] && return
    sleep 0.5
  done
  echo "guides still unrendered after 5 minutes" >&2; exit 1
}
# load URL script: prints "rps p50_ms p99_ms", failing on any non-2xx
load() {
  wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s "$2" "$1" | awk -v url="$1" '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /Requests\/sec/ { rps = $2 } $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) }
    /Non-2xx or 3xx responses/ { bad = $NF }
    END { if (bad > 0) { printf "%s: %d non-2xx responses\n", url, bad > "/dev/stderr"; exit 1 }
          printf "%.0f %.3f %.3f\n", rps, p50, p99 }'
}
goal() { # name value goal-text goal-expression
  printf "%-52s %12s   goal %-12s %s\n" "$1" "$2" "$3" "$(if [ "$(echo "$4" | bc -l)" = 1 ]; then echo ok; else echo MISSED; fi)"
}

start_verdict
rendered # the seed guide's rendering, which fill-sqlite.sql copies
stop_verdict
sqlite3 -cmd ".parameter set :n $((GUIDES - 4))" "$DIR/verdict.db" <bench/fill-sqlite.sql >/dev/null
VERDICT_CACHE_ENTRIES=1 start_verdict
rendered
echo "== SQLite, $GUIDES published guides: search, response cache of one entry =="
for w in supabase:rare django:common zzzqqq:none; do
  read -r sr s50 _ <<<"$(Q=${w%%:*} load "http://$ADDR" bench/search.lua)"
  goal "SQLite GET ?q=${w%%:*} (${w##*:}), c$CONNS: p50 ms ($sr req/s)" "$s50" "<= 20" "$s50 <= 20"
  read -r sr s50 _ <<<"$(Q=${w%%:*} CONNS=1 THREADS=1 load "http://$ADDR" bench/search.lua)"
  goal "SQLite GET ?q=${w%%:*} (${w##*:}), c1: p50 ms ($sr req/s)" "$s50" "<= 5" "$s50 <= 5"
done
