package store

import (
	"context"

	"gorm.io/gorm/clause"

	"github.com/verdict-cms/verdict/internal/media"
	"github.com/verdict-cms/verdict/models"
)

// MediaStore is the media.Store on GORM.
type MediaStore struct{ *Store }

var _ media.Store = MediaStore{}

// SaveMedia implements media.Store.
func (s MediaStore) SaveMedia(ctx context.Context, i *media.Item) error {
	row := models.Media{ID: i.ID, ContentType: i.ContentType, Size: i.Size, OriginalName: i.OriginalName, CreatedByID: i.CreatedByID, CreatedAt: i.CreatedAt.UTC()}
	return dbError("save media", s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error)
}

// FindMedia implements media.Store.
func (s MediaStore) FindMedia(ctx context.Context, id string) (*media.Item, error) {
	var r models.Media
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return nil, notFound(err, "file")
	}
	return toMedia(r), nil
}

// ListMedia implements media.Store: newest first.
func (s MediaStore) ListMedia(ctx context.Context, beforeID string, limit int) ([]*media.Item, error) {
	q := s.db.WithContext(ctx).Order("created_at DESC, id DESC").Limit(limit)
	if beforeID != "" {
		q = q.Where("created_at < (SELECT created_at FROM media WHERE id = ?) OR (created_at = (SELECT created_at FROM media WHERE id = ?) AND id < ?)", beforeID, beforeID, beforeID)
	}
	var rows []models.Media
	if err := q.Find(&rows).Error; err != nil {
		return nil, dbError("list media", err)
	}
	out := make([]*media.Item, 0, len(rows))
	for _, r := range rows {
		out = append(out, toMedia(r))
	}
	return out, nil
}

func toMedia(r models.Media) *media.Item {
	return &media.Item{ID: r.ID, ContentType: r.ContentType, Size: r.Size, OriginalName: r.OriginalName, CreatedByID: r.CreatedByID, CreatedAt: r.CreatedAt.UTC()}
}
