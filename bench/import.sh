#!/usr/bin/env bash
# make bench, part three: `verdict import` of N (default 10,000) guides into
# an empty SQLite file and an empty PostgreSQL database, and of LARGE_N
# (default 100,000; 0 skips) into PostgreSQL, each timed with its peak RSS;
# then search on the imported SQLite file (each clone has a word of its own,
# zq<i>x, so a rare word is really rare). The files are made from the
# seeded guide by `verdict export` and bench/clones, so they stay valid.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."

N=${IMPORT_N:-10000}
LARGE_N=${IMPORT_LARGE_N:-100000}
PG=${PG:-postgres://postgres@127.0.0.1:5432}
DB=${IMPORT_DB:-verdict_bench_import}
PORT=${IMPORT_PORT:-18094}
WORK=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
export VERDICT_JWT_SECRET=bench-secret-bench-secret-bench-secret VERDICT_BCRYPT_COST=4 VERDICT_LOG_LEVEL=warn VERDICT_SEARCH_RATE_LIMIT=0
go build -o bin/verdict ./cmd/verdict
go build -o bin/clones ./bench/clones
VERDICT_DATABASE_URL="sqlite:$WORK/seed.db" bin/verdict bootstrap >/dev/null 2>&1
VERDICT_DATABASE_URL="sqlite:$WORK/seed.db" bin/verdict export > "$WORK/seed.json"
bin/clones "$N" < "$WORK/seed.json" > "$WORK/content.json"

goal() { printf "%-52s %12s   goal %-12s %s\n" "$1" "$2" "$3" "$(if [ "$(echo "$4" | bc -l)" = 1 ]; then echo ok; else echo MISSED; fi)"; }
# timed_import URL FILE MIN_CREATED: prints "seconds max-rss-KiB", failing
# loudly when the import fails or creates fewer items.
timed_import() {
  VERDICT_DATABASE_URL="$1" bin/verdict migrate up >/dev/null
  VERDICT_DATABASE_URL="$1" /usr/bin/time -f "%e %M" -o "$WORK/time" bin/verdict import "$2" >"$WORK/out" 2>"$WORK/err" ||
    { echo "verdict import $2 into $1 failed:" >&2; cat "$WORK/err" >&2; exit 1; }
  awk -v n="$3" 'NR == 1 && $1 == "imported:" && $2 >= n { ok = 1 } END { exit !ok }' "$WORK/out" ||
    { echo "import: $(head -1 "$WORK/out"), want at least $3 created" >&2; exit 1; }
  cat "$WORK/time"
}
fresh_pg() { psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -qc "CREATE DATABASE $1" 2>/dev/null; }
echo "== verdict import of $N guides ($(du -m "$WORK/content.json" | cut -f1) MB file) =="
read -r ss srss <<<"$(timed_import "sqlite:$WORK/import.db" "$WORK/content.json" "$N")"
goal "SQLite, $N guides: seconds" "$ss" "<= 10" "$ss <= 10"
goal "SQLite, $N guides: peak RSS MiB" "$((srss / 1024))" "<= 200" "$srss <= 204800"
fresh_pg "$DB"
read -r ps prss <<<"$(timed_import "$PG/$DB?sslmode=disable" "$WORK/content.json" "$N")"
goal "PostgreSQL, $N guides: seconds" "$ps" "<= 10" "$ps <= 10"
goal "PostgreSQL, $N guides: peak RSS MiB" "$((prss / 1024))" "<= 200" "$prss <= 204800"
if [ "$LARGE_N" -gt 0 ]; then
  bin/clones "$LARGE_N" < "$WORK/seed.json" > "$WORK/large.json"
  echo "== verdict import of $LARGE_N guides into PostgreSQL ($(du -m "$WORK/large.json" | cut -f1) MB file) =="
  fresh_pg "${DB}_large"
  read -r ls lrss <<<"$(timed_import "$PG/${DB}_large?sslmode=disable" "$WORK/large.json" "$LARGE_N")"
  rm -f "$WORK/large.json"
  psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS ${DB}_large WITH (FORCE)" 2>/dev/null
  goal "PostgreSQL, $LARGE_N guides: seconds" "$ls" "<= 120" "$ls <= 120"
  goal "PostgreSQL, $LARGE_N guides: peak RSS MiB" "$((lrss / 1024))" "<= 200" "$lrss <= 204800"
fi

echo "== search on SQLite, $N imported guides, response cache of one entry =="
VERDICT_DATABASE_URL="sqlite:$WORK/import.db" VERDICT_CACHE_ENTRIES=1 VERDICT_ADDR=127.0.0.1:$PORT bin/verdict serve >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 100); do curl -sf -o /dev/null http://127.0.0.1:$PORT/readyz && break; sleep 0.1; done
for w in "zq$(( N / 3 ))x:rare" django:common zzzqqq:none; do
  for c in 64 1; do
    out=$(Q=${w%%:*} wrk -t"$(( c > 1 ? 2 : 1 ))" -c"$c" -d"${DURATION:-10s}" --latency -s bench/search.lua http://127.0.0.1:$PORT)
    if grep -q "Non-2xx" <<<"$out"; then echo "search ${w%%:*}: non-2xx responses" >&2; exit 1; fi
    p50=$(awk '$1 == "50%" { v = $2; if (v ~ /us$/) v = v / 1000; else if (v ~ /ms$/) v = v + 0; else if (v ~ /s$/) v = v * 1000; print v }' <<<"$out")
    rps=$(awk '/Requests\/sec/ { printf "%.0f", $2 }' <<<"$out")
    want=$(( c > 1 ? 20 : 5 ))
    goal "SQLite ?q=${w%%:*} (${w##*:}), c$c: p50 ms ($rps req/s)" "$p50" "<= $want" "$p50 <= $want"
  done
done
