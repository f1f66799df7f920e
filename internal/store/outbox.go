package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/id"
	"github.com/verdict-cms/verdict/internal/outbox"
	"github.com/verdict-cms/verdict/models"
)

// OutboxStore is the outbox.Store on GORM.
type OutboxStore struct{ *Store }

var _ outbox.Store = OutboxStore{}

// claimSQL takes a batch of due rows under a lease in one statement. On
// PostgreSQL, rows another worker is claiming are skipped, never waited for
// or taken twice; SQLite has one writer at a time, which serialises claims.
// A row whose attempts are spent is never handed out again; DeadLetter
// fails it.
const claimSQL = `UPDATE outbox SET locked_until = ?, attempts = attempts + 1
WHERE id IN (SELECT id FROM outbox
  WHERE status = 'pending' AND next_attempt_at <= ? AND (locked_until IS NULL OR locked_until < ?)
    AND attempts < max_attempts%s
  ORDER BY next_attempt_at, id LIMIT ? %s)
RETURNING id, kind, lead_id, payload, attempts, max_attempts`

// deadLetterSQL fails the rows whose last attempt's lease ran out: the
// instance holding it stopped mid-attempt, and another attempt would pass
// the maximum.
const deadLetterSQL = `UPDATE outbox SET status = 'failed', locked_until = NULL, last_error = ?
WHERE status = 'pending' AND next_attempt_at <= ? AND (locked_until IS NULL OR locked_until < ?)
  AND attempts >= max_attempts`

// lostLastAttempt is the last_error of a dead-lettered row.
const lostLastAttempt = "the last attempt did not finish before its lease expired (its instance stopped?); the message may have been delivered"

// Claim implements outbox.Store.
func (s OutboxStore) Claim(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*outbox.Message, error) {
	return s.claim(ctx, "", now, lease, limit)
}

// ClaimKind implements outbox.Store.
func (s OutboxStore) ClaimKind(ctx context.Context, kind string, now time.Time, lease time.Duration, limit int) ([]*outbox.Message, error) {
	return s.claim(ctx, kind, now, lease, limit)
}

// claim claims due rows of kind, or of any kind when kind is "".
func (s OutboxStore) claim(ctx context.Context, kind string, now time.Time, lease time.Duration, limit int) ([]*outbox.Message, error) {
	lock := ""
	if s.dialect == database.Postgres {
		lock = "FOR UPDATE SKIP LOCKED"
	}
	until := leaseTime(now.Add(lease))
	now = now.UTC()
	filter, args := "", []any{until, now, now}
	if kind != "" {
		filter, args = " AND kind = ?", append(args, kind)
	}
	// Scanned by hand: GORM's reflection into rows was a fifth of the
	// dispatcher's CPU per mail, with the marking's.
	rows, err := s.db.WithContext(ctx).Raw(fmt.Sprintf(claimSQL, filter, lock), append(args, limit)...).Rows()
	if err != nil {
		return nil, dbError("claim outbox", err)
	}
	defer rows.Close()
	var out []*outbox.Message
	for rows.Next() {
		m := &outbox.Message{Lease: until}
		var leadID sql.NullString
		if err := rows.Scan(&m.ID, &m.Kind, &leadID, &m.Payload, &m.Attempts, &m.MaxAttempts); err != nil {
			return nil, dbError("claim outbox", err)
		}
		m.LeadID = leadID.String
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, dbError("claim outbox", err)
	}
	// UPDATE … RETURNING does not keep the subquery's order; the IDs are
	// time-ordered, so sorting by them hands out a batch oldest first.
	slices.SortFunc(out, func(a, b *outbox.Message) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// returnedIDs runs q, a statement RETURNING id, and reads the IDs.
func returnedIDs(q *gorm.DB) ([]string, error) { return scanColumn[string](q, 0) }

// DeadLetter implements outbox.Store.
func (s OutboxStore) DeadLetter(ctx context.Context, now time.Time) (int, error) {
	now = now.UTC()
	res := s.db.WithContext(ctx).Exec(deadLetterSQL, lostLastAttempt, now, now)
	if res.Error != nil {
		return 0, dbError("dead-letter outbox", res.Error)
	}
	return int(res.RowsAffected), nil
}

// Extend implements outbox.Store.
func (s OutboxStore) Extend(ctx context.Context, msgID string, lease, until time.Time) (bool, error) {
	res := s.db.WithContext(ctx).Exec(`UPDATE outbox SET locked_until = ? WHERE id = ? AND locked_until = ? AND status = 'pending'`,
		leaseTime(until), msgID, leaseTime(lease))
	if res.Error != nil {
		return false, dbError("extend outbox lease", res.Error)
	}
	return res.RowsAffected == 1, nil
}

// ExtendMany implements outbox.Store.
func (s OutboxStore) ExtendMany(ctx context.Context, ids []string, lease, until time.Time) ([]string, error) {
	kept, err := returnedIDs(s.db.WithContext(ctx).Raw(`UPDATE outbox SET locked_until = ? WHERE id IN ? AND locked_until = ? AND status = 'pending' RETURNING id`,
		leaseTime(until), ids, leaseTime(lease)))
	if err != nil {
		return nil, dbError("extend outbox leases", err)
	}
	return kept, nil
}

// Release implements outbox.Store: the attempt the claim counted was never
// made, so it is given back.
func (s OutboxStore) Release(ctx context.Context, msgID string, lease time.Time) error {
	err := s.db.WithContext(ctx).Exec(`UPDATE outbox SET locked_until = NULL, attempts = attempts - 1 WHERE id = ? AND locked_until = ?`,
		msgID, leaseTime(lease)).Error
	return dbError("release outbox message", err)
}

// leaseTime is a lease as stored: microseconds, the precision both
// databases keep, so the fence compares equal.
func leaseTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// MarkSentMany implements outbox.Store: the rows held under one lease are
// matched together, so a batch claimed at once takes one condition.
func (s OutboxStore) MarkSentMany(ctx context.Context, held []outbox.Held, at time.Time) ([]string, error) {
	if len(held) == 0 {
		return nil, nil
	}
	var leases []time.Time
	byLease := map[time.Time][]string{}
	for _, h := range held {
		lease := leaseTime(h.Lease)
		if _, ok := byLease[lease]; !ok {
			leases = append(leases, lease)
		}
		byLease[lease] = append(byLease[lease], h.ID)
	}
	fences := make([]string, len(leases))
	args := make([]any, 0, 2*len(leases)+1)
	args = append(args, at.UTC())
	for i, lease := range leases {
		fences[i] = "(locked_until = ? AND id IN ?)"
		args = append(args, lease, byLease[lease])
	}
	done, err := returnedIDs(s.db.WithContext(ctx).Raw(`UPDATE outbox SET status = 'sent', sent_at = ?, locked_until = NULL, last_error = ''
		WHERE status = 'pending' AND (`+strings.Join(fences, " OR ")+`) RETURNING id`, args...))
	if err != nil {
		return nil, dbError("mark outbox messages sent", err)
	}
	return done, nil
}

func complete(ctx context.Context, s *Store, msgID string, lease, at time.Time) error {
	res := s.db.WithContext(ctx).Model(&models.OutboxMessage{}).Where("id = ? AND locked_until = ?", msgID, leaseTime(lease)).
		Updates(map[string]any{"status": "sent", "sent_at": at.UTC(), "locked_until": nil, "last_error": ""})
	if res.Error != nil {
		return dbError("complete outbox message", res.Error)
	}
	if res.RowsAffected == 0 {
		return apperr.New(apperr.Conflict, "the outbox message's lease expired before it completed")
	}
	return nil
}

// Retry implements outbox.Store.
func (s OutboxStore) Retry(ctx context.Context, msgID string, lease, next time.Time, lastErr string) error {
	err := s.db.WithContext(ctx).Exec(`UPDATE outbox SET locked_until = NULL, next_attempt_at = ?, last_error = ?,
		status = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'pending' END
		WHERE id = ? AND locked_until = ?`, next.UTC(), lastErr, msgID, leaseTime(lease)).Error
	return dbError("retry outbox message", err)
}

// Fail implements outbox.Store: a permanent error fails the message at
// once, for an admin to look at and retry.
func (s OutboxStore) Fail(ctx context.Context, msgID string, lease time.Time, lastErr string) error {
	err := s.db.WithContext(ctx).Exec(`UPDATE outbox SET locked_until = NULL, last_error = ?, status = 'failed'
		WHERE id = ? AND locked_until = ?`, lastErr, msgID, leaseTime(lease)).Error
	return dbError("fail outbox message", err)
}

// List implements outbox.Store.
func (s OutboxStore) List(ctx context.Context, status, afterID string, limit int) ([]*outbox.Row, error) {
	q := s.withStatus(ctx, status).Order("id").Limit(limit)
	if afterID != "" {
		q = q.Where("id > ?", afterID)
	}
	var rows []models.OutboxMessage
	if err := q.Find(&rows).Error; err != nil {
		return nil, dbError("list outbox", err)
	}
	out := make([]*outbox.Row, 0, len(rows))
	for _, r := range rows {
		row := &outbox.Row{ID: r.ID, Kind: r.Kind, Status: r.Status, Attempts: r.Attempts, MaxAttempts: r.MaxAttempts,
			NextAttemptAt: r.NextAttemptAt.UTC(), LastError: r.LastError, CreatedAt: r.CreatedAt.UTC(), SentAt: utcPtr(r.SentAt)}
		if r.LeadID != nil {
			row.LeadID = *r.LeadID
		}
		if r.Kind == "mail" {
			var e outbox.Email
			if json.Unmarshal([]byte(r.Payload), &e) == nil {
				row.Subject, row.To = e.Subject, e.To
			}
		}
		out = append(out, row)
	}
	return out, nil
}

// Count implements outbox.Store: the messages with status (any when empty).
func (s OutboxStore) Count(ctx context.Context, status string) (int, error) {
	return countRows(s.withStatus(ctx, status), "count outbox")
}

func (s OutboxStore) withStatus(ctx context.Context, status string) *gorm.DB {
	q := s.db.WithContext(ctx).Model(&models.OutboxMessage{})
	if status != "" {
		q = q.Where("status = ?", status)
	}
	return q
}

// Requeue implements outbox.Store: only failed messages go back.
func (s OutboxStore) Requeue(ctx context.Context, msgID string, at time.Time) error {
	res := s.db.WithContext(ctx).Model(&models.OutboxMessage{}).Where("id = ? AND status = ?", msgID, "failed").
		Updates(map[string]any{"status": "pending", "attempts": 0, "next_attempt_at": at.UTC(), "locked_until": nil})
	if res.Error != nil {
		return dbError("requeue outbox message", res.Error)
	}
	if res.RowsAffected == 0 {
		var n int64
		if err := s.db.WithContext(ctx).Model(&models.OutboxMessage{}).Where("id = ?", msgID).Count(&n).Error; err != nil {
			return dbError("find outbox message", err)
		}
		if n == 0 {
			return apperr.New(apperr.NotFound, "no such message")
		}
		return apperr.New(apperr.Conflict, "only failed messages can be retried")
	}
	return nil
}

// Stats reports pending messages and the age of the oldest, for metrics.
func (s OutboxStore) Stats(ctx context.Context) (int, time.Duration, error) {
	var n int64
	pending := s.db.WithContext(ctx).Model(&models.OutboxMessage{}).Where("status = ?", "pending")
	if err := pending.Count(&n).Error; err != nil {
		return 0, 0, dbError("outbox stats", err)
	}
	// The oldest row itself, not min(): SQLite returns an aggregate untyped,
	// and its driver would not read it back as a time.
	var oldest []time.Time
	err := s.db.WithContext(ctx).Model(&models.OutboxMessage{}).Where("status = ?", "pending").
		Order("created_at").Limit(1).Pluck("created_at", &oldest).Error
	if err != nil {
		return 0, 0, dbError("outbox stats", err)
	}
	if len(oldest) == 0 {
		return int(n), 0, nil
	}
	return int(n), time.Since(oldest[0]), nil
}

// Depth implements outbox.Store.
func (s OutboxStore) Depth(ctx context.Context) (int, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&models.OutboxMessage{}).Where("status = ?", "pending").Count(&n).Error
	return int(n), dbError("outbox depth", err)
}

// enqueue adds an outbox row.
func enqueue(ctx context.Context, s *Store, kind, leadID string, payload []byte, at time.Time, maxAttempts int) error {
	row := models.OutboxMessage{ID: id.New(), Kind: kind, Payload: string(payload), Status: "pending",
		MaxAttempts: maxAttempts, NextAttemptAt: at.UTC(), CreatedAt: at.UTC()}
	if leadID != "" {
		row.LeadID = &leadID
	}
	return dbError("enqueue", s.db.WithContext(ctx).Create(&row).Error)
}
