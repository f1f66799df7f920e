#!/usr/bin/env bash
# make bench: Verdict's public reads on PostgreSQL against a minimal Fiber
# program serving the same guide JSON pre-encoded (the ceiling), loaded by
# wrk over loopback with the same duration and connections. Prints req/s,
# p50, p99 and the ratios the issue sets as targets.
set -euo pipefail
shopt -s inherit_errexit # a failed load inside $(…) stops the bench
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
PG=${PG:-postgres://postgres@127.0.0.1:5432}
DB=${BENCH_DB:-verdict_bench}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -qc "CREATE DATABASE $DB"
export VERDICT_DATABASE_URL="$PG/$DB?sslmode=disable"
export VERDICT_JWT_SECRET=bench-secret-bench-secret-bench-secret
export VERDICT_BCRYPT_COST=4 VERDICT_LOG_LEVEL=${VERDICT_LOG_LEVEL:-info}
export VERDICT_SEARCH_RATE_LIMIT=0 # wrk is one address: measure the searches, not the limit
go build -o bin/verdict ./cmd/verdict
go build -o bin/ceiling ./bench/ceiling
go build -o bin/clones ./bench/clones
bin/verdict bootstrap >/dev/null 2>&1
# Two locales, as a site with translations runs; the German guide is read beside the default one.
export VERDICT_LOCALES=en,de
command -v jq >/dev/null || { apt-get update -qq && apt-get install -y -qq jq >/dev/null; }
echo bench-password-123 | bin/verdict user create --email bench-admin@example.com --role admin --password-stdin >/dev/null

# Verdict listens on BENCH_PORT, the ceilings on the next four ports.
VP=${BENCH_PORT:-18090}
CP1=$((VP + 1)) CP2=$((VP + 2)) CP3=$((VP + 3)) CP4=$((VP + 4))
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# fill N: N more published guides, guide-K+1 .. guide-K+N after the K made
# before, loaded by `verdict import` (the path users take) from clones of
# the seeded node-vs-django guide (bench/clones).
filled=0
fill() {
  [ -s bin/seed-export.json ] && [ "$filled" -gt 0 ] || bin/verdict export > bin/seed-export.json
  bin/clones "$1" "$((filled + 1))" < bin/seed-export.json > bin/fill.json
  bin/verdict import bin/fill.json > bin/fill.out || { echo "fill: verdict import failed" >&2; exit 1; }
  filled=$((filled + $1)); rm -f bin/fill.json
  psql "$VERDICT_DATABASE_URL" -qc ANALYZE
}
start_verdict() {
  VERDICT_ADDR=127.0.0.1:$VP bin/verdict serve >/dev/null 2>&1 &
  vpid=$!; pids+=("$vpid")
  for _ in $(seq 100); do curl -sf -o /dev/null http://127.0.0.1:$VP/readyz && return; sleep 0.1; done
  echo "verdict did not start" >&2; exit 1
}
# load URL [script]: prints "rps p50_ms p99_ms"
load() {
  local args=(-t"${THREADS}" -c"${CONNS}" -d"$DURATION" --latency)
  [ -n "${2:-}" ] && args+=(-s "$2")
  wrk "${args[@]}" "$1" | awk -v url="$1" '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /Requests\/sec/ { rps = $2 } $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) }
    /Non-2xx or 3xx responses/ { bad = $NF }
    END { if (bad > 0) { printf "%s: %d non-2xx responses\n", url, bad > "/dev/stderr"; exit 1 }
          printf "%.0f %.3f %.3f\n", rps, p50, p99 }'
}
ROUNDS=${ROUNDS:-2}
# pair VERDICT_URL CEILING_URL [script [ceiling-script]]: alternates the two
# loads ROUNDS times and keeps each side's best run, so that noise from
# other tenants of the machine hits both alike. The ceiling uses script too
# unless it is given its own. Prints "verdict-line|ceiling-line".
pair() {
  local bv="0 0 0" bc="0 0 0" v c
  for _ in $(seq "$ROUNDS"); do
    c=$(load "$2" "${4-${3:-}}"); v=$(load "$1" "${3:-}")
    [ "${c%% *}" -gt "${bc%% *}" ] && bc=$c
    [ "${v%% *}" -gt "${bv%% *}" ] && bv=$v
  done
  echo "$bv|$bc"
}
prow() { local r; r=$(pair "$2" "$3" "${4:-}" "${5-${4:-}}"); row "$1" "${r%%|*}" "${r##*|}"; }
row() { # name verdict-line ceiling-line
  read -r vr v50 v99 <<<"$2"; read -r cr c50 c99 <<<"$3"
  printf "%-34s %9s %8s %8s | %9s %8s %8s | %6.1f%% %5.2fx\n" "$1" "$vr" "$v50" "$v99" "$cr" "$c50" "$c99" \
    "$(echo "100*$vr/$cr" | bc -l)" "$(echo "$v99/$c99" | bc -l)"
}
header() {
  printf "%-34s %9s %8s %8s | %9s %8s %8s | %7s %5s\n" "" "verdict" "p50 ms" "p99 ms" "ceiling" "p50 ms" "p99 ms" "ratio" "p99x"
}

# rendered: waits (at most 5 minutes) until every published guide has its
# stored public JSON, which a fresh instance renders in the background.
rendered() {
  for _ in $(seq 600); do
    [ "$(psql "$VERDICT_DATABASE_URL" -tAc "SELECT count(*) FROM published_guides WHERE public_json IS NULL")" = 0 ] && return
    sleep 0.5
  done
  echo "guides still unrendered after 5 minutes" >&2; exit 1
}
fill 996 # with the 4 seeded guides: 1,000 published guides
export SLUGS=996 # random-slug.lua picks guide-1..guide-996: every request a 200
start_verdict
rendered # measure reads, not the start-up rendering of every guide
curl -sf http://127.0.0.1:$VP/api/v1/guides/node-vs-django -o bin/guide.json
bin/ceiling 127.0.0.1:$CP1 bin/guide.json & pids+=($!)
curl -sf http://127.0.0.1:$VP/g/node-vs-django -o bin/page.html
bin/ceiling 127.0.0.1:$CP2 bin/page.html & pids+=($!)
bash bench/translate.sh http://127.0.0.1:$VP
curl -sf "http://127.0.0.1:$VP/api/v1/guides/node-vs-django?locale=de" -o bin/guide-de.json
grep -q '"locale":"de"' bin/guide-de.json || { echo "the German guide is not served" >&2; exit 1; }
bin/ceiling 127.0.0.1:$CP3 bin/guide-de.json & pids+=($!)
# The reads spread over the clones are measured against a ceiling sending
# each clone's own bytes, fetched from Verdict (one curl, one connection).
rm -rf bin/guides && mkdir -p bin/guides
args=(); for i in $(seq "$SLUGS"); do args+=(-o "bin/guides/guide-$i.json" "http://127.0.0.1:$VP/api/v1/guides/guide-$i"); done
curl -sf "${args[@]}"
bin/ceiling 127.0.0.1:$CP4 bin/guides & pids+=($!)
sleep 0.5
curl -s -o /dev/null "http://127.0.0.1:$VP/api/v1/guides?limit=20"
wrk -t1 -c8 -d2s -s bench/random-slug.lua http://127.0.0.1:$VP >/dev/null # warm the cache

echo "== 1,000 published guides, $CONNS connections, $DURATION each, $(nproc) cores =="
header
prow "GET /api/v1/guides/{slug} (one)" http://127.0.0.1:$VP/api/v1/guides/node-vs-django http://127.0.0.1:$CP1/api/v1/guides/node-vs-django
prow "GET …/{slug} Accept-Language: de" http://127.0.0.1:$VP/api/v1/guides/node-vs-django \
  http://127.0.0.1:$CP3/api/v1/guides/node-vs-django bench/accept-de.lua
prow "GET /api/v1/guides/{slug}?locale=de" "http://127.0.0.1:$VP/api/v1/guides/node-vs-django?locale=de" \
  "http://127.0.0.1:$CP3/api/v1/guides/node-vs-django?locale=de"
prow "GET /api/v1/guides/{slug} (1,000)" http://127.0.0.1:$VP http://127.0.0.1:$CP4 bench/random-slug.lua
prow "GET /g/{slug} (hosted page)" http://127.0.0.1:$VP/g/node-vs-django http://127.0.0.1:$CP2/g/node-vs-django
prow "GET /api/v1/guides?limit=20" "http://127.0.0.1:$VP/api/v1/guides?limit=20" http://127.0.0.1:$CP1/api/v1/guides/node-vs-django
prow "POST …/{slug}/recommendation" http://127.0.0.1:$VP/api/v1/guides/node-vs-django/recommendation \
  http://127.0.0.1:$CP1/api/v1/guides/node-vs-django bench/recommendation.lua ""
rss_small=$(ps -o rss= -p "$vpid")
small=$(load http://127.0.0.1:$VP bench/random-slug.lua)
kill "$vpid"; wait "$vpid" 2>/dev/null || true

goal() { # name value goal-expression: prints the figure and whether it meets its goal
  printf "%-52s %12s   goal %-12s %s\n" "$1" "$2" "$3" "$(if [ "$(echo "$4" | bc -l)" = 1 ]; then echo ok; else echo MISSED; fi)"
}

if [ "${SCALE:-1}" = 1 ]; then
  fill 99000 # 100,000 published guides
  start_verdict
  rendered # the imported guides are rendered by the server in the background
  wrk -t1 -c8 -d2s -s bench/random-slug.lua http://127.0.0.1:$VP >/dev/null
  large=$(load http://127.0.0.1:$VP bench/random-slug.lua)
  rss_large=$(ps -o rss= -p "$vpid")
  read -r _ s50 s99 <<<"$small"; read -r _ l50 l99 <<<"$large"
  echo "== scale: GET of 1,000 hot slugs with 1,000 vs 100,000 published guides =="
  printf "p50 %s -> %s ms (%.2fx), p99 %s -> %s ms (%.2fx), RSS %s -> %s KiB (%.2fx)\n" \
    "$s50" "$l50" "$(echo "$l50/$s50" | bc -l)" "$s99" "$l99" "$(echo "$l99/$s99" | bc -l)" \
    "$rss_small" "$rss_large" "$(echo "$rss_large/$rss_small" | bc -l)"
  # Memory: uniform random reads over all 100,000 guides, default cache.
  SLUGS=99996 load http://127.0.0.1:$VP bench/random-slug.lua >/dev/null
  read -r ur u50 u99 <<<"$(SLUGS=99996 load http://127.0.0.1:$VP bench/random-slug.lua)"
  rss_uniform=$(ps -o rss= -p "$vpid")
  kill "$vpid"; wait "$vpid" 2>/dev/null || true

  echo "== 100,000 published guides: cache misses and search, response cache of one entry =="
  VERDICT_CACHE_ENTRIES=1 start_verdict
  rendered
  read -r mr m50 m99 <<<"$(SLUGS=99996 load http://127.0.0.1:$VP bench/random-slug.lua)"
  goal "GET /api/v1/guides/{random of 100k}, miss: req/s" "$mr" ">= 20000" "$mr >= 20000"
  goal "GET /api/v1/guides/{random of 100k}, miss: p50 ms" "$m50" "<= 3" "$m50 <= 3"
  # Rare: one seeded guide; common: every guide; none: no guide. Two page
  # sizes alternate (bench/search.lua) so that every request misses.
  for w in supabase:rare django:common zzzqqq:none; do
    read -r sr s50 _ <<<"$(Q=${w%%:*} load http://127.0.0.1:$VP bench/search.lua)"
    goal "GET ?q=${w%%:*} (${w##*:}), c$CONNS: p50 ms ($sr req/s)" "$s50" "<= 20" "$s50 <= 20"
    read -r sr s50 _ <<<"$(Q=${w%%:*} CONNS=1 THREADS=1 load http://127.0.0.1:$VP bench/search.lua)"
    goal "GET ?q=${w%%:*} (${w##*:}), c1: p50 ms ($sr req/s)" "$s50" "<= 5" "$s50 <= 5"
  done
  kill "$vpid"; wait "$vpid" 2>/dev/null || true
  goal "RSS after uniform random reads of 100k ($ur req/s): MiB" "$((rss_uniform / 1024))" "<= 150" "$rss_uniform <= 153600"
fi
