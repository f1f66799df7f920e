-- pgbench reference: the statement one intake request runs on PostgreSQL,
-- as the server statement log shows it, prepared as pgx prepares it: one
-- statement (one round trip, one implicit transaction) that counts the
-- per-IP throttle hit for a new address and, within the limit, stores the
-- lead and its outbox event (internal/store/leadsubmit.go insertLimitedSQL),
-- into copies of the real tables with the same indexes and foreign keys.
-- Values stored by this run intake come in with -D.
-- (No apostrophes or colons in literals here: pgbench substitutes inside them.)
-- n names the request: drawn from 2^63 so that no two of a run's requests
-- share a lead ID (from 2e9, 32 clients drew a duplicate in about one run
-- in five and the reference aborted on the primary key).
\set n random(1, 9223372036854775806)
\set now 1795629245216
WITH hit AS (
  INSERT INTO bench_throttles (key, hits, window_start) VALUES (concat_ws(chr(58), 'intake', 'ip', '10.' || :client_id::text || '.' || :n::text), 1, :now::bigint)
  ON CONFLICT (key) DO UPDATE SET
    hits = CASE WHEN bench_throttles.window_start <= :now::bigint - 600000 THEN 1 ELSE bench_throttles.hits + 1 END,
    window_start = CASE WHEN bench_throttles.window_start <= :now::bigint - 600000 THEN excluded.window_start ELSE bench_throttles.window_start END
  RETURNING hits, window_start
), lead AS (
  INSERT INTO bench_leads (id, reference, status, name, email, company, role, project, guide_id, guide_slug, guide_title,
    answers, preferred_technologies, request_volume, team_language, timeline, budget, consented_at, referrer, utm, ip,
    user_agent, recommendation, recommended, owner_id, idempotency_key, request_hash, created_at, updated_at, closed_at, erased_at, locale)
  SELECT md5(:n::text || '-' || :client_id::text)::uuid, 'VRD-' || :n::text || '-' || :client_id::text, 'new', 'Ada Lovelace', 'ada@example.com',
    'Analytical Engines', 'CTO', 'A real-time dashboard for our factory floor. Must scale to many sensors.',
    :guide_id::uuid, 'node-vs-django', 'Node.js vs Django', :answers::jsonb, '["nodejs"]', '1k-100k-per-day', 'javascript',
    '1-3-months', '10k-50k', now(), '', '{"source":"bench"}', '10.0.0.1', 'wrk', :recommendation::text, 'django', NULL, NULL,
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', now(), now(), NULL, NULL, 'en'
  FROM hit WHERE hit.hits <= 10
  RETURNING id
), event AS (
  INSERT INTO bench_outbox (id, kind, lead_id, payload, status, attempts, max_attempts, next_attempt_at, locked_until,
    last_error, created_at, sent_at)
  SELECT gen_random_uuid(), 'lead.created', lead.id, '{}', 'pending', 0, 8, now(), NULL, '', now(), NULL FROM lead WHERE 'lead.created' <> ''
)
SELECT hits, window_start FROM hit;
