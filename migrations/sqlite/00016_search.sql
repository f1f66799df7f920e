-- +goose Up
-- The search index's rowid is the negated rowid of its published_guides
-- row: FTS5 walks a word's documents in ascending rowid order several times
-- faster than in descending order, so the newest guides (the largest
-- published_guides rowids) come first in the cheap direction. The guide ID
-- is read from published_guides, for the page only, so the index no longer
-- stores it.
CREATE VIRTUAL TABLE published_guides_fts_new USING fts5(
    title, summary, body, tokenize = 'porter unicode61'
);
INSERT INTO published_guides_fts_new (rowid, title, summary, body)
SELECT -p.rowid, f.title, f.summary, f.body
FROM published_guides_fts f JOIN published_guides p ON p.rowid = f.rowid;
DROP TABLE published_guides_fts;
ALTER TABLE published_guides_fts_new RENAME TO published_guides_fts;
-- One segment instead of the many a bulk insert leaves: a query seeks its
-- words in every segment.
INSERT INTO published_guides_fts (published_guides_fts) VALUES ('optimize');

-- +goose Down
CREATE VIRTUAL TABLE published_guides_fts_new USING fts5(
    guide_id UNINDEXED, title, summary, body, tokenize = 'porter unicode61'
);
INSERT INTO published_guides_fts_new (rowid, guide_id, title, summary, body)
SELECT p.rowid, p.guide_id, f.title, f.summary, f.body
FROM published_guides_fts f JOIN published_guides p ON p.rowid = -f.rowid;
DROP TABLE published_guides_fts;
ALTER TABLE published_guides_fts_new RENAME TO published_guides_fts;
