package outbox_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
	"github.com/verdict-cms/verdict/internal/id"
	"github.com/verdict-cms/verdict/internal/mail"
	"github.com/verdict-cms/verdict/internal/mailtest"
	"github.com/verdict-cms/verdict/internal/outbox"
	"github.com/verdict-cms/verdict/internal/store"
	"github.com/verdict-cms/verdict/models"
)

// fixture is an outbox on a real database delivering to a real SMTP server.
type fixture struct {
	t    *testing.T
	db   *database.DB
	smtp *mailtest.Server
}

func newFixture(t *testing.T, db *database.DB) *fixture {
	return &fixture{t: t, db: db, smtp: mailtest.Start(t, "", "")}
}

// enqueue adds one due mail per recipient and returns their IDs.
func (f *fixture) enqueue(to ...string) []string {
	f.t.Helper()
	ids := make([]string, len(to))
	for i, rcpt := range to {
		payload, _ := json.Marshal(outbox.Email{To: []string{rcpt}, Subject: "s", Text: "t"})
		ids[i] = id.New()
		row := models.OutboxMessage{ID: ids[i], Kind: "mail", Payload: string(payload), Status: "pending", MaxAttempts: 5,
			NextAttemptAt: time.Now().UTC().Add(-time.Second), CreatedAt: time.Now().UTC()}
		if err := f.db.Create(&row).Error; err != nil {
			f.t.Fatal(err)
		}
	}
	return ids
}

func (f *fixture) dispatcher(cfg outbox.Config) *outbox.Dispatcher {
	f.t.Helper()
	sender, err := mail.NewSMTP(f.smtp.URL(), "Verdict <v@example.com>", cfg.Workers)
	if err != nil {
		f.t.Fatal(err)
	}
	if cfg.Batch == 0 {
		cfg.Batch = 16
	}
	cfg.Poll, cfg.BackoffBase, cfg.BackoffMax = 10*time.Millisecond, 20*time.Millisecond, 50*time.Millisecond
	return outbox.New(store.OutboxStore{Store: store.New(f.db)}, sender, nil, cfg, slog.New(slog.DiscardHandler), time.Now)
}

// run runs d until stop is called, which waits for it to return.
func run(d *outbox.Dispatcher) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		d.Run(ctx)
	}()
	return func() {
		cancel()
		<-done
	}
}

func (f *fixture) rows() map[string]models.OutboxMessage {
	f.t.Helper()
	var rows []models.OutboxMessage
	if err := f.db.Find(&rows).Error; err != nil {
		f.t.Fatal(err)
	}
	out := map[string]models.OutboxMessage{}
	for _, r := range rows {
		out[r.ID] = r
	}
	return out
}

// waitFor polls cond until it holds, or fails the test after timeout.
func (f *fixture) waitFor(what string, timeout time.Duration, cond func() bool) {
	f.t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			f.t.Fatalf("%s: not within %v", what, timeout)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (f *fixture) count(status string) int {
	n := 0
	for _, r := range f.rows() {
		if r.Status == status {
			n++
		}
	}
	return n
}

func (f *fixture) deliveries() map[string]int {
	per := map[string]int{}
	for _, m := range f.smtp.Messages() {
		per[strings.TrimSuffix(strings.Trim(m.Header.Get("Message-Id"), "<>"), "@verdict")]++
	}
	return per
}

func rcpts(n int, format string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf(format, i)
	}
	return out
}

// slowServer enqueues n messages for a server that holds each for delay.
func slowServer(t *testing.T, db *database.DB, n int, delay time.Duration) (*fixture, []string) {
	f := newFixture(t, db)
	ids := f.enqueue(rcpts(n, "p%d@example.com")...)
	f.smtp.SetFault(mailtest.Fault{Delay: delay})
	return f, ids
}

// TestSlowServerTwoDispatchers: with each message slower than the lease,
// two dispatchers deliver every message exactly once, on its first attempt:
// held leases are renewed, and each message is marked as it completes.
func TestSlowServerTwoDispatchers(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		const n = 8
		// A lease of 1.5 s is renewed every 500 ms: a renewal must be a
		// second late to lose it, which a loaded CI machine does not reach.
		f, ids := slowServer(t, db, n, 1800*time.Millisecond)
		cfg := outbox.Config{Workers: 2, Lease: 1500 * time.Millisecond, SendTimeout: 5 * time.Second}
		stopA, stopB := run(f.dispatcher(cfg)), run(f.dispatcher(cfg))
		f.waitFor("every message sent", 20*time.Second, func() bool { return f.count("sent") == n })
		stopA()
		stopB()
		per := f.deliveries()
		rows := f.rows()
		for _, msgID := range ids {
			if per[msgID] != 1 || rows[msgID].Attempts != 1 {
				t.Errorf("message %s: delivered %d times, %d attempts; want once, 1", msgID, per[msgID], rows[msgID].Attempts)
			}
		}
		if got := f.smtp.Attempts(); got != n {
			t.Errorf("the server saw %d deliveries, want %d", got, n)
		}
	})
}

// TestShutdownFinishesInFlight: stopping mid-drain lets the messages in
// progress finish and be recorded, and gives the unstarted ones back with
// their attempt: nothing is delivered twice, nothing is lost.
func TestShutdownFinishesInFlight(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		const n = 12
		f, ids := slowServer(t, db, n, 200*time.Millisecond)
		cfg := outbox.Config{Workers: 2, Lease: time.Minute, SendTimeout: 3 * time.Second}
		stop := run(f.dispatcher(cfg))
		f.smtp.Wait(1, 5*time.Second)
		before := len(f.smtp.Messages())
		stop()
		delivered := len(f.smtp.Messages())
		if sent := f.count("sent"); sent != delivered || delivered-before > cfg.Workers {
			t.Fatalf("%d delivered when stopped, %d after, %d marked sent; want at most the %d in flight more, all marked",
				before, delivered, sent, cfg.Workers)
		}
		for _, r := range f.rows() {
			if r.Status == "pending" && (r.LockedUntil != nil || r.Attempts != 0) {
				t.Fatalf("unstarted message %s kept its lease %v or attempt %d", r.ID, r.LockedUntil, r.Attempts)
			}
		}
		f.smtp.SetFault(mailtest.Fault{})
		stop = run(f.dispatcher(cfg))
		f.waitFor("the rest sent after a restart", 5*time.Second, func() bool { return f.count("sent") == n })
		stop()
		per := f.deliveries()
		for _, msgID := range ids {
			if per[msgID] != 1 {
				t.Fatalf("message %s delivered %d times", msgID, per[msgID])
			}
		}
	})
}

// TestRepliesDecideRetries: a 5xx reply fails the message at once with the
// reply for admins to read; a 4xx reply is retried until it is delivered.
func TestRepliesDecideRetries(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		ids := f.enqueue("gone@example.com", "busy@example.com", "fine@example.com")
		f.smtp.FaultTo("gone@example.com", mailtest.Fault{Code: 550})
		f.smtp.FaultTo("busy@example.com", mailtest.Fault{Code: 451, Times: 2})
		stop := run(f.dispatcher(outbox.Config{Workers: 2, Lease: time.Minute, SendTimeout: 2 * time.Second}))
		f.waitFor("two sent, one failed", 5*time.Second, func() bool { return f.count("sent") == 2 && f.count("failed") == 1 })
		stop()
		rows := f.rows()
		if r := rows[ids[0]]; r.Attempts != 1 || !strings.Contains(r.LastError, "550") {
			t.Errorf("5xx: %d attempts, error %q; want 1 attempt and the reply", r.Attempts, r.LastError)
		}
		if r := rows[ids[1]]; r.Status != "sent" || r.Attempts != 3 {
			t.Errorf("4xx twice: %s after %d attempts, want sent after 3", r.Status, r.Attempts)
		}
		if r := rows[ids[2]]; r.Attempts != 1 {
			t.Errorf("a good message took %d attempts", r.Attempts)
		}
	})
}

// TestHangingMessageBlocksNothingElse: a message the server never answers
// holds one worker until its deadline; the others are delivered meanwhile.
func TestHangingMessageBlocksNothingElse(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		f.enqueue("hang@example.com")
		f.enqueue(rcpts(6, "p%d@example.com")...)
		f.smtp.FaultTo("hang@example.com", mailtest.Fault{Hang: true})
		const timeout = 2 * time.Second
		start := time.Now()
		stop := run(f.dispatcher(outbox.Config{Workers: 2, Lease: time.Minute, SendTimeout: timeout}))
		defer stop()
		f.smtp.Wait(6, 5*time.Second)
		if took := time.Since(start); took > timeout {
			t.Fatalf("the other messages took %v, held up behind the hanging one (deadline %v)", took, timeout)
		}
		f.waitFor("the hanging message's attempt ends at its deadline", 2*timeout, func() bool {
			for _, r := range f.rows() {
				if strings.Contains(r.LastError, "no answer within") {
					return true
				}
			}
			return false
		})
	})
}

// TestLostLastAttemptIsDeadLettered: a message whose last attempt was lost
// with its instance (lease expired, attempts spent) is failed by a running
// dispatcher and never delivered again.
func TestLostLastAttemptIsDeadLettered(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		lost := f.enqueue("lost@example.com")[0]
		expired := time.Now().UTC().Add(-time.Second)
		if err := db.Model(&models.OutboxMessage{}).Where("id = ?", lost).
			Updates(map[string]any{"attempts": 5, "locked_until": expired}).Error; err != nil {
			t.Fatal(err)
		}
		f.enqueue("fine@example.com")
		stop := run(f.dispatcher(outbox.Config{Workers: 2, Lease: 150 * time.Millisecond, SendTimeout: time.Second}))
		f.waitFor("the lost message failed, the other sent", 5*time.Second, func() bool { return f.count("failed") == 1 && f.count("sent") == 1 })
		stop()
		if r := f.rows()[lost]; r.Attempts != 5 || r.LastError == "" {
			t.Fatalf("lost message: %d attempts, error %q", r.Attempts, r.LastError)
		}
		if got := f.smtp.Attempts(); got != 1 {
			t.Fatalf("the server saw %d deliveries, want only the other message", got)
		}
	})
}
