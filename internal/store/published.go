package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"gorm.io/gorm"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/guide"
	"github.com/verdict-cms/verdict/models"
)

// pgPublishSQL writes the public row with its search vector: title weighs
// most, then summary, then the body.
const pgPublishSQL = `INSERT INTO published_guides
  (guide_id, slug, title, summary, category_id, revision_id, document, published_at, search)
VALUES (?, ?, ?, ?, ?, ?, ?, ?,
  setweight(to_tsvector('english', ?), 'A') || setweight(to_tsvector('english', ?), 'B') || setweight(to_tsvector('english', ?), 'C'))`

// Publish implements guide.Store.
func (s GuideStore) Publish(ctx context.Context, g *guide.Guide, rev *guide.Revision, body string) error {
	doc, err := json.Marshal(rev.Document)
	if err != nil {
		return fmt.Errorf("store: encode published document: %w", err)
	}
	if err := s.Unpublish(ctx, g.ID); err != nil {
		return err
	}
	d, db := rev.Document, s.db.WithContext(ctx)
	at := g.PublishedAt.UTC()
	if s.dialect == database.Postgres {
		err := db.Exec(pgPublishSQL, g.ID, d.Slug, d.Title, d.Summary, d.CategoryID, rev.ID, string(doc), at, d.Title, d.Summary, body).Error
		return dbError("publish guide", err)
	}
	row := models.PublishedGuide{GuideID: g.ID, Slug: d.Slug, Title: d.Title, Summary: d.Summary,
		CategoryID: d.CategoryID, RevisionID: rev.ID, Document: string(doc), PublishedAt: at}
	if err := db.Create(&row).Error; err != nil {
		return dbError("publish guide", err)
	}
	// The index entry shares the row's rowid: clearSearch deletes by it.
	err = db.Exec(`INSERT INTO published_guides_fts (rowid, guide_id, title, summary, body)
SELECT rowid, guide_id, ?, ?, ? FROM published_guides WHERE guide_id = ?`, d.Title, d.Summary, body, g.ID).Error
	return dbError("index guide", err)
}

// Unpublish implements guide.Store.
func (s GuideStore) Unpublish(ctx context.Context, guideID string) error {
	if err := s.clearSearch(ctx, guideID); err != nil {
		return err
	}
	// Guides that list this one as related show its title and summary.
	if err := s.invalidateRendered(ctx, linkingTo, guideID, true); err != nil {
		return err
	}
	return dbError("unpublish guide", s.db.WithContext(ctx).Where("guide_id = ?", guideID).Delete(&models.PublishedGuide{}).Error)
}

func (s GuideStore) clearSearch(ctx context.Context, guideID string) error {
	if s.dialect == database.Postgres {
		return nil // the search vector is a column of published_guides
	}
	return dbError("clear search", s.db.WithContext(ctx).Exec(
		"DELETE FROM published_guides_fts WHERE rowid IN (SELECT rowid FROM published_guides WHERE guide_id = ?)", guideID).Error)
}

// FindPublishedBySlug implements guide.Store.
func (s GuideStore) FindPublishedBySlug(ctx context.Context, slug string) (*guide.Published, error) {
	var r models.PublishedGuide
	if err := s.db.WithContext(ctx).Where("slug = ?", slug).Take(&r).Error; err != nil {
		return nil, notFound(err, "guide")
	}
	return toPublished(&r)
}

// FindPublishedByIDs implements guide.Store.
func (s GuideStore) FindPublishedByIDs(ctx context.Context, ids []string) ([]*guide.Published, error) {
	var rows []models.PublishedGuide
	if err := s.db.WithContext(ctx).Where("guide_id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, dbError("find published", err)
	}
	out := make([]*guide.Published, 0, len(rows))
	for i := range rows {
		p, err := toPublished(&rows[i])
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

func toPublished(r *models.PublishedGuide) (*guide.Published, error) {
	p := &guide.Published{GuideID: r.GuideID, Slug: r.Slug, RevisionID: r.RevisionID, PublishedAt: r.PublishedAt.UTC()}
	if err := json.Unmarshal([]byte(r.Document), &p.Document); err != nil {
		return nil, fmt.Errorf("store: decode published %s: %w", r.GuideID, err)
	}
	return p, nil
}

// summaryRow is a published guide joined with its category.
type summaryRow struct {
	GuideID             string
	Slug                string
	Title               string
	Summary             string
	PublishedAt         time.Time
	CategoryID          string
	CategorySlug        string
	CategoryName        string
	CategoryDescription string
	CategoryPosition    int
	Rank                float64 // search relevance, higher is better
}

const summaryColumns = "p.guide_id, p.slug, p.title, p.summary, p.published_at, c.id AS category_id, " +
	"c.slug AS category_slug, c.name AS category_name, c.description AS category_description, c.position AS category_position"

// searchCandidates bounds how many matches a search ranks. A word in
// every guide would otherwise rank them all (reading each one's whole
// search vector); beyond this many matches, the first found are ranked.
const searchCandidates = 200

func (s GuideStore) publishedQuery(ctx context.Context, f guide.PublicFilter) *gorm.DB {
	q := s.db.WithContext(ctx).Table("published_guides p").Joins("JOIN categories c ON c.id = p.category_id")
	if f.Query != "" {
		// The full-text index finds the matches first; filters apply inside
		// so that the bounded candidates all qualify.
		var filters []string
		var args []any
		if f.CategorySlug != "" {
			filters = append(filters, "guide_id IN (SELECT guide_id FROM published_guides WHERE category_id IN (SELECT id FROM categories WHERE slug = ?))")
			args = append(args, f.CategorySlug)
		}
		if f.TechnologySlug != "" {
			filters = append(filters, `guide_id IN (SELECT gt.guide_id FROM guide_technologies gt JOIN technologies t ON t.id = gt.technology_id
			WHERE gt.published = ? AND t.slug = ?)`)
			args = append(args, true, f.TechnologySlug)
		}
		where := ""
		for _, f := range filters {
			where += " AND " + f
		}
		if s.dialect == database.Postgres {
			// Title weighs most, then summary, then body (the vector's weights).
			m := "(SELECT guide_id, ts_rank(search, wq) AS rank FROM published_guides, websearch_to_tsquery('english', ?) wq WHERE search @@ wq" +
				where + " LIMIT " + strconv.Itoa(searchCandidates) + ") m"
			q = q.Joins("JOIN "+m+" ON m.guide_id = p.guide_id", append([]any{f.Query}, args...)...)
		} else if fq := ftsQuery(f.Query); fq != "" {
			// FTS5's bm25, negated so that higher is better as on PostgreSQL.
			m := "(SELECT guide_id, -bm25(published_guides_fts, 0, 10, 4, 1) AS rank FROM published_guides_fts WHERE published_guides_fts MATCH ?" +
				where + " LIMIT " + strconv.Itoa(searchCandidates) + ") m"
			q = q.Joins("JOIN "+m+" ON m.guide_id = p.guide_id", append([]any{fq}, args...)...)
		} else {
			q = q.Where("1 = 0") // nothing searchable in the query
		}
		return q
	}
	if f.CategorySlug != "" {
		q = q.Where("c.slug = ?", f.CategorySlug)
	}
	if f.TechnologySlug != "" {
		q = q.Where(`EXISTS (SELECT 1 FROM guide_technologies gt JOIN technologies t ON t.id = gt.technology_id
			WHERE gt.guide_id = p.guide_id AND gt.published = ? AND t.slug = ?)`, true, f.TechnologySlug)
	}
	return q
}

// ListPublished implements guide.Store with a keyset over the sort column
// and the guide ID, so pages stay stable while guides are published.
func (s GuideStore) ListPublished(ctx context.Context, f guide.PublicFilter) ([]*guide.PublishedSummary, error) {
	if s.searchNeedsPlan(f) {
		var out []*guide.PublishedSummary
		err := s.customPlan(ctx, func(tx GuideStore) (err error) {
			out, err = tx.ListPublished(ctx, f)
			return err
		})
		return out, err
	}
	cols := summaryColumns
	if f.Query != "" {
		cols += ", m.rank"
	}
	q := s.publishedQuery(ctx, f).Select(cols).Limit(f.Limit)
	col, desc := "p.published_at", true
	switch f.Sort {
	case guide.SortRelevance:
		return s.listByRank(ctx, q, f)
	case guide.SortPublishedAsc:
		desc = false
	case guide.SortTitleAsc:
		col, desc = "p.title", false
	case guide.SortTitleDesc:
		col = "p.title"
	}
	dir, cmp := "ASC", ">"
	if desc {
		dir, cmp = "DESC", "<"
	}
	if f.After != nil {
		var key any = f.After.Key
		if col == "p.published_at" {
			t, err := time.Parse(time.RFC3339Nano, f.After.Key)
			if err != nil {
				return nil, fmt.Errorf("store: bad cursor time: %w", err)
			}
			key = t.UTC()
		}
		q = q.Where(fmt.Sprintf("(%s %s ? OR (%s = ? AND p.guide_id %s ?))", col, cmp, col, cmp), key, key, f.After.ID)
	}
	var rows []summaryRow
	if err := q.Order(fmt.Sprintf("%s %s, p.guide_id %s", col, dir, dir)).Scan(&rows).Error; err != nil {
		return nil, dbError("list published", err)
	}
	return s.withTechnologies(ctx, rows)
}

// listByRank orders search results best first, ties by guide ID, with the
// rank and ID as the keyset.
func (s GuideStore) listByRank(ctx context.Context, q *gorm.DB, f guide.PublicFilter) ([]*guide.PublishedSummary, error) {
	if f.Query == "" {
		return nil, apperr.New(apperr.Invalid, "relevance needs a search query")
	}
	if f.After != nil {
		r, err := strconv.ParseFloat(f.After.Key, 64)
		if err != nil {
			return nil, apperr.New(apperr.Invalid, "the cursor is not from this search")
		}
		q = q.Where("(m.rank < ? OR (m.rank = ? AND p.guide_id > ?))", r, r, f.After.ID)
	}
	var rows []summaryRow
	if err := q.Order("m.rank DESC, p.guide_id ASC").Scan(&rows).Error; err != nil {
		return nil, dbError("search published", err)
	}
	return s.withTechnologies(ctx, rows)
}

// CountPublished implements guide.Store.
func (s GuideStore) CountPublished(ctx context.Context, f guide.PublicFilter) (int, error) {
	if s.searchNeedsPlan(f) {
		var n int
		err := s.customPlan(ctx, func(tx GuideStore) (err error) {
			n, err = tx.CountPublished(ctx, f)
			return err
		})
		return n, err
	}
	var n int64
	err := s.publishedQuery(ctx, f).Count(&n).Error
	return int(n), dbError("count published", err)
}

// searchNeedsPlan reports a PostgreSQL search outside customPlan.
func (s GuideStore) searchNeedsPlan(f guide.PublicFilter) bool {
	return f.Query != "" && s.dialect == database.Postgres && !s.customPlanned
}

// customPlan runs fn in a transaction that plans each statement for its
// own words. A cached generic plan cannot see the words, and guesses: for
// a word in every guide it builds the full-text index's bitmap of all of
// them (tens of ms) where a scan finds the few candidates ranked at once.
func (s GuideStore) customPlan(ctx context.Context, fn func(GuideStore) error) error {
	return s.inTx(ctx, func(tx *Store) error {
		if err := tx.db.WithContext(ctx).Exec("SET LOCAL plan_cache_mode = force_custom_plan").Error; err != nil {
			return dbError("search plan", err)
		}
		tx.customPlanned = true
		return fn(GuideStore{tx})
	})
}

// PublishedSummaries implements guide.Store.
func (s GuideStore) PublishedSummaries(ctx context.Context, ids []string) (map[string]*guide.PublishedSummary, error) {
	out := map[string]*guide.PublishedSummary{}
	if ids = nonEmpty(ids); len(ids) == 0 {
		return out, nil
	}
	var rows []summaryRow
	err := s.db.WithContext(ctx).Table("published_guides p").Joins("JOIN categories c ON c.id = p.category_id").
		Select(summaryColumns).Where("p.guide_id IN ?", ids).Scan(&rows).Error
	if err != nil {
		return nil, dbError("published summaries", err)
	}
	for _, r := range rows {
		out[r.GuideID] = toSummary(r)
	}
	return out, nil
}

// GuidesFeaturing implements guide.Store.
func (s GuideStore) GuidesFeaturing(ctx context.Context, technologyID string) ([]*guide.PublishedSummary, error) {
	var rows []summaryRow
	err := s.db.WithContext(ctx).Table("published_guides p").Joins("JOIN categories c ON c.id = p.category_id").
		Select(summaryColumns).
		Where("p.guide_id IN (SELECT guide_id FROM guide_technologies WHERE technology_id = ? AND published = ?)", technologyID, true).
		Order("p.title, p.guide_id").Limit(200).Scan(&rows).Error
	if err != nil {
		return nil, dbError("guides featuring", err)
	}
	return s.withTechnologies(ctx, rows)
}

// withTechnologies loads the options of a whole page in one query.
func (s GuideStore) withTechnologies(ctx context.Context, rows []summaryRow) ([]*guide.PublishedSummary, error) {
	out := make([]*guide.PublishedSummary, 0, len(rows))
	byID := make(map[string]*guide.PublishedSummary, len(rows))
	ids := make([]string, 0, len(rows))
	for _, r := range rows {
		sum := toSummary(r)
		out = append(out, sum)
		byID[r.GuideID] = sum
		ids = append(ids, r.GuideID)
	}
	if len(ids) == 0 {
		return out, nil
	}
	var techs []struct {
		GuideID string
		models.Technology
	}
	err := s.db.WithContext(ctx).Table("guide_technologies gt").Joins("JOIN technologies t ON t.id = gt.technology_id").
		Select("gt.guide_id, t.*").Where("gt.published = ? AND gt.guide_id IN ?", true, ids).
		Order("gt.guide_id, gt.position").Scan(&techs).Error
	if err != nil {
		return nil, dbError("page technologies", err)
	}
	for _, t := range techs {
		byID[t.GuideID].Technologies = append(byID[t.GuideID].Technologies, toTechnology(t.Technology))
	}
	return out, nil
}

func toSummary(r summaryRow) *guide.PublishedSummary {
	cat := &guide.Category{ID: r.CategoryID, Slug: r.CategorySlug, Name: r.CategoryName,
		Description: r.CategoryDescription, Position: r.CategoryPosition}
	return &guide.PublishedSummary{GuideID: r.GuideID, Slug: r.Slug, Title: r.Title, Summary: r.Summary,
		Category: cat, PublishedAt: r.PublishedAt.UTC(), Rank: r.Rank}
}

// ftsQuery turns free text into an FTS5 query that cannot be a syntax
// error: every word quoted, all required, the last one as a prefix.
func ftsQuery(q string) string {
	words := strings.FieldsFunc(q, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for i, w := range words {
		words[i] = `"` + w + `"`
		if i == len(words)-1 {
			words[i] += "*"
		}
	}
	return strings.Join(words, " ")
}
