// Package outbox delivers what the transactional outbox holds. Workers on
// any number of instances claim due rows under a lease (row locks that other
// claimers skip, on PostgreSQL), renewed while the rows are held, and hand
// events to their handlers and emails to the sender, each message on its
// own with its own deadline. Each is recorded as soon as it completes;
// failures are retried with exponential backoff and jitter until a message's
// attempts run out, and permanent ones fail at once, for an admin to retry.
package outbox

import (
	"context"
	"errors"
	"log/slog"
	"sync"
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

// Store persists the outbox. Every update of a claimed row is fenced by its
// lease: once a lease is lost, another worker owns the row.
type Store interface {
	// Claim takes up to limit due rows with attempts left, counting an
	// attempt for each: no row is ever tried more than its maximum.
	Claim(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*Message, error)
	// ClaimKind is Claim of the rows of one kind only.
	ClaimKind(ctx context.Context, kind string, now time.Time, lease time.Duration, limit int) ([]*Message, error)
	// DeadLetter fails the rows whose last attempt's lease ran out (their
	// instance stopped mid-attempt), which Claim skips, and counts them.
	DeadLetter(ctx context.Context, now time.Time) (int, error)
	// Extend moves a held lease to until, reporting false if it was lost.
	Extend(ctx context.Context, id string, lease, until time.Time) (bool, error)
	// ExtendMany moves the held leases of ids, all equal to lease, to until,
	// and returns the IDs whose lease it moved: the others were lost.
	ExtendMany(ctx context.Context, ids []string, lease, until time.Time) ([]string, error)
	// Release gives back a claim whose message was never started, and the
	// attempt its claim counted.
	Release(ctx context.Context, id string, lease time.Time) error
	// MarkSentMany marks held rows sent at at in one write, each fenced by
	// its own lease, and returns the IDs it marked: the others were lost.
	MarkSentMany(ctx context.Context, held []Held, at time.Time) ([]string, error)
	// Retry schedules another attempt at next, or marks the message failed
	// when its attempts are spent.
	Retry(ctx context.Context, id string, lease, next time.Time, lastErr string) error
	// Fail marks the message failed at once.
	Fail(ctx context.Context, id string, lease time.Time, lastErr string) error
	List(ctx context.Context, status, afterID string, limit int) ([]*Row, error)
	Count(ctx context.Context, status string) (int, error)
	Requeue(ctx context.Context, id string, at time.Time) error
	Depth(ctx context.Context) (int, error)
}

// Sender delivers one email. It wraps with Permanent the errors that no
// retry can fix (an SMTP 5xx reply, an address the server refuses).
type Sender interface {
	Send(ctx context.Context, e *Email) error
}

// PermanentError is a delivery failure that retrying cannot fix.
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// Permanent marks err as permanent: the message fails at once rather than
// after its attempts run out.
func Permanent(err error) error { return &PermanentError{Err: err} }

// IsPermanent reports whether err, or an error it wraps, is permanent.
func IsPermanent(err error) bool {
	var p *PermanentError
	return errors.As(err, &p)
}

// Handler processes an event kind; it completes the event itself, in the
// same transaction as its effects, fenced by m.Lease.
type Handler func(ctx context.Context, m *Message) error

// BatchHandler processes several claimed events of one kind at once, all
// under one lease; like a Handler, it completes them itself, fenced by the
// lease. An event whose lease it finds lost it leaves to its new holder.
type BatchHandler func(ctx context.Context, ms []*Message) error

// Config tunes the dispatcher.
type Config struct {
	Batch   int // most rows claimed at once
	Workers int // messages in progress at once (default 4)
	// Lease is how long a claim lasts unless renewed; held messages are
	// renewed every Lease/3, so it bounds how long the messages of a
	// crashed instance wait, not how long a message may take.
	Lease time.Duration
	// SendTimeout bounds one message: its delivery, or its event handler
	// (default 15s).
	SendTimeout time.Duration
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
	batches  map[string]BatchHandler
	cfg      Config
	log      *slog.Logger
	now      func() time.Time
	wake     chan struct{}
	sent     *sentLog

	mu      sync.Mutex
	held    map[string]*claim // claimed and not yet completed or released
	batched int               // of held, those in a running batch
}

// New returns a dispatcher; handlers maps event kinds to their handlers,
// and kind "mail" goes to sender.
func New(store Store, sender Sender, handlers map[string]Handler, cfg Config, log *slog.Logger, now func() time.Time) *Dispatcher {
	if cfg.Workers <= 0 {
		cfg.Workers = 4
	}
	if cfg.SendTimeout <= 0 {
		cfg.SendTimeout = 15 * time.Second
	}
	cfg.Batch = max(cfg.Batch, 1)
	return &Dispatcher{store: store, sender: sender, handlers: handlers, cfg: cfg, log: log, now: now,
		wake: make(chan struct{}, 1), held: map[string]*claim{}, batches: map[string]BatchHandler{},
		sent: newSentLog(store, now)}
}

// HandleBatches has events of kind processed up to Config.Batch at a time
// by h, before Run or RunOnce starts. When a batch fails, its events are
// retried at once one by one with the kind's Handler, so that one bad event
// cannot hold back the others; unless the database is unavailable, when
// they back off as any failed message does.
func (d *Dispatcher) HandleBatches(kind string, h BatchHandler) {
	d.batches[kind] = h
}

// Wake makes the dispatcher look for work now rather than at its next poll.
func (d *Dispatcher) Wake() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
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
