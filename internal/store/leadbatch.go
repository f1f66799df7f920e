package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/id"
	"github.com/verdict-cms/verdict/internal/lead"
	"github.com/verdict-cms/verdict/internal/webhook"
	"github.com/verdict-cms/verdict/models"
)

// The batch side of lead.Store: what expanding many lead.created events in
// one transaction writes, a statement per kind of write rather than per lead.

// FindLeadsForUpdate implements lead.Store: locked in ID order, so that two
// transactions locking overlapping sets never wait on each other in a cycle.
func (s LeadStore) FindLeadsForUpdate(ctx context.Context, ids []string) ([]*lead.Lead, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []models.Lead
	if err := s.forUpdate(s.db.WithContext(ctx)).Where("id IN ?", ids).Order("id").Find(&rows).Error; err != nil {
		return nil, dbError("find leads", err)
	}
	out := make([]*lead.Lead, 0, len(rows))
	for _, r := range rows {
		l, err := toLead(r)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, nil
}

// CompleteEvents implements lead.Store.
func (s LeadStore) CompleteEvents(ctx context.Context, ids []string, lease, at time.Time) ([]string, error) {
	return completeMany(ctx, s.Store, ids, lease, at)
}

// completeMany marks claimed rows sent in one statement, fenced by their
// common lease, and returns the IDs it completed.
func completeMany(ctx context.Context, s *Store, ids []string, lease, at time.Time) ([]string, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	done, err := returnedIDs(s.db.WithContext(ctx).Raw(`UPDATE outbox SET status = 'sent', sent_at = ?, locked_until = NULL, last_error = ''
		WHERE id IN ? AND locked_until = ? AND status = 'pending' RETURNING id`, at.UTC(), ids, leaseTime(lease)))
	if err != nil {
		return nil, dbError("complete outbox messages", err)
	}
	return done, nil
}

// countManySQL counts n hits under each of several keys in one statement,
// like hitSQL; %s is one "(?, ?, ?)" per key.
const countManySQL = `INSERT INTO throttles (key, hits, window_start) VALUES %s
ON CONFLICT (key) DO UPDATE SET
  hits = CASE WHEN throttles.window_start <= ? THEN excluded.hits ELSE throttles.hits + excluded.hits END,
  window_start = CASE WHEN throttles.window_start <= ? THEN excluded.window_start ELSE throttles.window_start END
RETURNING key, hits`

// CountMails implements lead.Store: the counts live in the throttles table,
// written in the caller's transaction, so every instance shares them. The keys are written in sorted order,
// so concurrent batches lock their rows in one order and never deadlock.
func (s LeadStore) CountMails(ctx context.Context, hits map[string]int, window time.Duration, at time.Time) (map[string]int, error) {
	keys := make([]string, 0, len(hits))
	for k, n := range hits {
		if n > 0 {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return map[string]int{}, nil
	}
	slices.Sort(keys)
	values := make([]string, len(keys))
	args := make([]any, 0, 3*len(keys)+2)
	for i, k := range keys {
		values[i] = "(?, ?, ?)"
		args = append(args, k, hits[k], at.UnixMilli())
	}
	expired := at.Add(-window).UnixMilli()
	args = append(args, expired, expired)
	rows, err := s.db.WithContext(ctx).Raw(fmt.Sprintf(countManySQL, strings.Join(values, ", ")), args...).Rows()
	if err != nil {
		return nil, dbError("count mails", err)
	}
	defer rows.Close()
	out := make(map[string]int, len(keys))
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, dbError("count mails", err)
		}
		out[k] = n
	}
	if err := rows.Err(); err != nil {
		return nil, dbError("count mails", err)
	}
	if len(out) != len(keys) {
		return nil, fmt.Errorf("store: count mails: %d of %d counters returned", len(out), len(keys))
	}
	return out, nil
}

// AssignOwners implements lead.Store: one statement for the leads, one per
// consultant (in ID order: concurrent batches lock them in one order).
func (s LeadStore) AssignOwners(ctx context.Context, owners map[string]string, assigned map[string]time.Time, at time.Time) error {
	if len(owners) > 0 {
		ids := make([]string, 0, len(owners))
		for leadID := range owners {
			ids = append(ids, leadID)
		}
		slices.Sort(ids)
		then := " WHEN ? THEN ?"
		if s.dialect == database.Postgres {
			then = " WHEN ? THEN CAST(? AS uuid)" // else PostgreSQL takes the value as text
		}
		var b strings.Builder
		args := make([]any, 0, 2*len(ids)+2)
		b.WriteString("UPDATE leads SET owner_id = CASE id")
		for _, leadID := range ids {
			b.WriteString(then)
			args = append(args, leadID, owners[leadID])
		}
		b.WriteString(" END, updated_at = ? WHERE id IN ?")
		args = append(args, at.UTC(), ids)
		res := s.db.WithContext(ctx).Exec(b.String(), args...)
		if res.Error != nil {
			return dbError("assign leads", res.Error)
		}
		if int(res.RowsAffected) != len(ids) {
			return apperr.New(apperr.NotFound, "lead not found")
		}
	}
	users := make([]string, 0, len(assigned))
	for u := range assigned {
		users = append(users, u)
	}
	slices.Sort(users)
	for _, u := range users {
		if err := s.MarkAssigned(ctx, u, assigned[u]); err != nil {
			return err
		}
	}
	return nil
}

// EnqueueBatch implements lead.Store: every row in one INSERT; the webhook
// events only if an endpoint subscribes to them.
func (s LeadStore) EnqueueBatch(ctx context.Context, mails []lead.QueuedMail, events []any, at time.Time) error {
	if len(events) > 0 {
		ok, err := subscribed(ctx, s.Store, lead.KindLeadCreated)
		if err != nil {
			return err
		}
		if !ok {
			events = nil
		}
	}
	rows := make([]models.OutboxMessage, 0, len(mails)+len(events))
	for _, m := range mails {
		leadID := m.LeadID
		rows = append(rows, models.OutboxMessage{ID: id.New(), Kind: lead.KindMail, LeadID: &leadID, Payload: string(m.Payload),
			Status: "pending", MaxAttempts: s.MaxAttempts, NextAttemptAt: at.UTC(), CreatedAt: at.UTC()})
	}
	for _, data := range events {
		payload, err := webhook.NewEvent(lead.KindLeadCreated, data, at)
		if err != nil {
			return err
		}
		rows = append(rows, models.OutboxMessage{ID: id.New(), Kind: webhook.KindEvent, Payload: string(payload),
			Status: "pending", MaxAttempts: eventAttempts, NextAttemptAt: at.UTC(), CreatedAt: at.UTC()})
	}
	if len(rows) == 0 {
		return nil
	}
	// In statements of at most 1,000 rows: 12 parameters a row stay under
	// PostgreSQL's 65,535 per statement whatever VERDICT_OUTBOX_BATCH is.
	return dbError("enqueue", s.db.WithContext(ctx).CreateInBatches(&rows, 1000).Error)
}
