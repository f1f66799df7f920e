package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/verdict-cms/verdict/internal/auth"
	"github.com/verdict-cms/verdict/models"
)

// Throttle is a fixed-window counter kept in the database, so that every
// Verdict instance sees the same counts.
type Throttle struct {
	*Store
	now func() time.Time
}

var _ auth.Throttle = Throttle{}

// NewThrottle returns a Throttle reading time from now.
func NewThrottle(s *Store, now func() time.Time) Throttle {
	return Throttle{Store: s, now: now}
}

// Peek implements auth.Throttle.
func (t Throttle) Peek(ctx context.Context, key string, window time.Duration) (int, time.Time, error) {
	var rows []models.Throttle
	if err := t.db.WithContext(ctx).Where("key = ?", key).Limit(1).Find(&rows).Error; err != nil {
		return 0, time.Time{}, dbError("peek throttle", err)
	}
	now := t.now()
	if len(rows) == 0 {
		return 0, now.Add(window), nil
	}
	end := windowEnd(rows[0].WindowStart, window)
	if !now.Before(end) {
		return 0, now.Add(window), nil
	}
	return rows[0].Hits, end, nil
}

// hitSQL counts a hit in one statement, starting a new window when the old
// one has ended; both dialects support ON CONFLICT ... RETURNING.
const hitSQL = `INSERT INTO throttles (key, hits, window_start) VALUES (?, 1, ?)
ON CONFLICT (key) DO UPDATE SET
  hits = CASE WHEN throttles.window_start <= ? THEN 1 ELSE throttles.hits + 1 END,
  window_start = CASE WHEN throttles.window_start <= ? THEN excluded.window_start ELSE throttles.window_start END
RETURNING hits, window_start`

// Hit implements auth.Throttle.
func (t Throttle) Hit(ctx context.Context, key string, window time.Duration) (int, time.Time, error) {
	return hit(ctx, t.Store, key, window, t.now())
}

// hit counts one hit of key at now on s, which may be a transaction.
func hit(ctx context.Context, s *Store, key string, window time.Duration, now time.Time) (int, time.Time, error) {
	expired := now.Add(-window).UnixMilli()
	// Row().Scan, not GORM's reflective Scan: this runs on every intake.
	var hits int
	var start int64
	if err := s.db.WithContext(ctx).Raw(hitSQL, key, now.UnixMilli(), expired, expired).Row().Scan(&hits, &start); err != nil {
		return 0, time.Time{}, dbError("hit throttle", err)
	}
	return hits, windowEnd(start, window), nil
}

// Undo implements auth.Throttle: one hit of the current window is taken
// back; a count never goes below zero and an ended window is left alone.
func (t Throttle) Undo(ctx context.Context, key string, window time.Duration) error {
	expired := t.now().Add(-window).UnixMilli()
	err := t.db.WithContext(ctx).Model(&models.Throttle{}).
		Where("key = ? AND hits > 0 AND window_start > ?", key, expired).
		Update("hits", gorm.Expr("hits - 1")).Error
	return dbError("undo throttle hit", err)
}

// Reset implements auth.Throttle.
func (t Throttle) Reset(ctx context.Context, key string) error {
	err := t.db.WithContext(ctx).Where("key = ?", key).Delete(&models.Throttle{}).Error
	return dbError("reset throttle", err)
}

// Prune deletes counters whose window ended before maxWindow ago.
func (t Throttle) Prune(ctx context.Context, maxWindow time.Duration) error {
	cutoff := t.now().Add(-maxWindow).UnixMilli()
	err := t.db.WithContext(ctx).Where("window_start < ?", cutoff).Delete(&models.Throttle{}).Error
	return dbError("prune throttles", err)
}

func windowEnd(startMilli int64, window time.Duration) time.Time {
	return time.UnixMilli(startMilli).UTC().Add(window)
}
