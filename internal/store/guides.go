package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/guide"
	"github.com/verdict-cms/verdict/models"
)

// CreateGuide implements guide.Store.
func (s GuideStore) CreateGuide(ctx context.Context, g *guide.Guide) error {
	row := toGuideRow(g)
	return dbError("create guide", s.db.WithContext(ctx).Create(&row).Error)
}

// SaveGuide implements guide.Store.
func (s GuideStore) SaveGuide(ctx context.Context, g *guide.Guide, version int) error {
	next := version + 1
	if g.Version != version {
		return fmt.Errorf("store: save guide %s: version %d, expected %d", g.ID, g.Version, version)
	}
	row := toGuideRow(g)
	res := s.db.WithContext(ctx).Model(&models.Guide{}).Where("id = ? AND version = ?", g.ID, version).
		Updates(map[string]any{
			"slug": row.Slug, "status": row.Status, "title": row.Title, "summary": row.Summary,
			"category_id": row.CategoryID, "version": next, "draft_revision_id": row.DraftRevisionID,
			"published_revision_id": row.PublishedRevisionID, "last_editor_id": row.LastEditorID,
			"scheduled_at": row.ScheduledAt, "published_at": row.PublishedAt, "updated_at": row.UpdatedAt,
		})
	if err := s.versioned(ctx, res, "guide", &models.Guide{}, g.ID); err != nil {
		return err
	}
	g.Version = next
	return nil
}

// FindGuide implements guide.Store.
func (s GuideStore) FindGuide(ctx context.Context, id string) (*guide.Guide, error) {
	var r models.Guide
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return nil, notFound(err, "guide")
	}
	return toGuide(r), nil
}

// FindGuideForUpdate implements guide.Store.
func (s GuideStore) FindGuideForUpdate(ctx context.Context, id string) (*guide.Guide, error) {
	var r models.Guide
	if err := s.forUpdate(s.db.WithContext(ctx)).Where("id = ?", id).Take(&r).Error; err != nil {
		return nil, notFound(err, "guide")
	}
	return toGuide(r), nil
}

// DeleteGuide implements guide.Store. Revisions, references and the
// published row go with it (ON DELETE CASCADE); the SQLite search index is
// a virtual table without foreign keys, so it is cleared by hand.
func (s GuideStore) DeleteGuide(ctx context.Context, id string) error {
	if err := s.clearSearch(ctx, id); err != nil {
		return err
	}
	if err := s.invalidateRendered(ctx, linkingTo, id, true); err != nil {
		return err
	}
	return mustAffect(s.db.WithContext(ctx).Where("id = ?", id).Delete(&models.Guide{}), "delete guide", "guide")
}

// ListGuides implements guide.Store.
func (s GuideStore) ListGuides(ctx context.Context, f guide.AdminFilter) ([]*guide.Guide, error) {
	q := s.filterGuides(ctx, f).Order("id").Limit(f.Limit)
	if f.AfterID != "" {
		q = q.Where("id > ?", f.AfterID)
	}
	var rows []models.Guide
	if err := q.Find(&rows).Error; err != nil {
		return nil, dbError("list guides", err)
	}
	out := make([]*guide.Guide, 0, len(rows))
	for _, r := range rows {
		out = append(out, toGuide(r))
	}
	return out, nil
}

// CountGuides implements guide.Store: the guides f selects, paging ignored.
func (s GuideStore) CountGuides(ctx context.Context, f guide.AdminFilter) (int, error) {
	return countRows(s.filterGuides(ctx, f), "count guides")
}

// filterGuides is the query of an editors' filter, shared by list and count.
func (s GuideStore) filterGuides(ctx context.Context, f guide.AdminFilter) *gorm.DB {
	q := s.db.WithContext(ctx).Model(&models.Guide{})
	if f.Status != nil {
		q = q.Where("status = ?", string(*f.Status))
	}
	if f.CategoryID != nil {
		q = q.Where("category_id = ?", *f.CategoryID)
	}
	if f.TechnologyID != nil {
		q = q.Where("EXISTS (SELECT 1 FROM guide_technologies gt WHERE gt.guide_id = guides.id AND gt.published = ? AND gt.technology_id = ?)", false, *f.TechnologyID)
	}
	if f.Query != "" {
		like := "%" + escapeLike(f.Query) + "%"
		q = q.Where("(LOWER(title) LIKE LOWER(?) ESCAPE '\\' OR LOWER(summary) LIKE LOWER(?) ESCAPE '\\')", like, like)
	}
	return q
}

// GuideIDsBySlugs implements guide.Store.
func (s GuideStore) GuideIDsBySlugs(ctx context.Context, slugs []string) (map[string]string, error) {
	out := map[string]string{}
	if slugs = nonEmpty(slugs); len(slugs) == 0 {
		return out, nil
	}
	var rows []models.Guide
	if err := s.db.WithContext(ctx).Select("id, slug").Where("slug IN ?", slugs).Find(&rows).Error; err != nil {
		return nil, dbError("guide ids by slug", err)
	}
	for _, r := range rows {
		out[r.Slug] = r.ID
	}
	return out, nil
}

// GuidesByIDs implements guide.Store.
func (s GuideStore) GuidesByIDs(ctx context.Context, ids []string) (map[string]*guide.Guide, error) {
	out := map[string]*guide.Guide{}
	if ids = nonEmpty(ids); len(ids) == 0 {
		return out, nil
	}
	var rows []models.Guide
	if err := s.db.WithContext(ctx).Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, dbError("guides by id", err)
	}
	for _, r := range rows {
		out[r.ID] = toGuide(r)
	}
	return out, nil
}

// LinkingGuides implements guide.Store: guides whose draft or published
// snapshot links to target.
func (s GuideStore) LinkingGuides(ctx context.Context, targetID string) ([]*guide.Guide, error) {
	var rows []models.Guide
	err := s.db.WithContext(ctx).Where("id IN (SELECT guide_id FROM guide_links WHERE target_id = ?) AND id <> ?", targetID, targetID).
		Order("id").Find(&rows).Error
	if err != nil {
		return nil, dbError("linking guides", err)
	}
	out := make([]*guide.Guide, 0, len(rows))
	for _, r := range rows {
		out = append(out, toGuide(r))
	}
	return out, nil
}

// SetReferences implements guide.Store.
func (s GuideStore) SetReferences(ctx context.Context, guideID string, published bool, techIDs, linkIDs []string) error {
	db := s.db.WithContext(ctx)
	if err := db.Where("guide_id = ? AND published = ?", guideID, published).Delete(&models.GuideTechnology{}).Error; err != nil {
		return dbError("clear guide technologies", err)
	}
	if err := db.Where("guide_id = ? AND published = ?", guideID, published).Delete(&models.GuideLink{}).Error; err != nil {
		return dbError("clear guide links", err)
	}
	if len(techIDs) > 0 {
		rows := make([]models.GuideTechnology, 0, len(techIDs))
		for i, t := range techIDs {
			rows = append(rows, models.GuideTechnology{GuideID: guideID, Published: published, TechnologyID: t, Position: i})
		}
		if err := db.Create(&rows).Error; err != nil {
			return dbError("set guide technologies", err)
		}
	}
	if len(linkIDs) > 0 {
		rows := make([]models.GuideLink, 0, len(linkIDs))
		for _, t := range linkIDs {
			rows = append(rows, models.GuideLink{GuideID: guideID, Published: published, TargetID: t})
		}
		if err := db.Create(&rows).Error; err != nil {
			return dbError("set guide links", err)
		}
	}
	return nil
}

// DueGuides implements guide.Store. On PostgreSQL the rows are locked and
// rows another instance holds are skipped, so each due guide is claimed by
// exactly one scheduler.
func (s GuideStore) DueGuides(ctx context.Context, now time.Time, limit int) ([]string, error) {
	q := s.db.WithContext(ctx).Model(&models.Guide{}).Select("id").
		Where("status = ? AND scheduled_at <= ?", string(guide.StatusScheduled), now.UTC()).Order("scheduled_at, id").Limit(limit)
	if s.dialect == database.Postgres {
		q = q.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"})
	}
	var ids []string
	if err := q.Pluck("id", &ids).Error; err != nil {
		return nil, dbError("due guides", err)
	}
	return ids, nil
}

// CreateRevision implements guide.Store.
func (s GuideStore) CreateRevision(ctx context.Context, r *guide.Revision) error {
	doc, err := json.Marshal(r.Document)
	if err != nil {
		return fmt.Errorf("store: encode revision: %w", err)
	}
	row := models.GuideRevision{ID: r.ID, GuideID: r.GuideID, Number: r.Number, Action: r.Action,
		Document: string(doc), AuthorID: r.AuthorID, CreatedAt: r.CreatedAt.UTC()}
	return dbError("create revision", s.db.WithContext(ctx).Create(&row).Error)
}

// FindRevision implements guide.Store.
func (s GuideStore) FindRevision(ctx context.Context, guideID string, number int) (*guide.Revision, error) {
	var r models.GuideRevision
	if err := s.db.WithContext(ctx).Where("guide_id = ? AND number = ?", guideID, number).Take(&r).Error; err != nil {
		return nil, notFound(err, "revision")
	}
	return toRevision(r)
}

// FindRevisionByID implements guide.Store.
func (s GuideStore) FindRevisionByID(ctx context.Context, id string) (*guide.Revision, error) {
	var r models.GuideRevision
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return nil, notFound(err, "revision")
	}
	return toRevision(r)
}

// ListRevisions implements guide.Store.
func (s GuideStore) ListRevisions(ctx context.Context, guideID string) ([]*guide.Revision, error) {
	var rows []models.GuideRevision
	if err := s.db.WithContext(ctx).Where("guide_id = ?", guideID).Order("number DESC").Find(&rows).Error; err != nil {
		return nil, dbError("list revisions", err)
	}
	out := make([]*guide.Revision, 0, len(rows))
	for _, r := range rows {
		rev, err := toRevision(r)
		if err != nil {
			return nil, err
		}
		out = append(out, rev)
	}
	return out, nil
}

// LastRevisionNumber implements guide.Store.
func (s GuideStore) LastRevisionNumber(ctx context.Context, guideID string) (int, error) {
	var n *int
	err := s.db.WithContext(ctx).Model(&models.GuideRevision{}).Select("MAX(number)").Where("guide_id = ?", guideID).Scan(&n).Error
	if err != nil || n == nil {
		return 0, dbError("last revision", err)
	}
	return *n, nil
}

func toGuideRow(g *guide.Guide) models.Guide {
	return models.Guide{ID: g.ID, Slug: g.Slug, Status: string(g.Status), Title: g.Title, Summary: g.Summary,
		CategoryID: g.CategoryID, Version: g.Version, DraftRevisionID: g.DraftRevisionID,
		PublishedRevisionID: g.PublishedRevisionID, AuthorID: g.AuthorID, LastEditorID: g.LastEditorID,
		ScheduledAt: utcPtr(g.ScheduledAt), PublishedAt: utcPtr(g.PublishedAt), CreatedAt: g.CreatedAt.UTC(), UpdatedAt: g.UpdatedAt.UTC()}
}

func toGuide(r models.Guide) *guide.Guide {
	return &guide.Guide{ID: r.ID, Slug: r.Slug, Status: guide.Status(r.Status), Title: r.Title, Summary: r.Summary,
		CategoryID: r.CategoryID, Version: r.Version, DraftRevisionID: r.DraftRevisionID,
		PublishedRevisionID: r.PublishedRevisionID, AuthorID: r.AuthorID, LastEditorID: r.LastEditorID,
		ScheduledAt: utcPtr(r.ScheduledAt), PublishedAt: utcPtr(r.PublishedAt), CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

func toRevision(r models.GuideRevision) (*guide.Revision, error) {
	rev := &guide.Revision{ID: r.ID, GuideID: r.GuideID, Number: r.Number, Action: r.Action, AuthorID: r.AuthorID, CreatedAt: r.CreatedAt.UTC()}
	if err := json.Unmarshal([]byte(r.Document), &rev.Document); err != nil {
		return nil, fmt.Errorf("store: decode revision %s: %w", r.ID, err)
	}
	return rev, nil
}
