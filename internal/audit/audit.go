// Package audit keeps a record of who did what and when: sign-ins, user and
// role changes, API tokens, publishing, deletions and lead erasures.
package audit

import (
	"context"
	"log/slog"
	"time"

	"github.com/verdict-cms/verdict/internal/id"
)

// Entry is one recorded action. Subject IDs are kept as text, so an entry
// outlives what it names.
type Entry struct {
	ID          string
	ActorID     *string // nil for the system (scheduler, retention)
	Action      string  // e.g. guide.published, user.updated
	SubjectType string
	SubjectID   string
	Detail      string
	CreatedAt   time.Time
}

// Filter selects entries, newest first. Pointer fields are optional.
type Filter struct {
	Action   *string
	ActorID  *string
	Subject  *string // subject ID
	BeforeID string  // keyset cursor: entries older than this one
	Limit    int
}

// Store persists entries.
type Store interface {
	Record(ctx context.Context, e *Entry) error
	List(ctx context.Context, f Filter) ([]*Entry, error)
}

// Log records actions. Recording happens after the action succeeded; a
// failure to record is logged, never turned into a failure of the action.
type Log struct {
	store Store
	log   *slog.Logger
	now   func() time.Time
}

// New returns an audit log.
func New(store Store, log *slog.Logger, now func() time.Time) *Log {
	return &Log{store: store, log: log, now: now}
}

// Record notes that actor did action to a subject.
func (l *Log) Record(ctx context.Context, actorID, action, subjectType, subjectID, detail string) {
	if l == nil {
		return
	}
	e := &Entry{ID: id.New(), Action: action, SubjectType: subjectType, SubjectID: subjectID, Detail: detail, CreatedAt: l.now()}
	if actorID != "" {
		e.ActorID = &actorID
	}
	if err := l.store.Record(ctx, e); err != nil {
		l.log.ErrorContext(ctx, "audit: record failed", "action", action, "subject_id", subjectID, "err", err)
	}
}

// List returns entries, newest first.
func (l *Log) List(ctx context.Context, f Filter) ([]*Entry, error) {
	return l.store.List(ctx, f)
}
