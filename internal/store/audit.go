package store

import (
	"context"

	"github.com/verdict-cms/verdict/internal/audit"
	"github.com/verdict-cms/verdict/models"
)

// AuditStore is the audit.Store on GORM.
type AuditStore struct{ *Store }

var _ audit.Store = AuditStore{}

// Record implements audit.Store.
func (s AuditStore) Record(ctx context.Context, e *audit.Entry) error {
	row := models.AuditEntry{ID: e.ID, ActorID: e.ActorID, Action: e.Action, SubjectType: e.SubjectType,
		SubjectID: e.SubjectID, Detail: e.Detail, CreatedAt: e.CreatedAt.UTC()}
	return dbError("record audit entry", s.db.WithContext(ctx).Create(&row).Error)
}

// List implements audit.Store: newest first, by the time-ordered ID.
func (s AuditStore) List(ctx context.Context, f audit.Filter) ([]*audit.Entry, error) {
	q := s.db.WithContext(ctx).Order("id DESC").Limit(f.Limit)
	if f.Action != nil {
		q = q.Where("action = ?", *f.Action)
	}
	if f.ActorID != nil {
		q = q.Where("actor_id = ?", *f.ActorID)
	}
	if f.Subject != nil {
		q = q.Where("subject_id = ?", *f.Subject)
	}
	if f.BeforeID != "" {
		q = q.Where("id < ?", f.BeforeID)
	}
	var rows []models.AuditEntry
	if err := q.Find(&rows).Error; err != nil {
		return nil, dbError("list audit entries", err)
	}
	out := make([]*audit.Entry, 0, len(rows))
	for _, r := range rows {
		out = append(out, &audit.Entry{ID: r.ID, ActorID: r.ActorID, Action: r.Action, SubjectType: r.SubjectType,
			SubjectID: r.SubjectID, Detail: r.Detail, CreatedAt: r.CreatedAt.UTC()})
	}
	return out, nil
}
