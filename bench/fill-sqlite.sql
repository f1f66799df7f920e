-- SQLite twin of fill.sql: clone the published seed guide into :n more
-- published guides (same document, own slug and title), with its search
-- index entry, stored rendering and list entry. Run with the sqlite3 shell
-- after `verdict bootstrap` and once the seed guide is rendered:
--   sqlite3 -cmd '.parameter set :n 99996' DB < bench/fill-sqlite.sql
.bail on
PRAGMA journal_mode = WAL;
BEGIN;
CREATE TEMP TABLE clones AS
WITH RECURSIVE base(b) AS (SELECT count(*) FROM guides WHERE slug LIKE 'guide-%'),
  s(i) AS (SELECT b + 1 FROM base UNION ALL SELECT i + 1 FROM s, base WHERE i < b + :n)
SELECT lower(printf('%s-%s-4%s-a%s-%s', hex(randomblob(4)), hex(randomblob(2)), substr(hex(randomblob(2)), 2),
                    substr(hex(randomblob(2)), 2), hex(randomblob(6)))) AS id,
       'guide-' || i AS slug, 'Guide ' || i || ' vs Django' AS title,
       strftime('%Y-%m-%d %H:%M:%f+00:00', 'now', '-' || i || ' seconds') AS at
FROM s;

INSERT INTO guides (id, slug, status, title, summary, category_id, version, draft_revision_id,
                    published_revision_id, created_at, updated_at, published_at)
SELECT c.id, c.slug, 'published', c.title, g.summary, g.category_id, 1, g.draft_revision_id,
       g.published_revision_id, c.at, c.at, c.at
FROM clones c, guides g WHERE g.slug = 'node-vs-django';

INSERT INTO published_guides (guide_id, slug, title, summary, category_id, revision_id, document, published_at,
                              public_json, public_etag, public_key, list_json)
SELECT c.id, c.slug, c.title, p.summary, p.category_id, p.revision_id,
       json_set(p.document, '$.slug', c.slug, '$.title', c.title), c.at,
       CAST(replace(replace(CAST(p.public_json AS TEXT), 'node-vs-django', c.slug), 'Node.js vs Django', c.title) AS BLOB),
       CASE WHEN p.public_json IS NOT NULL THEN '"' || lower(hex(randomblob(12))) || '"' END, p.public_key,
       -- The list entry shows the clone's publishing time, as Go encodes it
       -- (RFC 3339, fraction without trailing zeros).
       CAST(replace(replace(replace(CAST(p.list_json AS TEXT), 'node-vs-django', c.slug), 'Node.js vs Django', c.title),
                    '"published_at":"' || json_extract(p.list_json, '$.published_at') || '"',
                    '"published_at":"' || strftime('%Y-%m-%dT%H:%M:%S', c.at) ||
                    CASE WHEN rtrim(substr(strftime('%f', c.at), 4), '0') = '' THEN ''
                         ELSE '.' || rtrim(substr(strftime('%f', c.at), 4), '0') END || 'Z"') AS BLOB)
FROM clones c, published_guides p WHERE p.slug = 'node-vs-django' ORDER BY c.at;

-- The search entry's rowid is the public row's, negated (see store.Publish).
INSERT INTO published_guides_fts (rowid, title, summary, body)
SELECT -p.rowid, p.title, f.summary, f.body
FROM clones c JOIN published_guides p ON p.guide_id = c.id,
     published_guides_fts f JOIN published_guides s ON -s.rowid = f.rowid AND s.slug = 'node-vs-django';

INSERT INTO guide_technologies (guide_id, technology_id, published, position)
SELECT c.id, gt.technology_id, gt.published, gt.position
FROM clones c, guide_technologies gt JOIN guides g ON g.id = gt.guide_id WHERE g.slug = 'node-vs-django';
-- One index segment, as after migration 00016 (a query seeks each one).
INSERT INTO published_guides_fts (published_guides_fts) VALUES ('optimize');
COMMIT;
ANALYZE;
