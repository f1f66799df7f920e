package outbox_test

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
	"github.com/verdict-cms/verdict/internal/id"
	"github.com/verdict-cms/verdict/internal/outbox"
	"github.com/verdict-cms/verdict/internal/store"
	"github.com/verdict-cms/verdict/models"
)

// addEvents queues due events of kind "ev" with the given payloads.
func (f *fixture) addEvents(payloads ...string) []string {
	f.t.Helper()
	ids := make([]string, len(payloads))
	for i, p := range payloads {
		ids[i] = id.New()
		row := models.OutboxMessage{ID: ids[i], Kind: "ev", Payload: p, Status: "pending", MaxAttempts: 5,
			NextAttemptAt: time.Now().UTC().Add(-time.Second), CreatedAt: time.Now().UTC()}
		if err := f.db.Create(&row).Error; err != nil {
			f.t.Fatal(err)
		}
	}
	return ids
}

// handled records what the event handlers completed, fenced by the lease
// as real handlers do.
type handled struct {
	store store.WebhookStore
	mu    sync.Mutex
	times map[string]int // event ID → completions
	sizes []int          // of the batches
}

func newHandled(db *database.DB) *handled {
	return &handled{store: store.WebhookStore{Store: store.New(db)}, times: map[string]int{}}
}

func (h *handled) batch(ctx context.Context, ms []*outbox.Message) error {
	for _, m := range ms {
		if string(m.Payload) == "bad" {
			return errors.New("a bad event in the batch")
		}
	}
	ids := make([]string, len(ms))
	for i, m := range ms {
		ids[i] = m.ID
	}
	done, err := h.store.CompleteMany(ctx, ids, ms[0].Lease, time.Now())
	if err != nil {
		return err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.sizes = append(h.sizes, len(ms))
	for _, id := range done {
		h.times[id]++
	}
	return nil
}

func (h *handled) one(ctx context.Context, m *outbox.Message) error {
	if string(m.Payload) == "bad" {
		return outbox.Permanent(errors.New("bad event"))
	}
	return h.batch(ctx, []*outbox.Message{m})
}

func (f *fixture) eventDispatcher(h *handled, cfg outbox.Config) *outbox.Dispatcher {
	cfg.Poll, cfg.BackoffBase, cfg.BackoffMax = 10*time.Millisecond, 20*time.Millisecond, 50*time.Millisecond
	d := outbox.New(store.OutboxStore{Store: store.New(f.db)}, nil, map[string]outbox.Handler{"ev": h.one}, cfg,
		slog.New(slog.DiscardHandler), time.Now)
	d.HandleBatches("ev", h.batch)
	return d
}

// TestBatchesTwoDispatchers: two dispatchers handle events in batches
// topped up past what one claim takes (twice the workers), and every event
// is handled exactly once.
func TestBatchesTwoDispatchers(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		const n = 120
		payloads := make([]string, n)
		for i := range payloads {
			payloads[i] = "{}"
		}
		ids := f.addEvents(payloads...)
		h := newHandled(db)
		cfg := outbox.Config{Workers: 2, Batch: 32, Lease: time.Minute, SendTimeout: 5 * time.Second}
		stopA, stopB := run(f.eventDispatcher(h, cfg)), run(f.eventDispatcher(h, cfg))
		f.waitFor("every event handled", 10*time.Second, func() bool { return f.count("sent") == n })
		stopA()
		stopB()
		h.mu.Lock()
		defer h.mu.Unlock()
		for _, id := range ids {
			if h.times[id] != 1 {
				t.Errorf("event %s handled %d times", id, h.times[id])
			}
		}
		if biggest := maxOf(h.sizes); biggest <= 2*cfg.Workers || biggest > cfg.Batch {
			t.Errorf("batch sizes %v: want some topped up past %d, none past %d", h.sizes, 2*cfg.Workers, cfg.Batch)
		}
	})
}

// TestFailedBatchGoesOneByOne: a batch that fails is retried event by
// event at once, so the good events are handled on their first attempt and
// only the bad one fails.
func TestFailedBatchGoesOneByOne(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		ids := f.addEvents("{}", "{}", "bad", "{}", "{}")
		h := newHandled(db)
		d := f.eventDispatcher(h, outbox.Config{Workers: 2, Batch: 16, Lease: time.Minute, SendTimeout: 5 * time.Second})
		if n, err := d.RunOnce(context.Background()); err != nil || n != len(ids) {
			t.Fatalf("RunOnce: %d, %v", n, err)
		}
		rows := f.rows()
		for i, id := range ids {
			want := "sent"
			if i == 2 {
				want = "failed"
			}
			if r := rows[id]; r.Status != want || r.Attempts != 1 {
				t.Errorf("event %d: %s after %d attempts, want %s after 1", i, r.Status, r.Attempts, want)
			}
		}
	})
}

func maxOf(xs []int) int {
	m := 0
	for _, x := range xs {
		m = max(m, x)
	}
	return m
}
