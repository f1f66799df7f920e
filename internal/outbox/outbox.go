// Package outbox delivers what the transactional outbox holds. Workers on
// any number of instances claim due rows under a lease (row locks that other
// claimers skip, on PostgreSQL), hand events to their handlers and emails to
// the sender, and retry failures with exponential backoff and jitter until a
// message's attempts run out and it is marked failed for an admin to retry.
package outbox

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/id"
)

// Message is a claimed outbox row.
type Message struct {
	ID          string
	Kind        string
	LeadID      string
	Payload     []byte
	Attempts    int // including this one
	MaxAttempts int
	Lease       time.Time // the claim; updates are fenced by it
}

// Row is an outbox row as admins see it.
type Row struct {
	ID            string
	Kind          string
	LeadID        string
	Status        string
	Attempts      int
	MaxAttempts   int
	NextAttemptAt time.Time
	LastError     string
	CreatedAt     time.Time
	SentAt        *time.Time
	Subject       string
	To            []string
}

// Email is the payload of a mail message.
type Email struct {
	ID      string   `json:"-"` // the outbox ID, used as the Message-ID
	To      []string `json:"to"`
	ReplyTo string   `json:"reply_to,omitempty"`
	Subject string   `json:"subject"`
	Text    string   `json:"text"`
	HTML    string   `json:"html"`
}

// Store persists the outbox.
type Store interface {
	Claim(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*Message, error)
	MarkSent(ctx context.Context, id string, lease, at time.Time) error
	// Retry schedules another attempt at next, or marks the message failed
	// when its attempts are spent.
	Retry(ctx context.Context, id string, lease, next time.Time, lastErr string) error
	List(ctx context.Context, status, afterID string, limit int) ([]*Row, error)
	Count(ctx context.Context, status string) (int, error)
	Requeue(ctx context.Context, id string, at time.Time) error
	Depth(ctx context.Context) (int, error)
}

// Sender delivers emails, returning one error (or nil) per email.
type Sender interface {
	Send(ctx context.Context, emails []*Email) []error
}

// Handler processes an event kind; it completes the event itself, in the
// same transaction as its effects.
type Handler func(ctx context.Context, m *Message) error

// Config tunes the dispatcher.
type Config struct {
	Batch       int           // rows claimed at once
	Lease       time.Duration // how long a claim lasts before others may retry it
	Poll        time.Duration // idle wait between claims
	BackoffBase time.Duration // first retry delay
	BackoffMax  time.Duration
	// Observe, when set, hears of every delivery attempt (metrics).
	Observe func(kind string, ok bool)
}

// Dispatcher runs the outbox.
type Dispatcher struct {
	store    Store
	sender   Sender
	handlers map[string]Handler
	cfg      Config
	log      *slog.Logger
	now      func() time.Time
	wake     chan struct{}
}

// New returns a dispatcher; handlers maps event kinds to their handlers,
// and kind "mail" goes to sender.
func New(store Store, sender Sender, handlers map[string]Handler, cfg Config, log *slog.Logger, now func() time.Time) *Dispatcher {
	return &Dispatcher{store: store, sender: sender, handlers: handlers, cfg: cfg, log: log, now: now, wake: make(chan struct{}, 1)}
}

// Wake makes the dispatcher look for work now rather than at its next poll.
func (d *Dispatcher) Wake() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Run delivers until ctx ends.
func (d *Dispatcher) Run(ctx context.Context) {
	for ctx.Err() == nil {
		n, err := d.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			d.log.Error("outbox: claim", "err", err)
		}
		if n == d.cfg.Batch && err == nil {
			continue // more is likely waiting
		}
		select {
		case <-ctx.Done():
		case <-d.wake:
		case <-time.After(d.cfg.Poll):
		}
	}
}

// RunOnce claims one batch and processes it, reporting how many rows it claimed.
func (d *Dispatcher) RunOnce(ctx context.Context) (int, error) {
	msgs, err := d.store.Claim(ctx, d.now(), d.cfg.Lease, d.cfg.Batch)
	if err != nil || len(msgs) == 0 {
		return 0, err
	}
	var mails []*Message
	for _, m := range msgs {
		if m.Kind == "mail" {
			mails = append(mails, m)
			continue
		}
		h, ok := d.handlers[m.Kind]
		if !ok {
			d.fail(ctx, m, fmt.Errorf("no handler for kind %q", m.Kind))
			continue
		}
		err := h(ctx, m)
		d.observe(m.Kind, err == nil)
		if err != nil {
			d.fail(ctx, m, err)
		}
	}
	if len(mails) > 0 {
		d.sendMails(ctx, mails)
		d.Wake() // events may have queued mail
	}
	return len(msgs), nil
}

func (d *Dispatcher) sendMails(ctx context.Context, msgs []*Message) {
	emails := make([]*Email, 0, len(msgs))
	sendable := make([]*Message, 0, len(msgs))
	for _, m := range msgs {
		var e Email
		if err := json.Unmarshal(m.Payload, &e); err != nil {
			d.fail(ctx, m, fmt.Errorf("bad payload: %w", err))
			continue
		}
		e.ID = m.ID
		emails, sendable = append(emails, &e), append(sendable, m)
	}
	errs := d.sender.Send(ctx, emails)
	for i, m := range sendable {
		d.observe(m.Kind, errs[i] == nil)
		if errs[i] != nil {
			d.fail(ctx, m, errs[i])
			continue
		}
		if err := d.store.MarkSent(ctx, m.ID, m.Lease, d.now()); err != nil {
			d.log.Error("outbox: mark sent", "id", m.ID, "err", err)
		}
	}
}

func (d *Dispatcher) fail(ctx context.Context, m *Message, cause error) {
	next := d.now().Add(d.backoff(m.Attempts))
	msg := cause.Error()
	if len(msg) > 1000 {
		msg = msg[:1000]
	}
	level := slog.LevelWarn
	if m.Attempts >= m.MaxAttempts {
		level = slog.LevelError
	}
	d.log.Log(ctx, level, "outbox: delivery failed", "id", m.ID, "kind", m.Kind, "attempt", m.Attempts, "max_attempts", m.MaxAttempts, "err", msg)
	if err := d.store.Retry(ctx, m.ID, m.Lease, next, msg); err != nil {
		d.log.Error("outbox: schedule retry", "id", m.ID, "err", err)
	}
}

func (d *Dispatcher) observe(kind string, ok bool) {
	if d.cfg.Observe != nil {
		d.cfg.Observe(kind, ok)
	}
}

// backoff is exponential in the attempt with full jitter in its upper half,
// so that messages failing together do not retry together.
func (d *Dispatcher) backoff(attempt int) time.Duration {
	b := d.cfg.BackoffBase << min(attempt-1, 20)
	if b > d.cfg.BackoffMax || b <= 0 {
		b = d.cfg.BackoffMax
	}
	return b/2 + rand.N(b/2+1)
}

// List shows outbox rows to admins, newest last; status may be empty.
func (d *Dispatcher) List(ctx context.Context, status, afterID string, limit int) ([]*Row, error) {
	return d.store.List(ctx, status, afterID, limit)
}

// Count counts outbox rows with status (any when empty).
func (d *Dispatcher) Count(ctx context.Context, status string) (int, error) {
	return d.store.Count(ctx, status)
}

// Retry puts a message back in the queue with fresh attempts.
func (d *Dispatcher) Retry(ctx context.Context, msgID string) error {
	if !id.Valid(msgID) {
		return apperr.New(apperr.NotFound, "no such message")
	}
	if err := d.store.Requeue(ctx, msgID, d.now()); err != nil {
		return err
	}
	d.Wake()
	return nil
}
