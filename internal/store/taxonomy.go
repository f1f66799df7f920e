package store

import (
	"context"
	"time"

	"github.com/verdict-cms/verdict/internal/guide"
	"github.com/verdict-cms/verdict/models"
)

// GuideStore is the guide.Store on GORM.
type GuideStore struct{ *Store }

var _ guide.Store = GuideStore{}

// InTx implements guide.Store. Inside a transaction it joins it without a
// savepoint: content operations never recover from a nested failure, and
// an import of many guides would otherwise hold two savepoints per guide
// (PostgreSQL runs out of lock memory at a few thousand).
func (s GuideStore) InTx(ctx context.Context, fn func(guide.Store) error) error {
	if s.inTxn {
		return fn(s)
	}
	return s.inTx(ctx, func(tx *Store) error { return fn(GuideStore{tx}) })
}

// ContentChanged implements guide.Store. NOTIFY inside a transaction is
// delivered when it commits, and not at all when it rolls back, so other
// instances never drop their caches for a change that did not happen.
func (s GuideStore) ContentChanged(ctx context.Context) error {
	if s.dialect != "postgres" {
		return nil // SQLite serves one instance: the service invalidates it directly
	}
	return dbError("notify", s.db.WithContext(ctx).Exec("SELECT pg_notify(?, '')", s.channel).Error)
}

// Emit implements guide.Store.
func (s GuideStore) Emit(ctx context.Context, eventType string, data any, at time.Time) error {
	return emit(ctx, s.Store, eventType, data, at)
}

// CreateCategory implements guide.Store.
func (s GuideStore) CreateCategory(ctx context.Context, c *guide.Category) error {
	row := toCategoryRow(c)
	return dbError("create category", s.db.WithContext(ctx).Create(&row).Error)
}

// UpdateCategory implements guide.Store.
func (s GuideStore) UpdateCategory(ctx context.Context, c *guide.Category, version int) error {
	res := s.db.WithContext(ctx).Model(&models.Category{}).Where("id = ? AND version = ?", c.ID, version).
		Updates(map[string]any{"slug": c.Slug, "name": c.Name, "description": c.Description,
			"position": c.Position, "updated_at": c.UpdatedAt.UTC(), "version": version + 1})
	if err := s.versioned(ctx, res, "category", &models.Category{}, c.ID); err != nil {
		return err
	}
	c.Version = version + 1
	// Its guides show its name, and so do guides that list them as related.
	return s.invalidateRendered(ctx, `category_id = ? OR guide_id IN (SELECT l.guide_id FROM guide_links l
JOIN published_guides t ON t.guide_id = l.target_id WHERE l.published = ? AND t.category_id = ?)`, c.ID, true, c.ID)
}

// DeleteCategory implements guide.Store.
func (s GuideStore) DeleteCategory(ctx context.Context, id string) error {
	return mustAffect(s.db.WithContext(ctx).Where("id = ?", id).Delete(&models.Category{}), "delete category", "category")
}

// FindCategory implements guide.Store.
func (s GuideStore) FindCategory(ctx context.Context, id string) (*guide.Category, error) {
	var r models.Category
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return nil, notFound(err, "category")
	}
	return toCategory(r), nil
}

// FindCategoryBySlug implements guide.Store.
func (s GuideStore) FindCategoryBySlug(ctx context.Context, slug string) (*guide.Category, error) {
	var r models.Category
	if err := s.db.WithContext(ctx).Where("slug = ?", slug).Take(&r).Error; err != nil {
		return nil, notFound(err, "category")
	}
	return toCategory(r), nil
}

// ListCategories implements guide.Store.
func (s GuideStore) ListCategories(ctx context.Context) ([]*guide.Category, error) {
	var rows []models.Category
	if err := s.db.WithContext(ctx).Order("position, name, id").Find(&rows).Error; err != nil {
		return nil, dbError("list categories", err)
	}
	out := make([]*guide.Category, 0, len(rows))
	for _, r := range rows {
		out = append(out, toCategory(r))
	}
	return out, nil
}

// CreateTechnology implements guide.Store.
func (s GuideStore) CreateTechnology(ctx context.Context, t *guide.Technology) error {
	row := toTechnologyRow(t)
	return dbError("create technology", s.db.WithContext(ctx).Create(&row).Error)
}

// UpdateTechnology implements guide.Store.
func (s GuideStore) UpdateTechnology(ctx context.Context, t *guide.Technology, version int) error {
	res := s.db.WithContext(ctx).Model(&models.Technology{}).Where("id = ? AND version = ?", t.ID, version).
		Updates(map[string]any{"slug": t.Slug, "name": t.Name, "description": t.Description, "language": t.Language,
			"website_url": t.WebsiteURL, "logo_url": t.LogoURL, "updated_at": t.UpdatedAt.UTC(), "version": version + 1})
	if err := s.versioned(ctx, res, "technology", &models.Technology{}, t.ID); err != nil {
		return err
	}
	t.Version = version + 1
	return s.invalidateRendered(ctx, "guide_id IN (SELECT guide_id FROM guide_technologies WHERE technology_id = ? AND published = ?)", t.ID, true)
}

// DeleteTechnology implements guide.Store.
func (s GuideStore) DeleteTechnology(ctx context.Context, id string) error {
	return mustAffect(s.db.WithContext(ctx).Where("id = ?", id).Delete(&models.Technology{}), "delete technology", "technology")
}

// FindTechnology implements guide.Store.
func (s GuideStore) FindTechnology(ctx context.Context, id string) (*guide.Technology, error) {
	var r models.Technology
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return nil, notFound(err, "technology")
	}
	return toTechnology(r), nil
}

// FindTechnologyBySlug implements guide.Store.
func (s GuideStore) FindTechnologyBySlug(ctx context.Context, slug string) (*guide.Technology, error) {
	var r models.Technology
	if err := s.db.WithContext(ctx).Where("slug = ?", slug).Take(&r).Error; err != nil {
		return nil, notFound(err, "technology")
	}
	return toTechnology(r), nil
}

// ListTechnologies implements guide.Store.
func (s GuideStore) ListTechnologies(ctx context.Context, afterSlug string, limit int) ([]*guide.Technology, error) {
	var rows []models.Technology
	q := s.db.WithContext(ctx).Order("slug").Limit(limit)
	if afterSlug != "" {
		q = q.Where("slug > ?", afterSlug)
	}
	if err := q.Find(&rows).Error; err != nil {
		return nil, dbError("list technologies", err)
	}
	out := make([]*guide.Technology, 0, len(rows))
	for _, r := range rows {
		out = append(out, toTechnology(r))
	}
	return out, nil
}

// TechnologiesBySlugs implements guide.Store.
func (s GuideStore) TechnologiesBySlugs(ctx context.Context, slugs []string) (map[string]*guide.Technology, error) {
	return s.technologiesBy(ctx, "slug", slugs, func(t *guide.Technology) string { return t.Slug })
}

// TechnologiesByIDs implements guide.Store.
func (s GuideStore) TechnologiesByIDs(ctx context.Context, ids []string) (map[string]*guide.Technology, error) {
	return s.technologiesBy(ctx, "id", ids, func(t *guide.Technology) string { return t.ID })
}

func (s GuideStore) technologiesBy(ctx context.Context, col string, keys []string, key func(*guide.Technology) string) (map[string]*guide.Technology, error) {
	out := map[string]*guide.Technology{}
	keys = nonEmpty(keys)
	if len(keys) == 0 {
		return out, nil
	}
	var rows []models.Technology
	if err := s.db.WithContext(ctx).Where(col+" IN ?", keys).Find(&rows).Error; err != nil {
		return nil, dbError("technologies by "+col, err)
	}
	for _, r := range rows {
		t := toTechnology(r)
		out[key(t)] = t
	}
	return out, nil
}

// TechnologyInUse implements guide.Store.
func (s GuideStore) TechnologyInUse(ctx context.Context, id string) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&models.GuideTechnology{}).Where("technology_id = ?", id).Limit(1).Count(&n).Error
	return n > 0, dbError("technology in use", err)
}

func nonEmpty(in []string) []string {
	out := make([]string, 0, len(in))
	for _, s := range in {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func toCategoryRow(c *guide.Category) models.Category {
	return models.Category{ID: c.ID, Slug: c.Slug, Name: c.Name, Description: c.Description, Position: c.Position,
		Version: c.Version, CreatedAt: c.CreatedAt.UTC(), UpdatedAt: c.UpdatedAt.UTC()}
}

func toCategory(r models.Category) *guide.Category {
	return &guide.Category{ID: r.ID, Slug: r.Slug, Name: r.Name, Description: r.Description, Position: r.Position,
		Version: r.Version, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

func toTechnologyRow(t *guide.Technology) models.Technology {
	return models.Technology{ID: t.ID, Slug: t.Slug, Name: t.Name, Description: t.Description, Language: t.Language,
		WebsiteURL: t.WebsiteURL, LogoURL: t.LogoURL, Version: t.Version, CreatedAt: t.CreatedAt.UTC(), UpdatedAt: t.UpdatedAt.UTC()}
}

func toTechnology(r models.Technology) *guide.Technology {
	return &guide.Technology{ID: r.ID, Slug: r.Slug, Name: r.Name, Description: r.Description, Language: r.Language,
		WebsiteURL: r.WebsiteURL, LogoURL: r.LogoURL, Version: r.Version, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}
