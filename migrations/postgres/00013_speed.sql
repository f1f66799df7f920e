-- +goose Up
-- The public JSON of each published guide, encoded once (by the serving
-- instance right after a publish, or on the first read) so that a cache miss
-- is one indexed read of bytes. public_key names the renderer settings the
-- bytes were made with (site URL, default call to action, format); a row
-- with another key is rendered again. public_gen counts invalidations (a
-- related guide, its category or a technology changed): a rendering is
-- stored only if the generation it started from is still current.
ALTER TABLE published_guides ADD COLUMN public_json bytea;
ALTER TABLE published_guides ADD COLUMN public_etag text;
ALTER TABLE published_guides ADD COLUMN public_key text;
ALTER TABLE published_guides ADD COLUMN public_gen integer NOT NULL DEFAULT 0;
-- JSON of a few KB compresses little: store it uncompressed, read it as is.
ALTER TABLE published_guides ALTER COLUMN public_json SET STORAGE EXTERNAL;
-- What the renderer still has to do.
CREATE INDEX published_guides_unrendered_idx ON published_guides (guide_id) WHERE public_json IS NULL;

-- +goose Down
DROP INDEX published_guides_unrendered_idx;
ALTER TABLE published_guides DROP COLUMN public_gen;
ALTER TABLE published_guides DROP COLUMN public_key;
ALTER TABLE published_guides DROP COLUMN public_etag;
ALTER TABLE published_guides DROP COLUMN public_json;
