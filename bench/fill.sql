-- Clone the published seed guide into :n more published guides, shaped like
-- it (same document, own slug and title), straight in SQL so that 100,000
-- guides take seconds. Run after `verdict bootstrap` has seeded.
\set ON_ERROR_STOP on
BEGIN;
CREATE TEMP TABLE clones AS
SELECT gen_random_uuid() AS id, 'guide-' || i AS slug, 'Guide ' || i || ' vs Django' AS title,
       now() - make_interval(secs => i) AS at
FROM generate_series((SELECT count(*) FROM guides WHERE slug LIKE 'guide-%') + 1,
                     (SELECT count(*) FROM guides WHERE slug LIKE 'guide-%') + :n) AS i;

INSERT INTO guides (id, slug, status, title, summary, category_id, version, draft_revision_id,
                    published_revision_id, created_at, updated_at, published_at)
SELECT c.id, c.slug, 'published', c.title, g.summary, g.category_id, 1, g.draft_revision_id,
       g.published_revision_id, c.at, c.at, c.at
FROM clones c, guides g WHERE g.slug = 'node-vs-django';

INSERT INTO published_guides (guide_id, slug, title, summary, category_id, revision_id, document, published_at)
SELECT c.id, c.slug, c.title, p.summary, p.category_id, p.revision_id,
       jsonb_set(jsonb_set(p.document, '{slug}', to_jsonb(c.slug)), '{title}', to_jsonb(c.title)), c.at
FROM clones c, published_guides p WHERE p.slug = 'node-vs-django';

-- The search vector, in publishing order (oldest clone first, as a site
-- publishes); the title's words are the seed's, all of them in every guide.
INSERT INTO published_search (guide_id, category_id, search)
SELECT c.id, s.category_id, s.search
FROM clones c, published_search s JOIN published_guides p ON p.guide_id = s.guide_id
WHERE p.slug = 'node-vs-django' ORDER BY c.at;

-- The stored rendering too, when the seed guide has one: its bytes with
-- the clone's slug and title, and an ETag of those bytes.
UPDATE published_guides p SET public_json = r.body, public_key = r.key,
       public_etag = '"' || translate(encode(substring(sha256(r.body) FROM 1 FOR 18), 'base64'), '+/', '-_') || '"'
FROM (SELECT c.id, s.public_key AS key,
             convert_to(replace(replace(convert_from(s.public_json, 'UTF8'), 'node-vs-django', c.slug), 'Node.js vs Django', c.title), 'UTF8') AS body
      FROM clones c, published_guides s WHERE s.slug = 'node-vs-django' AND s.public_json IS NOT NULL) r
WHERE p.guide_id = r.id;

INSERT INTO guide_technologies (guide_id, technology_id, published, position)
SELECT c.id, gt.technology_id, gt.published, gt.position
FROM clones c, guide_technologies gt JOIN guides g ON g.id = gt.guide_id WHERE g.slug = 'node-vs-django';
COMMIT;
ANALYZE;
