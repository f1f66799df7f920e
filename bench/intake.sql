-- pgbench reference: the intake's own two-row transaction (a lead and its
-- outbox event) into copies of the real tables, with the same indexes.
\set n random(1, 2000000000)
BEGIN;
INSERT INTO bench_leads (id, reference, status, name, email, company, role, project, guide_slug, guide_title,
  answers, preferred_technologies, request_volume, team_language, timeline, budget, consented_at, utm, ip,
  user_agent, request_hash, created_at, updated_at)
VALUES (gen_random_uuid(), 'VRD-' || :n || '-' || :client_id, 'new', 'Ada Lovelace', 'ada@example.com',
  'Analytical Engines', 'CTO', 'A real-time dashboard for our factory floor. Must scale to many sensors.',
  'node-vs-django', 'Node.js vs Django',
  '[{"question_id":"realtime","question":"Do you need real-time WebSocket features?","answer":"Yes"}]',
  '["nodejs"]', '1k-100k-per-day', 'javascript', '1-3-months', '10k-50k', now(), '{"source":"bench"}',
  '127.0.0.1', 'wrk', 'hash', now(), now());
INSERT INTO bench_outbox (id, kind, payload, status, max_attempts, next_attempt_at, created_at)
VALUES (gen_random_uuid(), 'lead.created', '{}', 'pending', 8, now(), now());
COMMIT;
