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

// CreateTranslation implements guide.TranslationStore.
func (s GuideStore) CreateTranslation(ctx context.Context, t *guide.Translation) error {
	row, err := toTranslationRow(t)
	if err != nil {
		return err
	}
	return dbError("create translation", s.db.WithContext(ctx).Create(&row).Error)
}

// SaveTranslation implements guide.TranslationStore.
func (s GuideStore) SaveTranslation(ctx context.Context, t *guide.Translation, version int) error {
	row, err := toTranslationRow(t)
	if err != nil {
		return err
	}
	next := version + 1
	res := s.db.WithContext(ctx).Model(&models.GuideTranslation{}).
		Where("guide_id = ? AND locale = ? AND version = ?", t.GuideID, t.Locale, version).
		Updates(map[string]any{"slug": row.Slug, "title": row.Title, "status": row.Status, "version": next,
			"draft_revision_id": row.DraftRevisionID, "published_revision_id": row.PublishedRevisionID,
			"source_texts": row.SourceTexts, "scheduled_at": row.ScheduledAt, "published_at": row.PublishedAt,
			"updated_at": row.UpdatedAt})
	if res.Error != nil {
		return dbError("save translation", res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("store: save translation %s/%s: version %d is stale", t.GuideID, t.Locale, version)
	}
	t.Version = next
	return nil
}

// FindTranslation implements guide.TranslationStore.
func (s GuideStore) FindTranslation(ctx context.Context, guideID, locale string) (*guide.Translation, error) {
	var r models.GuideTranslation
	if err := s.db.WithContext(ctx).Where("guide_id = ? AND locale = ?", guideID, locale).Take(&r).Error; err != nil {
		return nil, notFound(err, "translation")
	}
	return toTranslation(r)
}

// ListTranslations implements guide.TranslationStore.
func (s GuideStore) ListTranslations(ctx context.Context, guideID string) ([]*guide.Translation, error) {
	var rows []models.GuideTranslation
	if err := s.db.WithContext(ctx).Where("guide_id = ?", guideID).Order("locale").Find(&rows).Error; err != nil {
		return nil, dbError("list translations", err)
	}
	out := make([]*guide.Translation, 0, len(rows))
	for _, r := range rows {
		t, err := toTranslation(r)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// DeleteTranslation implements guide.TranslationStore; its revisions go
// with it (ON DELETE CASCADE).
func (s GuideStore) DeleteTranslation(ctx context.Context, guideID, locale string) error {
	return mustAffect(s.db.WithContext(ctx).Where("guide_id = ? AND locale = ?", guideID, locale).
		Delete(&models.GuideTranslation{}), "delete translation", "translation")
}

// DueTranslations implements guide.TranslationStore, claiming rows like
// DueGuides.
func (s GuideStore) DueTranslations(ctx context.Context, now time.Time, limit int) ([]guide.TranslationKey, error) {
	q := s.db.WithContext(ctx).Model(&models.GuideTranslation{}).Select("guide_id, locale").
		Where("status = ? AND scheduled_at <= ?", string(guide.StatusScheduled), now.UTC()).Order("scheduled_at, guide_id, locale").Limit(limit)
	if s.dialect == database.Postgres {
		q = q.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"})
	}
	var out []guide.TranslationKey
	if err := q.Scan(&out).Error; err != nil {
		return nil, dbError("due translations", err)
	}
	return out, nil
}

// CreateTranslationRevision implements guide.TranslationStore.
func (s GuideStore) CreateTranslationRevision(ctx context.Context, r *guide.TranslationRevision) error {
	doc, err := json.Marshal(r.Texts)
	if err != nil {
		return fmt.Errorf("store: encode translation revision: %w", err)
	}
	row := models.GuideTranslationRevision{ID: r.ID, GuideID: r.GuideID, Locale: r.Locale, Number: r.Number,
		Action: r.Action, Document: string(doc), AuthorID: r.AuthorID, CreatedAt: r.CreatedAt.UTC()}
	return dbError("create translation revision", s.db.WithContext(ctx).Create(&row).Error)
}

// FindTranslationRevisionByID implements guide.TranslationStore.
func (s GuideStore) FindTranslationRevisionByID(ctx context.Context, id string) (*guide.TranslationRevision, error) {
	var r models.GuideTranslationRevision
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return nil, notFound(err, "revision")
	}
	return toTranslationRevision(r)
}

// ListTranslationRevisions implements guide.TranslationStore.
func (s GuideStore) ListTranslationRevisions(ctx context.Context, guideID, locale string) ([]*guide.TranslationRevision, error) {
	var rows []models.GuideTranslationRevision
	err := s.db.WithContext(ctx).Where("guide_id = ? AND locale = ?", guideID, locale).Order("number DESC").Find(&rows).Error
	if err != nil {
		return nil, dbError("list translation revisions", err)
	}
	out := make([]*guide.TranslationRevision, 0, len(rows))
	for _, r := range rows {
		rev, err := toTranslationRevision(r)
		if err != nil {
			return nil, err
		}
		out = append(out, rev)
	}
	return out, nil
}

// LastTranslationRevisionNumber implements guide.TranslationStore.
func (s GuideStore) LastTranslationRevisionNumber(ctx context.Context, guideID, locale string) (int, error) {
	var n *int
	err := s.db.WithContext(ctx).Model(&models.GuideTranslationRevision{}).Select("MAX(number)").
		Where("guide_id = ? AND locale = ?", guideID, locale).Scan(&n).Error
	if err != nil || n == nil {
		return 0, dbError("last translation revision", err)
	}
	return *n, nil
}

// PublishTranslation implements guide.TranslationStore. The guide's other
// renderings list this locale among their alternates, so they are cleared
// too.
func (s GuideStore) PublishTranslation(ctx context.Context, t *guide.Translation, doc *guide.Document, revisionID string) error {
	body, err := json.Marshal(doc)
	if err != nil {
		return fmt.Errorf("store: encode published translation: %w", err)
	}
	db := s.db.WithContext(ctx)
	if err := db.Where("guide_id = ? AND locale = ?", t.GuideID, t.Locale).Delete(&models.PublishedTranslation{}).Error; err != nil {
		return dbError("replace published translation", err)
	}
	row := models.PublishedTranslation{GuideID: t.GuideID, Locale: t.Locale, Slug: doc.Slug, Title: doc.Title,
		Summary: doc.Summary, CategoryID: doc.CategoryID, RevisionID: revisionID, Document: string(body), PublishedAt: t.PublishedAt.UTC()}
	if err := db.Create(&row).Error; err != nil {
		return dbError("publish translation", err)
	}
	return s.invalidateTranslated(ctx, t.GuideID)
}

// invalidateTranslated clears the renderings that show a guide's
// translations: its own (alternates) and those of guides listing it as
// related (its title in their locale).
func (s GuideStore) invalidateTranslated(ctx context.Context, guideID string) error {
	if err := s.invalidateRendered(ctx, "guide_id = ?", guideID); err != nil {
		return err
	}
	return s.invalidateRendered(ctx, linkingTo, guideID, true)
}

// UnpublishTranslation implements guide.TranslationStore.
func (s GuideStore) UnpublishTranslation(ctx context.Context, guideID, locale string) error {
	q := s.db.WithContext(ctx).Where("guide_id = ?", guideID)
	if locale != "" {
		q = q.Where("locale = ?", locale)
	}
	if err := q.Delete(&models.PublishedTranslation{}).Error; err != nil {
		return dbError("unpublish translation", err)
	}
	return s.invalidateTranslated(ctx, guideID)
}

// FindPublishedTranslation implements guide.TranslationStore.
func (s GuideStore) FindPublishedTranslation(ctx context.Context, locale, slug string) (*guide.Published, error) {
	var r models.PublishedTranslation
	if err := s.db.WithContext(ctx).Where("locale = ? AND slug = ?", locale, slug).Take(&r).Error; err != nil {
		return nil, notFound(err, "guide")
	}
	return toPublishedTranslation(&r)
}

// FindPublishedTranslationByID implements guide.TranslationStore.
func (s GuideStore) FindPublishedTranslationByID(ctx context.Context, guideID, locale string) (*guide.Published, error) {
	var r models.PublishedTranslation
	if err := s.db.WithContext(ctx).Where("guide_id = ? AND locale = ?", guideID, locale).Take(&r).Error; err != nil {
		return nil, notFound(err, "guide")
	}
	return toPublishedTranslation(&r)
}

// PublishedAlternates implements guide.TranslationStore: the default
// locale first, then the others by name.
func (s GuideStore) PublishedAlternates(ctx context.Context, defaultLocale string, guideIDs []string) (map[string][]guide.Alternate, error) {
	out := map[string][]guide.Alternate{}
	if guideIDs = nonEmpty(guideIDs); len(guideIDs) == 0 {
		return out, nil
	}
	var rows []struct{ GuideID, Locale, Slug string }
	err := s.db.WithContext(ctx).Raw(`SELECT guide_id, ? AS locale, slug FROM published_guides WHERE guide_id IN ?
UNION ALL SELECT guide_id, locale, slug FROM published_translations WHERE guide_id IN ?
ORDER BY 1, 2`, defaultLocale, guideIDs, guideIDs).Scan(&rows).Error
	if err != nil {
		return nil, dbError("published alternates", err)
	}
	for _, r := range rows {
		a := guide.Alternate{Locale: r.Locale, Slug: r.Slug}
		if r.Locale == defaultLocale {
			out[r.GuideID] = append([]guide.Alternate{a}, out[r.GuideID]...)
		} else {
			out[r.GuideID] = append(out[r.GuideID], a)
		}
	}
	return out, nil
}

// TranslatedSummaries implements guide.TranslationStore.
func (s GuideStore) TranslatedSummaries(ctx context.Context, locale string, guideIDs []string) (map[string]*guide.PublishedSummary, error) {
	out := map[string]*guide.PublishedSummary{}
	if guideIDs = nonEmpty(guideIDs); len(guideIDs) == 0 {
		return out, nil
	}
	var rows []summaryRow
	err := s.db.WithContext(ctx).Table("published_translations p").Joins("JOIN categories c ON c.id = p.category_id").
		Select(summaryColumns).Where("p.locale = ? AND p.guide_id IN ?", locale, guideIDs).Scan(&rows).Error
	if err != nil {
		return nil, dbError("translated summaries", err)
	}
	for _, r := range rows {
		out[r.GuideID] = toSummary(r)
	}
	return out, nil
}

// ListPublishedTranslations implements guide.TranslationStore: the public
// list of one locale, with the same filters, order and keyset as
// ListPublished; q matches the translated title and summary.
func (s GuideStore) ListPublishedTranslations(ctx context.Context, locale string, f guide.PublicFilter) ([]*guide.PublishedSummary, error) {
	q := s.translatedQuery(ctx, locale, f)
	q, err := keysetPage(q.Select(summaryColumns).Limit(f.Limit), f)
	if err != nil {
		return nil, err
	}
	var rows []summaryRow
	if err := q.Scan(&rows).Error; err != nil {
		return nil, dbError("list published translations", err)
	}
	return s.withTechnologies(ctx, rows)
}

// CountPublishedTranslations implements guide.TranslationStore.
func (s GuideStore) CountPublishedTranslations(ctx context.Context, locale string, f guide.PublicFilter) (int, error) {
	var n int64
	err := s.translatedQuery(ctx, locale, f).Count(&n).Error
	return int(n), dbError("count published translations", err)
}

func (s GuideStore) translatedQuery(ctx context.Context, locale string, f guide.PublicFilter) *gorm.DB {
	q := s.db.WithContext(ctx).Table("published_translations p").Joins("JOIN categories c ON c.id = p.category_id").
		Where("p.locale = ?", locale)
	if f.CategorySlug != "" {
		q = q.Where("c.slug = ?", f.CategorySlug)
	}
	if f.TechnologySlug != "" {
		q = q.Where(`EXISTS (SELECT 1 FROM guide_technologies gt JOIN technologies t ON t.id = gt.technology_id
			WHERE gt.guide_id = p.guide_id AND gt.published = ? AND t.slug = ?)`, true, f.TechnologySlug)
	}
	if f.Query != "" {
		like := "%" + escapeLike(f.Query) + "%"
		q = q.Where("(LOWER(p.title) LIKE LOWER(?) ESCAPE '\\' OR LOWER(p.summary) LIKE LOWER(?) ESCAPE '\\')", like, like)
	}
	return q
}

// SetNameTranslation implements guide.TranslationStore.
func (s GuideStore) SetNameTranslation(ctx context.Context, kind guide.NameKind, id, locale string, n guide.NameTexts) error {
	var row any = &models.CategoryTranslation{CategoryID: id, Locale: locale, Name: n.Name, Description: n.Description}
	if kind == guide.NameTechnology {
		row = &models.TechnologyTranslation{TechnologyID: id, Locale: locale, Name: n.Name, Description: n.Description}
	}
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{UpdateAll: true}).Create(row).Error
	if err != nil {
		return dbError("set name translation", err)
	}
	return s.invalidateNames(ctx, kind, id)
}

// DeleteNameTranslation implements guide.TranslationStore.
func (s GuideStore) DeleteNameTranslation(ctx context.Context, kind guide.NameKind, id, locale string) error {
	var res = s.db.WithContext(ctx).Where("category_id = ? AND locale = ?", id, locale).Delete(&models.CategoryTranslation{})
	if kind == guide.NameTechnology {
		res = s.db.WithContext(ctx).Where("technology_id = ? AND locale = ?", id, locale).Delete(&models.TechnologyTranslation{})
	}
	if err := mustAffect(res, "delete name translation", "translation"); err != nil {
		return err
	}
	return s.invalidateNames(ctx, kind, id)
}

// invalidateNames clears the renderings that show a category's or
// technology's name.
func (s GuideStore) invalidateNames(ctx context.Context, kind guide.NameKind, id string) error {
	if kind == guide.NameTechnology {
		return s.invalidateRendered(ctx, "guide_id IN (SELECT guide_id FROM guide_technologies WHERE technology_id = ? AND published = ?)", id, true)
	}
	return s.invalidateRendered(ctx, `category_id = ? OR guide_id IN (SELECT l.guide_id FROM guide_links l
		JOIN published_guides t ON t.guide_id = l.target_id WHERE t.category_id = ? AND l.published = ?)`, id, id, true)
}

// NameTranslations implements guide.TranslationStore.
func (s GuideStore) NameTranslations(ctx context.Context, kind guide.NameKind, locale string, ids []string) (map[string]guide.NameTexts, error) {
	out := map[string]guide.NameTexts{}
	if ids = nonEmpty(ids); len(ids) == 0 {
		return out, nil
	}
	table, col := "category_translations", "category_id"
	if kind == guide.NameTechnology {
		table, col = "technology_translations", "technology_id"
	}
	var rows []struct{ ID, Name, Description string }
	err := s.db.WithContext(ctx).Table(table).Select(col+" AS id, name, description").
		Where("locale = ? AND "+col+" IN ?", locale, ids).Scan(&rows).Error
	if err != nil {
		return nil, dbError("name translations", err)
	}
	for _, r := range rows {
		out[r.ID] = guide.NameTexts{Name: r.Name, Description: r.Description}
	}
	return out, nil
}

func toTranslationRow(t *guide.Translation) (models.GuideTranslation, error) {
	src, err := json.Marshal(t.SourceTexts)
	if err != nil {
		return models.GuideTranslation{}, fmt.Errorf("store: encode source texts: %w", err)
	}
	return models.GuideTranslation{GuideID: t.GuideID, Locale: t.Locale, Slug: t.Slug, Title: t.Title, Status: string(t.Status),
		Version: t.Version, DraftRevisionID: t.DraftRevisionID, PublishedRevisionID: t.PublishedRevisionID, SourceTexts: string(src),
		ScheduledAt: utcPtr(t.ScheduledAt), PublishedAt: utcPtr(t.PublishedAt), CreatedAt: t.CreatedAt.UTC(), UpdatedAt: t.UpdatedAt.UTC()}, nil
}

func toTranslation(r models.GuideTranslation) (*guide.Translation, error) {
	t := &guide.Translation{GuideID: r.GuideID, Locale: r.Locale, Slug: r.Slug, Title: r.Title, Status: guide.Status(r.Status),
		Version: r.Version, DraftRevisionID: r.DraftRevisionID, PublishedRevisionID: r.PublishedRevisionID,
		ScheduledAt: utcPtr(r.ScheduledAt), PublishedAt: utcPtr(r.PublishedAt), CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	if err := json.Unmarshal([]byte(r.SourceTexts), &t.SourceTexts); err != nil {
		return nil, fmt.Errorf("store: decode source texts of %s/%s: %w", r.GuideID, r.Locale, err)
	}
	return t, nil
}

func toTranslationRevision(r models.GuideTranslationRevision) (*guide.TranslationRevision, error) {
	rev := &guide.TranslationRevision{ID: r.ID, GuideID: r.GuideID, Locale: r.Locale, Number: r.Number, Action: r.Action,
		AuthorID: r.AuthorID, CreatedAt: r.CreatedAt.UTC()}
	if err := json.Unmarshal([]byte(r.Document), &rev.Texts); err != nil {
		return nil, fmt.Errorf("store: decode translation revision %s: %w", r.ID, err)
	}
	return rev, nil
}

func toPublishedTranslation(r *models.PublishedTranslation) (*guide.Published, error) {
	p := &guide.Published{GuideID: r.GuideID, Slug: r.Slug, RevisionID: r.RevisionID, PublishedAt: r.PublishedAt.UTC()}
	if err := json.Unmarshal([]byte(r.Document), &p.Document); err != nil {
		return nil, fmt.Errorf("store: decode published translation %s/%s: %w", r.GuideID, r.Locale, err)
	}
	return p, nil
}

// keysetPage orders a page of published guides (p) by f.Sort, published
// time or title, after the cursor, with the guide ID as the tie-breaker.
func keysetPage(q *gorm.DB, f guide.PublicFilter) (*gorm.DB, error) {
	col, desc := "p.published_at", true
	switch f.Sort {
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
	return q.Order(fmt.Sprintf("%s %s, p.guide_id %s", col, dir, dir)), nil
}
