package store

import (
	"context"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/media"
	"github.com/verdict-cms/verdict/models"
)

var _ media.LibraryStore = MediaStore{}

// SearchMedia implements media.LibraryStore: original names containing q
// (any case), newest first; an empty q lists everything.
func (s MediaStore) SearchMedia(ctx context.Context, q, beforeID string, limit int) ([]*media.Item, error) {
	db := s.db.WithContext(ctx).Order("created_at DESC, id DESC").Limit(limit)
	if q != "" {
		db = db.Where("LOWER(original_name) LIKE LOWER(?) ESCAPE '\\'", "%"+escapeLike(q)+"%")
	}
	if beforeID != "" {
		db = db.Where("(created_at < (SELECT created_at FROM media WHERE id = ?) OR (created_at = (SELECT created_at FROM media WHERE id = ?) AND id < ?))", beforeID, beforeID, beforeID)
	}
	var rows []models.Media
	if err := db.Find(&rows).Error; err != nil {
		return nil, dbError("search media", err)
	}
	out := make([]*media.Item, 0, len(rows))
	for _, r := range rows {
		out = append(out, toMedia(r))
	}
	return out, nil
}

// MediaUses implements media.LibraryStore: guides whose current draft or
// published revision mentions the file, and technologies showing it as logo.
// Older revisions don't count: they show nowhere until restored.
func (s MediaStore) MediaUses(ctx context.Context, id string) ([]media.Use, error) {
	like := "%/media/" + id + "%"
	var guides []struct {
		ID, Slug, Title string
		Published       bool
	}
	err := s.db.WithContext(ctx).Raw(`
		SELECT DISTINCT g.id, g.slug, g.title, COALESCE(r.id = g.published_revision_id, FALSE) AS published
		FROM guides g JOIN guide_revisions r ON r.id = g.draft_revision_id OR r.id = g.published_revision_id
		WHERE CAST(r.document AS TEXT) LIKE ?
		ORDER BY g.slug, published`, like).Scan(&guides).Error
	if err != nil {
		return nil, dbError("media uses in guides", err)
	}
	var techs []models.Technology
	if err := s.db.WithContext(ctx).Where("logo_url LIKE ?", like).Order("slug").Find(&techs).Error; err != nil {
		return nil, dbError("media uses in technologies", err)
	}
	out := make([]media.Use, 0, len(guides)+len(techs))
	for _, g := range guides {
		where := "draft"
		if g.Published {
			where = "published"
		}
		out = append(out, media.Use{Kind: "guide", ID: g.ID, Slug: g.Slug, Title: g.Title, Where: where})
	}
	for _, t := range techs {
		out = append(out, media.Use{Kind: "technology", ID: t.ID, Slug: t.Slug, Title: t.Name, Where: "logo"})
	}
	return out, nil
}

// DeleteMedia implements media.LibraryStore.
func (s MediaStore) DeleteMedia(ctx context.Context, id string) error {
	res := s.db.WithContext(ctx).Where("id = ?", id).Delete(&models.Media{})
	if res.Error != nil {
		return dbError("delete media", res.Error)
	}
	if res.RowsAffected == 0 {
		return apperr.New(apperr.NotFound, "no such file")
	}
	return nil
}
