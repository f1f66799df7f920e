package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/guide"
	"github.com/verdict-cms/verdict/models"
)

// pgIndexSQL writes a published guide's search vector, next in publishing
// order (seq): title weighs most, then summary, then the body.
const pgIndexSQL = `INSERT INTO published_search (guide_id, category_id, search)
VALUES (?, ?, setweight(to_tsvector('english', ?), 'A') || setweight(to_tsvector('english', ?), 'B') || setweight(to_tsvector('english', ?), 'C'))`

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
	row := models.PublishedGuide{GuideID: g.ID, Slug: d.Slug, Title: d.Title, Summary: d.Summary,
		CategoryID: d.CategoryID, RevisionID: rev.ID, Document: string(doc), PublishedAt: g.PublishedAt.UTC()}
	if err := db.Create(&row).Error; err != nil {
		return dbError("publish guide", err)
	}
	if s.dialect == database.Postgres {
		return dbError("index guide", db.Exec(pgIndexSQL, g.ID, d.CategoryID, d.Title, d.Summary, body).Error)
	}
	// The index entry's rowid is the row's, negated (newest first in FTS5's
	// cheap direction, see migration 00016): clearSearch deletes by it.
	err = db.Exec(`INSERT INTO published_guides_fts (rowid, title, summary, body)
SELECT -rowid, ?, ?, ? FROM published_guides WHERE guide_id = ?`, d.Title, d.Summary, body, g.ID).Error
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
		return nil // published_search rows go with their published_guides row
	}
	return dbError("clear search", s.db.WithContext(ctx).Exec(
		"DELETE FROM published_guides_fts WHERE rowid IN (SELECT -rowid FROM published_guides WHERE guide_id = ?)", guideID).Error)
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
	RankKey             string  `gorm:"-"`
	Ord                 int64   // in a search: the publishing order (see search.go)
	Entry               []byte  // the stored list entry, when asked for
}

const summaryColumns = "p.guide_id, p.slug, p.title, p.summary, p.published_at, c.id AS category_id, " +
	"c.slug AS category_slug, c.name AS category_name, c.description AS category_description, c.position AS category_position"

func (s GuideStore) publishedQuery(ctx context.Context, f guide.PublicFilter) *gorm.DB {
	q := s.db.WithContext(ctx).Table("published_guides p").Joins("JOIN categories c ON c.id = p.category_id")
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
	if f.Query != "" {
		return s.searchPublished(ctx, f)
	}
	if f.Sort == guide.SortRelevance {
		return nil, apperr.New(apperr.Invalid, "relevance needs a search query")
	}
	q := s.publishedQuery(ctx, f).Select(pageColumns(f)).Limit(f.Limit)
	q, err := keysetPage(q, f)
	if err != nil {
		return nil, err
	}
	rows, err := scanPage(q, false)
	if err != nil {
		return nil, dbError("list published", err)
	}
	return s.withTechnologies(ctx, rows)
}

// pageColumns are a page's summaryColumns and, when f asks for them, the
// stored list entries (else NULL), in scanPage's order.
func pageColumns(f guide.PublicFilter) string {
	if f.Entries {
		return summaryColumns + ", p.list_json"
	}
	return summaryColumns + ", NULL"
}

// scanPage reads the rows of a page selected with pageColumns (and the
// publishing order last, if ord) without GORM's reflection, which costs
// more than the query for a page whose entries are stored.
func scanPage(q *gorm.DB, ord bool) ([]summaryRow, error) {
	return scanRows(q, 0, func(r *summaryRow) []any {
		dest := []any{&r.GuideID, &r.Slug, &r.Title, &r.Summary, &r.PublishedAt, &r.CategoryID, &r.CategorySlug,
			&r.CategoryName, &r.CategoryDescription, &r.CategoryPosition, &r.Entry}
		if ord {
			dest = append(dest, &r.Ord)
		}
		return dest
	})
}

// CountPublished implements guide.Store.
func (s GuideStore) CountPublished(ctx context.Context, f guide.PublicFilter) (int, error) {
	if f.Query != "" {
		// What the pages list: the candidates, at most searchCandidates.
		cands, err := s.searchCandidates(ctx, f)
		return len(cands), err
	}
	var n int64
	err := s.publishedQuery(ctx, f).Count(&n).Error
	return int(n), dbError("count published", err)
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

// withTechnologies loads the options of a whole page in one query, of the
// guides whose list entry is not stored.
func (s GuideStore) withTechnologies(ctx context.Context, rows []summaryRow) ([]*guide.PublishedSummary, error) {
	out := make([]*guide.PublishedSummary, 0, len(rows))
	byID := make(map[string]*guide.PublishedSummary, len(rows))
	ids := make([]string, 0, len(rows))
	for _, r := range rows {
		sum := toSummary(r)
		out = append(out, sum)
		if r.Entry == nil {
			byID[r.GuideID] = sum
			ids = append(ids, r.GuideID)
		}
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
		Category: cat, PublishedAt: r.PublishedAt.UTC(), Rank: r.Rank, RankKey: r.RankKey, Entry: r.Entry}
}
