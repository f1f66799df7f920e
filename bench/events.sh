#!/usr/bin/env bash
# make bench, part three: funnel events accepted per second on PostgreSQL,
# with the CPU the PostgreSQL processes used meanwhile (from /proc), and a
# check that the counters hold exactly the events wrk was answered 202 for.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
CONNS=${EVENTS_CONNS:-64}
PG=${PG:-postgres://postgres@127.0.0.1:5432}
DB=verdict_bench_events
BATCH=10 # events per request in bench/events.lua
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -qc "CREATE DATABASE $DB"
export VERDICT_DATABASE_URL="$PG/$DB?sslmode=disable"
export VERDICT_JWT_SECRET=bench-secret-bench-secret-bench-secret
export VERDICT_BCRYPT_COST=4 VERDICT_LOG_LEVEL=warn
go build -o bin/verdict ./cmd/verdict
go build -o bin/clones ./bench/clones
bin/verdict bootstrap >/dev/null 2>&1
# 996 clones of the seed guide (guide-1 .. guide-996), by `verdict import`.
bin/verdict export | bin/clones 996 1 > bin/events-fill.json
bin/verdict import bin/events-fill.json >/dev/null || { echo "events: verdict import failed" >&2; exit 1; }
export SLUGS=996

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
# The limit stays on (it is part of the path), far above one loopback address' rate.
VERDICT_ANALYTICS_FLUSH=${FLUSH:-1s} VERDICT_ANALYTICS_RATE_LIMIT=1000000000 VERDICT_ADDR=127.0.0.1:18094 bin/verdict serve >/dev/null 2>bin/events-serve.log & vpid=$!; pids+=("$vpid")
for _ in $(seq 100); do curl -sf -o /dev/null http://127.0.0.1:18094/readyz && break; sleep 0.1; done

# requests DURATION: runs wrk and prints "requests req/s"; any non-2xx fails the bench.
requests() {
  wrk -t2 -c"$CONNS" -d"$1" -s bench/events.lua http://127.0.0.1:18094 | awk '
    / requests in / { n = $1 } /Requests\/sec/ { rps = $2 } /Non-2xx or 3xx responses/ { bad = $NF }
    END { if (bad > 0) { printf "events: %d non-2xx responses\n", bad > "/dev/stderr"; exit 1 } print n, rps }'
}
# cpu_ticks: user+system clock ticks of the postgres processes now: the
# server's own (WAL writer, checkpointer, …) and the backends of this
# database, not those of other databases' clients on a shared machine.
cpu_ticks() {
  local t=0 pid f cmd
  for pid in $(pgrep -x postgres); do
    cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || continue
    if [[ $cmd == *"("* || $cmd == *"[local]"* ]] && [[ $cmd != *" $DB "* ]]; then continue; fi
    f=$(cut -d' ' -f14,15 "/proc/$pid/stat" 2>/dev/null) || continue
    t=$((t + ${f% *} + ${f#* }))
  done
  echo "$t"
}
read -r warm _ < <(requests 2s) # fills the guide cache
t0=$(cpu_ticks); s0=$(date +%s.%N)
read -r n rps < <(requests "$DURATION")
s1=$(date +%s.%N)
# Let the flushes catch up (the counters stop moving), so that the CPU
# PostgreSQL spends on the run's events is all measured, over the run's
# duration: a flush lagging behind cannot hide. Backends exit with Verdict,
# taking their counters along, so this is read before it stops.
total() { psql "$VERDICT_DATABASE_URL" -tAc "SELECT coalesce(sum(views + checklist_starts + recommendations + cta_clicks), 0) FROM funnel_days"; }
prev=-1; cur=$(total)
while [ "$cur" != "$prev" ]; do sleep "${FLUSH:-1s}"; sleep 0.5; prev=$cur; cur=$(total); done
t1=$(cpu_ticks); s2=$(date +%s.%N)
kill -TERM "$vpid"; wait "$vpid" 2>/dev/null || true # graceful: the last counts are flushed
cores=$(echo "($t1 - $t0) / $(getconf CLK_TCK) / ($s1 - $s0)" | bc -l)
printf "flushes caught up %.1fs after the run\n" "$(echo "$s2 - $s1" | bc -l)"
counted=$(psql "$VERDICT_DATABASE_URL" -tAc "SELECT sum(views + checklist_starts + recommendations + cta_clicks) FROM funnel_days")
sent=$(((warm + n) * BATCH))
printf "== funnel events on PostgreSQL, %s connections, %s, %d events per request ==\n" "$CONNS" "$DURATION" "$BATCH"
printf "POST /api/v1/events %9.0f events/s (%.0f req/s) | PostgreSQL CPU %.2f cores | counted %s, wrk saw %s answered\n" \
  "$(echo "$rps * $BATCH" | bc -l)" "$rps" "$cores" "$counted" "$sent"
# wrk counts only the requests answered before it stops; up to one per
# connection per run is still in flight then, served and counted by Verdict.
[ "$counted" -ge "$sent" ] && [ "$counted" -le $((sent + 2 * CONNS * BATCH)) ] ||
  { echo "events: the counters do not match the accepted events" >&2; exit 1; }
ok=$(echo "$rps * $BATCH >= 20000 && $cores < 1" | bc -l)
[ "$ok" = 1 ] || echo "events: below the target (20,000 events/s with PostgreSQL under one core)" >&2
