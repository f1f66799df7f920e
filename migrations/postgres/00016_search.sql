-- +goose Up
-- Search finds the newest matches of a query first and ranks only those
-- (see internal/store/search.go). Its vectors move out of published_guides
-- into a narrow table whose rows keep them inline (STORAGE MAIN): checking
-- a row no longer fetches a TOASTed vector (about 2.3 KB per guide, which
-- cost tens of microseconds a row), and seq, given at publish, is the
-- newest-first order that an index walks and stops in.
CREATE TABLE published_search (
    seq          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    guide_id     uuid NOT NULL UNIQUE REFERENCES published_guides (guide_id) ON DELETE CASCADE,
    category_id  uuid NOT NULL,
    search       tsvector NOT NULL
);
ALTER TABLE published_search ALTER COLUMN search SET STORAGE MAIN;
INSERT INTO published_search (guide_id, category_id, search)
SELECT guide_id, category_id, search FROM published_guides ORDER BY published_at, guide_id;
CREATE INDEX published_search_search_idx ON published_search USING gin (search);
DROP INDEX published_guides_search_idx;
ALTER TABLE published_guides DROP COLUMN search;

-- The newest k guides matching q (and the category and technology slugs
-- when not null), for a query too rare to find among the newest rows. The
-- settings leave the planner one way, whatever it guesses of q: the GIN
-- index's bitmap, then a top-k sort; never a scan of the table or a walk
-- of seq. The rank is computed after the limit, for k rows only. PL/pgSQL
-- keeps the plan for the session, where an SQL function's body would be
-- planned again on every call.
-- +goose StatementBegin
CREATE FUNCTION published_search_newest(q tsquery, k integer, category text, technology text)
RETURNS TABLE (guide_id uuid, seq bigint, rank real)
LANGUAGE plpgsql STABLE
SET enable_seqscan = off SET enable_indexscan = off SET enable_indexonlyscan = off
AS $$
BEGIN
RETURN QUERY SELECT m.guide_id, m.seq, ts_rank(m.search, q) FROM (
    SELECT s.guide_id, s.search, s.seq FROM published_search s
    WHERE s.search @@ q
      AND (category IS NULL OR s.category_id IN (SELECT c.id FROM categories c WHERE c.slug = category))
      AND (technology IS NULL OR s.guide_id IN (SELECT gt.guide_id FROM guide_technologies gt
            JOIN technologies t ON t.id = gt.technology_id WHERE gt.published AND t.slug = technology))
    ORDER BY s.seq DESC LIMIT k) m
ORDER BY m.seq DESC;
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION published_search_newest(tsquery, integer, text, text);
ALTER TABLE published_guides ADD COLUMN search tsvector;
UPDATE published_guides p SET search = s.search FROM published_search s WHERE s.guide_id = p.guide_id;
UPDATE published_guides SET search = ''::tsvector WHERE search IS NULL;
ALTER TABLE published_guides ALTER COLUMN search SET NOT NULL;
CREATE INDEX published_guides_search_idx ON published_guides USING gin (search);
DROP TABLE published_search;
