#!/usr/bin/env bash
# make bench, part two: intake throughput on PostgreSQL against pgbench
# running the intake's own two-row transaction with as many clients as wrk
# has connections; then how fast the outbox drains into a loopback SMTP sink.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
CONNS=${INTAKE_CONNS:-32}
PG=${PG:-postgres://postgres@127.0.0.1:5432}
DB=verdict_bench_intake
MESSAGES=${MESSAGES:-3000}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -qc "CREATE DATABASE $DB"
export VERDICT_DATABASE_URL="$PG/$DB?sslmode=disable"
export VERDICT_JWT_SECRET=bench-secret-bench-secret-bench-secret
export VERDICT_BCRYPT_COST=4 VERDICT_INTAKE_RATE_LIMIT=0 VERDICT_LOG_LEVEL=warn
go build -o bin/verdict ./cmd/verdict
go build -o bin/smtpsink ./bench/smtpsink
bin/verdict bootstrap >/dev/null 2>&1

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
wait_ready() { for _ in $(seq 100); do curl -sf -o /dev/null "$1" && return; sleep 0.1; done; echo "$1 not ready" >&2; exit 1; }

# Intake alone: this instance does not deliver.
VERDICT_DB_MAX_OPEN_CONNS=$CONNS VERDICT_DB_MAX_IDLE_CONNS=$CONNS VERDICT_OUTBOX_ENABLED=false VERDICT_ADDR=127.0.0.1:18092 bin/verdict serve >/dev/null 2>&1 & vpid=$!; pids+=("$vpid")
wait_ready http://127.0.0.1:18092/readyz
wrk -t2 -c"$CONNS" -d2s -s bench/intake.lua http://127.0.0.1:18092/api/v1/consultations >/dev/null
intake=$(wrk -t2 -c"$CONNS" -d"$DURATION" --latency -s bench/intake.lua http://127.0.0.1:18092/api/v1/consultations |
  awk '/Requests\/sec/ {print $2} / Non-2xx/ {print "non-2xx " $0 > "/dev/stderr"; bad = 1} END { exit bad }')
kill "$vpid"; wait "$vpid" 2>/dev/null || true

psql "$VERDICT_DATABASE_URL" -q -c "CREATE TABLE bench_leads (LIKE leads INCLUDING ALL)" -c "CREATE TABLE bench_outbox (LIKE outbox INCLUDING ALL)"
ceiling=$(pgbench -n -c "$CONNS" -j 2 -T "${DURATION%s}" -f bench/intake.sql "$VERDICT_DATABASE_URL" 2>/dev/null |
  awk -F'[ =]+' '/^tps/ {print $2}')
printf "== intake on PostgreSQL, %s clients, %s ==\n" "$CONNS" "$DURATION"
printf "POST /api/v1/consultations %9.0f req/s | pgbench same 2-row tx %9.0f tx/s | %5.1f%%\n" \
  "$intake" "$ceiling" "$(echo "100*$intake/$ceiling" | bc -l)"

# Real leads: the intake above left a lead.created event per lead. Keep
# LEADS of them; a delivering instance expands each into the team's
# notification and the prospect's confirmation and sends both.
LEADS=${LEADS:-1500}
bin/smtpsink 127.0.0.1:18025 > bin/sink.count & spid=$!; pids+=("$spid")
psql "$VERDICT_DATABASE_URL" -q -c "DELETE FROM outbox WHERE id NOT IN (SELECT id FROM outbox WHERE kind = 'lead.created' ORDER BY created_at LIMIT $LEADS)"
sleep 0.3
start=$(date +%s.%N)
VERDICT_SMTP_URL="smtp://127.0.0.1:18025?tls=none" VERDICT_OUTBOX_POLL=50ms VERDICT_OUTBOX_CONCURRENCY=${OUTBOX_CONCURRENCY:-8} \
  VERDICT_OUTBOX_BATCH=256 VERDICT_TEAM_EMAIL=team@example.com VERDICT_CONFIRMATIONS_PER_HOUR=1000000 VERDICT_ADDR=127.0.0.1:18093 bin/verdict serve >/dev/null 2>&1 & vpid=$!; pids+=("$vpid")
while [ "$(psql "$VERDICT_DATABASE_URL" -tAc "SELECT count(*) FROM outbox WHERE status = 'pending'")" != 0 ]; do sleep 0.05; done
end=$(date +%s.%N)
kill "$vpid"; wait "$vpid" 2>/dev/null || true
kill "$spid"; wait "$spid" 2>/dev/null || true
mails=$(psql "$VERDICT_DATABASE_URL" -tAc "SELECT count(*) FROM outbox WHERE status = 'sent' AND kind = 'mail'")
rate=$(echo "$mails/($end-$start)" | bc -l)
printf "== outbox, real leads: %s lead events to a loopback SMTP sink ==\n" "$LEADS"
printf "%s mails sent (sink received %s) in %.2fs: %.0f mails/s   goal >= 1500 %s\n" "$mails" "$(cat bin/sink.count)" \
  "$(echo "$end-$start" | bc -l)" "$rate" "$(if [ "$(echo "$rate >= 1500" | bc -l)" = 1 ]; then echo ok; else echo MISSED; fi)"
# Every lead has its notification; confirmations may be capped per address.
[ "$mails" -ge "$LEADS" ] || { echo "only $mails mails for $LEADS leads" >&2; exit 1; }

# Outbox drain: queue MESSAGES emails, then time a delivering instance.
psql "$VERDICT_DATABASE_URL" -q -c "TRUNCATE outbox" -c "
INSERT INTO outbox (id, kind, payload, status, max_attempts, next_attempt_at, created_at)
SELECT gen_random_uuid(), 'mail', json_build_object('to', json_build_array('consultant' || i || '@example.com'),
  'reply_to', 'ada@example.com', 'subject', 'New consultation request VRD-' || i,
  'text', repeat('Lead details and requirements. ', 40), 'html', '<p>' || repeat('Lead details. ', 40) || '</p>')::text,
  'pending', 8, now(), now() FROM generate_series(1, $MESSAGES) i"
bin/smtpsink 127.0.0.1:18025 > bin/sink.count & spid=$!; pids+=("$spid")
sleep 0.3
start=$(date +%s.%N)
VERDICT_SMTP_URL="smtp://127.0.0.1:18025?tls=none" VERDICT_OUTBOX_POLL=50ms VERDICT_OUTBOX_CONCURRENCY=${OUTBOX_CONCURRENCY:-8} \
  VERDICT_OUTBOX_BATCH=256 VERDICT_ADDR=127.0.0.1:18093 bin/verdict serve >/dev/null 2>&1 & vpid=$!; pids+=("$vpid")
while [ "$(psql "$VERDICT_DATABASE_URL" -tAc "SELECT count(*) FROM outbox WHERE status = 'pending'")" != 0 ]; do sleep 0.05; done
end=$(date +%s.%N)
kill "$vpid"; wait "$vpid" 2>/dev/null || true
kill "$spid"; wait "$spid" 2>/dev/null || true
sent=$(psql "$VERDICT_DATABASE_URL" -tAc "SELECT count(*) FROM outbox WHERE status = 'sent'")
printf "== outbox drain: %s messages to a loopback SMTP sink ==\n" "$MESSAGES"
printf "%s sent (sink received %s) in %.2fs: %.0f messages/s\n" "$sent" "$(cat bin/sink.count)" \
  "$(echo "$end-$start" | bc -l)" "$(echo "$sent/($end-$start)" | bc -l)"
