package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/cache"
	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/guide"
)

// Public search is top-k with bounded work. A query's results are its
// searchCandidates most recently published matches (every word must match;
// "most recently published" is the order of publishing, newest first:
// PostgreSQL's published_search.seq, SQLite's published_guides rowid),
// ranked best first. A word in every guide thus costs as much as a word in
// 200 of them, at the price of older matches beyond the 200 newest never
// being listed: a site searching 100,000 guides for a word they all contain
// gets the 200 newest of them, best first, and a total of 200. Within the
// candidates the order is the rank (title over summary over body), then
// newest first; the candidates are the same on every page, so pages do not
// overlap or skip while no guide is published in between.
const searchCandidates = 200

// searchWindow is how many of the newest guides PostgreSQL checks for
// matches before it turns to the full-text index. A word in more than a
// third of them (searchCandidates of searchWindow) is found there at once;
// a rarer one costs this many cheap checks (the vectors are inline) and
// then the index, whose bitmap of a rare word's matches is small. Once
// seen, a rare query goes to the index first (rareSearches).
const searchWindow = 3 * searchCandidates

// rareSearches remembers which queries the newest guides did not answer,
// so that asking again skips the window. It only picks which of two exact
// plans runs first: a query that has since become common is answered by
// the index once more (correctly, at the index's cost) and forgotten.
type rareSearches struct{ c *cache.Cache[struct{}] }

// rareSearchesMax bounds the memory; the least recently asked go first.
const rareSearchesMax = 4096

func newRareSearches() rareSearches {
	return rareSearches{cache.New(cache.Options[struct{}]{MaxBytes: 4 << 20, MaxEntries: rareSearchesMax,
		Cost: func(struct{}) int { return 0 }})}
}

func (r rareSearches) has(key string) bool {
	_, ok := r.c.Get(key)
	return ok
}

func (r rareSearches) set(key string, rare bool) {
	if rare {
		r.c.Put(key, r.c.Gen(), struct{}{})
	} else {
		r.c.Delete(key)
	}
}

// candidate is one match of a search with its rank, higher is better, and
// its place in publishing order, higher is newer (PostgreSQL's seq, the
// published_guides rowid on SQLite, where the guide ID is read for the page
// only).
type candidate struct {
	GuideID string
	Rank    float64
	Ord     int64
}

// searchCandidates returns the newest matches of f.Query that pass f's
// filters, at most searchCandidates, newest first.
func (s GuideStore) searchCandidates(ctx context.Context, f guide.PublicFilter) ([]candidate, error) {
	if s.dialect == database.Postgres {
		return s.pgCandidates(ctx, f)
	}
	return s.sqliteCandidates(ctx, f)
}

// pgCandidates first walks the newest searchWindow guides (the seq index,
// newest first; each row's vector is inline) and stops at searchCandidates
// matches; a query that common is done there, whatever the planner thinks
// of it. Otherwise published_search_newest takes the GIN index, and only
// it, to the newest matches (see migration 00016): no plan depends on the
// planner guessing how common the words are.
func (s GuideStore) pgCandidates(ctx context.Context, f guide.PublicFilter) ([]candidate, error) {
	key := strings.ToLower(strings.Join(strings.Fields(f.Query), " ")) + "\x00" + f.CategorySlug + "\x00" + f.TechnologySlug
	if s.rare.has(key) {
		out, err := s.pgNewest(ctx, f)
		s.rare.set(key, err != nil || len(out) < searchCandidates)
		return out, err
	}
	var filters string
	args := []any{f.Query}
	if f.CategorySlug != "" {
		filters += " AND s.category_id IN (SELECT id FROM categories WHERE slug = ?)"
		args = append(args, f.CategorySlug)
	}
	if f.TechnologySlug != "" {
		filters += ` AND EXISTS (SELECT 1 FROM guide_technologies gt JOIN technologies t ON t.id = gt.technology_id
			WHERE gt.guide_id = s.guide_id AND gt.published AND t.slug = ?)`
		args = append(args, f.TechnologySlug)
	}
	recent := fmt.Sprintf(`SELECT m.guide_id, m.seq AS ord, ts_rank(m.search, m.q) AS rank FROM (
  SELECT s.guide_id, s.search, s.seq, w.q
  FROM (SELECT guide_id, category_id, seq, search FROM published_search ORDER BY seq DESC LIMIT %d) s,
       websearch_to_tsquery('english', ?) AS w(q)
  WHERE s.search @@ w.q%s
  ORDER BY s.seq DESC LIMIT %d) m
ORDER BY m.seq DESC`, searchWindow, filters, searchCandidates)
	out, err := s.scanCandidates(ctx, recent, args...)
	if err != nil {
		return nil, dbError("search recent guides", err)
	}
	if len(out) == searchCandidates {
		return out, nil
	}
	s.rare.set(key, true)
	return s.pgNewest(ctx, f)
}

// pgNewest asks the full-text index for the newest matches of f.
func (s GuideStore) pgNewest(ctx context.Context, f guide.PublicFilter) ([]candidate, error) {
	out, err := s.scanCandidates(ctx, `SELECT guide_id, seq, rank FROM published_search_newest(websearch_to_tsquery('english', ?), ?, ?, ?)`,
		f.Query, searchCandidates, nullable(f.CategorySlug), nullable(f.TechnologySlug))
	return out, dbError("search guides", err)
}

// scanCandidates reads (guide ID, order, rank) rows without GORM's
// reflection, which cost more than the query for 200 rows.
func (s GuideStore) scanCandidates(ctx context.Context, query string, args ...any) ([]candidate, error) {
	return scanRows(s.db.WithContext(ctx).Raw(query, args...), searchCandidates,
		func(c *candidate) []any { return []any{&c.GuideID, &c.Ord, &c.Rank} })
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// sqliteCandidates walks FTS5's index newest first (ascending rowid, the
// negated publishing order, see migration 00016) and stops at
// searchCandidates matches; a word with no match costs one index lookup.
// They are then ranked by where the query matches: the title weighs 4, the
// summary 2, any match 1. FTS5's bm25 would count every match of each word
// first (its IDF), which for a word in all of 100,000 guides costs
// milliseconds; the column matches, looked up within the candidates' rowid
// range only, cost as little as the walk.
func (s GuideStore) sqliteCandidates(ctx context.Context, f guide.PublicFilter) ([]candidate, error) {
	fq := ftsQuery(f.Query)
	if fq == "" {
		return nil, nil // nothing searchable in the query
	}
	walk := "SELECT rowid FROM published_guides_fts WHERE published_guides_fts MATCH ?"
	args := []any{fq}
	if f.CategorySlug != "" || f.TechnologySlug != "" {
		walk = `SELECT published_guides_fts.rowid FROM published_guides_fts
JOIN published_guides p ON p.rowid = -published_guides_fts.rowid WHERE published_guides_fts MATCH ?`
		if f.CategorySlug != "" {
			walk += " AND p.category_id IN (SELECT id FROM categories WHERE slug = ?)"
			args = append(args, f.CategorySlug)
		}
		if f.TechnologySlug != "" {
			walk += ` AND EXISTS (SELECT 1 FROM guide_technologies gt JOIN technologies t ON t.id = gt.technology_id
			WHERE gt.guide_id = p.guide_id AND gt.published = 1 AND t.slug = ?)`
			args = append(args, f.TechnologySlug)
		}
	}
	rowids, err := s.scanRowids(ctx, walk+" ORDER BY 1 LIMIT "+strconv.Itoa(searchCandidates), args...)
	if err != nil || len(rowids) == 0 {
		return nil, dbError("search guides", err)
	}
	last := rowids[len(rowids)-1]
	rank := make(map[int64]float64, len(rowids))
	for col, weight := range map[string]float64{"title": 4, "summary": 2} {
		hits, err := s.scanRowids(ctx, "SELECT rowid FROM published_guides_fts WHERE published_guides_fts MATCH ? AND rowid <= ?",
			col+" : ("+fq+")", last)
		if err != nil {
			return nil, dbError("rank guides", err)
		}
		for _, r := range hits {
			rank[r] += weight
		}
	}
	out := make([]candidate, len(rowids))
	for i, r := range rowids {
		out[i] = candidate{Rank: 1 + rank[r], Ord: -r}
	}
	return out, nil
}

// scanRowids reads a column of integers without GORM's reflection.
func (s GuideStore) scanRowids(ctx context.Context, query string, args ...any) ([]int64, error) {
	return scanColumn[int64](s.db.WithContext(ctx).Raw(query, args...), searchCandidates)
}

// ftsQuery turns free text into an FTS5 query that cannot be a syntax
// error: every word quoted, all required. Words match whole (after
// stemming), as on PostgreSQL; a prefix query would merge the documents
// of every word it starts, all of them, before the first result.
func ftsQuery(q string) string {
	words := strings.FieldsFunc(q, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for i, w := range words {
		words[i] = `"` + w + `"`
	}
	return strings.Join(words, " ")
}

// searchPublished lists a page of f's search results: by rank (the default)
// or by f.Sort within the candidates.
func (s GuideStore) searchPublished(ctx context.Context, f guide.PublicFilter) ([]*guide.PublishedSummary, error) {
	cands, err := s.searchCandidates(ctx, f)
	if err != nil || len(cands) == 0 {
		return []*guide.PublishedSummary{}, err
	}
	if f.Sort == guide.SortRelevance {
		if cands, err = rankedPage(cands, f); err != nil || len(cands) == 0 {
			return []*guide.PublishedSummary{}, err
		}
	}
	q := s.db.WithContext(ctx).Table("published_guides p").Joins("JOIN categories c ON c.id = p.category_id").
		Select(pageColumns(f) + ", " + s.ordColumn() + " AS ord")
	if s.dialect == database.Postgres {
		ids := make([]string, len(cands))
		for i, c := range cands {
			ids[i] = c.GuideID
		}
		q = q.Joins("JOIN published_search ps ON ps.guide_id = p.guide_id").Where("p.guide_id IN ?", ids)
	} else {
		ords := make([]int64, len(cands))
		for i, c := range cands {
			ords[i] = c.Ord
		}
		q = q.Where("p.rowid IN ?", ords)
	}
	if f.Sort != guide.SortRelevance {
		if q, err = keysetPage(q.Limit(f.Limit), f); err != nil {
			return nil, err
		}
		found, err := scanPage(q, true)
		if err != nil {
			return nil, dbError("list search results", err)
		}
		return s.withTechnologies(ctx, found)
	}
	found, err := scanPage(q, true)
	if err != nil {
		return nil, dbError("search published", err)
	}
	byOrd := make(map[int64]summaryRow, len(found))
	for _, r := range found {
		byOrd[r.Ord] = r
	}
	rows := make([]summaryRow, 0, len(cands))
	for _, c := range cands {
		if r, ok := byOrd[c.Ord]; ok { // unpublished since the candidates were read
			r.Rank, r.RankKey = c.Rank, rankKey(c)
			rows = append(rows, r)
		}
	}
	return s.withTechnologies(ctx, rows)
}

// ordColumn is the publishing order of a published guide p.
func (s GuideStore) ordColumn() string {
	if s.dialect == database.Postgres {
		return "ps.seq"
	}
	return "p.rowid"
}

// rankKey is the cursor key after c: its rank and publishing order.
func rankKey(c candidate) string {
	return strconv.FormatFloat(c.Rank, 'g', -1, 64) + " " + strconv.FormatInt(c.Ord, 10)
}

// rankedPage orders candidates best first, ties newest first, and returns
// the f.Limit after f.After (a rankKey).
func rankedPage(cands []candidate, f guide.PublicFilter) ([]candidate, error) {
	slices.SortFunc(cands, func(a, b candidate) int {
		if c := cmp.Compare(b.Rank, a.Rank); c != 0 {
			return c
		}
		return cmp.Compare(b.Ord, a.Ord)
	})
	if f.After != nil {
		rs, os, _ := strings.Cut(f.After.Key, " ")
		r, err1 := strconv.ParseFloat(rs, 64)
		o, err2 := strconv.ParseInt(os, 10, 64)
		if err1 != nil || err2 != nil {
			return nil, apperr.New(apperr.Invalid, "the cursor is not from this search")
		}
		i := slices.IndexFunc(cands, func(c candidate) bool { return c.Rank < r || (c.Rank == r && c.Ord < o) })
		if i < 0 {
			i = len(cands)
		}
		cands = cands[i:]
	}
	if f.Limit > 0 && len(cands) > f.Limit {
		cands = cands[:f.Limit]
	}
	return cands, nil
}
