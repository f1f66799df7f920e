package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
	"github.com/verdict-cms/verdict/internal/id"
	"github.com/verdict-cms/verdict/internal/outbox"
	"github.com/verdict-cms/verdict/internal/store"
	"github.com/verdict-cms/verdict/models"
)

// addOutbox inserts a due mail row with attempts already made.
func addOutbox(t *testing.T, db *database.DB, at time.Time, attempts, maxAttempts int, lockedUntil *time.Time) string {
	t.Helper()
	row := models.OutboxMessage{ID: id.New(), Kind: "mail", Payload: `{"to":["a@example.com"]}`, Status: "pending",
		Attempts: attempts, MaxAttempts: maxAttempts, NextAttemptAt: at.UTC(), LockedUntil: lockedUntil, CreatedAt: at.UTC()}
	if err := db.Create(&row).Error; err != nil {
		t.Fatal(err)
	}
	return row.ID
}

func outboxRow(t *testing.T, db *database.DB, msgID string) models.OutboxMessage {
	t.Helper()
	var r models.OutboxMessage
	if err := db.First(&r, "id = ?", msgID).Error; err != nil {
		t.Fatal(err)
	}
	return r
}

// TestOutboxClaimNeverPassesMaxAttempts: a row whose last attempt's lease
// ran out is never handed out for an attempt past its maximum, and
// DeadLetter fails it; a row with attempts left is claimed.
func TestOutboxClaimNeverPassesMaxAttempts(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		now := time.Now().UTC()
		expired := now.Add(-time.Second)
		spent := addOutbox(t, db, now.Add(-time.Minute), 3, 3, &expired)
		left := addOutbox(t, db, now.Add(-time.Minute), 2, 3, &expired)
		os := store.OutboxStore{Store: store.New(db)}
		msgs, err := os.Claim(ctx, now, time.Minute, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != 1 || msgs[0].ID != left || msgs[0].Attempts != 3 {
			t.Fatalf("claimed %+v, want only the row with an attempt left", msgs)
		}
		if n, err := os.DeadLetter(ctx, now); err != nil || n != 1 {
			t.Fatalf("dead-lettered %d, %v; want the spent row", n, err)
		}
		r := outboxRow(t, db, spent)
		if r.Status != "failed" || r.Attempts != 3 || r.LockedUntil != nil || r.LastError == "" {
			t.Fatalf("spent row: status %s, attempts %d, locked %v, error %q", r.Status, r.Attempts, r.LockedUntil, r.LastError)
		}
	})
}

// TestOutboxLeaseFencing: a lease is extended, released (giving back its
// attempt) or failed only by its holder, and an old lease fences nothing.
func TestOutboxLeaseFencing(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		now := time.Now().UTC()
		os := store.OutboxStore{Store: store.New(db)}
		msgID := addOutbox(t, db, now.Add(-time.Minute), 0, 5, nil)
		msgs, err := os.Claim(ctx, now, time.Minute, 1)
		if err != nil || len(msgs) != 1 {
			t.Fatalf("claim: %v, %d", err, len(msgs))
		}
		lease := msgs[0].Lease
		renewed := now.Add(2 * time.Minute)
		if ok, err := os.Extend(ctx, msgID, lease, renewed); err != nil || !ok {
			t.Fatalf("extend: %v, %v", ok, err)
		}
		if ok, err := os.Extend(ctx, msgID, lease, renewed); err != nil || ok {
			t.Fatalf("extend with the old lease: %v, %v, want refused", ok, err)
		}
		if done, err := os.MarkSentMany(ctx, []outbox.Held{{ID: msgID, Lease: lease}}, now); err != nil || len(done) != 0 {
			t.Fatal("marked sent with the old lease")
		}
		if err := os.Release(ctx, msgID, renewed); err != nil {
			t.Fatal(err)
		}
		if r := outboxRow(t, db, msgID); r.Attempts != 0 || r.LockedUntil != nil || r.Status != "pending" {
			t.Fatalf("released: attempts %d, locked %v, status %s", r.Attempts, r.LockedUntil, r.Status)
		}
		msgs, _ = os.Claim(ctx, now, time.Minute, 1)
		if err := os.Fail(ctx, msgID, msgs[0].Lease, "550 no such mailbox"); err != nil {
			t.Fatal(err)
		}
		if r := outboxRow(t, db, msgID); r.Status != "failed" || r.Attempts != 1 || r.LastError != "550 no such mailbox" {
			t.Fatalf("failed: status %s, attempts %d, error %q", r.Status, r.Attempts, r.LastError)
		}
	})
}
