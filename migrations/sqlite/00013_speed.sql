-- +goose Up
-- The public JSON of each published guide, encoded once (by the serving
-- instance right after a publish, or on the first read) so that a cache miss
-- is one indexed read of bytes. public_key names the renderer settings the
-- bytes were made with (site URL, default call to action, format); a row
-- with another key is rendered again. public_gen counts invalidations (a
-- related guide, its category or a technology changed): a rendering is
-- stored only if the generation it started from is still current.
ALTER TABLE published_guides ADD COLUMN public_json blob;
ALTER TABLE published_guides ADD COLUMN public_etag text;
ALTER TABLE published_guides ADD COLUMN public_key text;
ALTER TABLE published_guides ADD COLUMN public_gen integer NOT NULL DEFAULT 0;
-- What the renderer still has to do.
CREATE INDEX published_guides_unrendered_idx ON published_guides (guide_id) WHERE public_json IS NULL;

-- The search index keyed by published_guides' rowid, so that a publish
-- deletes a guide's entry by key instead of scanning the whole index for an
-- unindexed guide_id column (which made an import O(n^2)).
CREATE VIRTUAL TABLE published_guides_fts_new USING fts5(
    guide_id UNINDEXED, title, summary, body, tokenize = 'porter unicode61'
);
INSERT INTO published_guides_fts_new (rowid, guide_id, title, summary, body)
SELECT p.rowid, f.guide_id, f.title, f.summary, f.body
FROM published_guides_fts f JOIN published_guides p ON p.guide_id = f.guide_id;
DROP TABLE published_guides_fts;
ALTER TABLE published_guides_fts_new RENAME TO published_guides_fts;

-- +goose Down
DROP INDEX published_guides_unrendered_idx;
ALTER TABLE published_guides DROP COLUMN public_gen;
ALTER TABLE published_guides DROP COLUMN public_key;
ALTER TABLE published_guides DROP COLUMN public_etag;
ALTER TABLE published_guides DROP COLUMN public_json;
