// Package requestid carries a request's ID in its context, and a log
// handler that prints it on every line logged with that context, so the
// lines a request causes anywhere (domain code included) can be found by
// the ID its client was given.
package requestid

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

type key struct{}

// With returns ctx carrying id.
func With(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, key{}, id)
}

// From returns the request ID ctx carries, or "".
func From(ctx context.Context) string {
	id, _ := ctx.Value(key{}).(string)
	return id
}

// Handler adds request_id to every record logged with a request's context
// (logger.InfoContext(ctx, …)), unless the record names one itself.
type Handler struct{ slog.Handler }

// Handle implements slog.Handler.
func (h Handler) Handle(ctx context.Context, r slog.Record) error {
	if id := From(ctx); id != "" {
		named := false
		r.Attrs(func(a slog.Attr) bool {
			named = a.Key == "request_id"
			return !named
		})
		if !named {
			r.AddAttrs(slog.String("request_id", id))
		}
	}
	return h.Handler.Handle(ctx, r)
}

// WithAttrs implements slog.Handler.
func (h Handler) WithAttrs(as []slog.Attr) slog.Handler { return Handler{h.Handler.WithAttrs(as)} }

// WithGroup implements slog.Handler.
func (h Handler) WithGroup(name string) slog.Handler { return Handler{h.Handler.WithGroup(name)} }

// Context is a request's context: it carries the request's ID and
// deadline. The timer and Done channel that enforce the deadline cost an
// allocation and two operations on the runtime's timer heap, and a cached
// read never waits on them, so they are made on the first call of Done or
// Err (a database query, a context derived for one) and never otherwise.
// Whoever waits sees the same deadline as if it had been set up front.
type Context struct {
	id       string
	deadline time.Time

	mu    sync.Mutex
	ended bool
	inner atomic.Pointer[timed]
}

type timed struct {
	ctx    context.Context
	cancel context.CancelFunc
}

// NewContext returns the context of a request named id that must finish by
// deadline. Call End when the request is over.
func NewContext(id string, deadline time.Time) *Context {
	return &Context{id: id, deadline: deadline}
}

// ID is the request's ID.
func (r *Context) ID() string { return r.id }

// End cancels the context, as the request is over. Code that still holds it
// (a streamed response, a goroutine) sees context.Canceled.
func (r *Context) End() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ended = true
	if t := r.inner.Load(); t != nil {
		t.cancel()
	}
}

// timer makes the deadline's timer and Done channel on first use.
func (r *Context) timer() *timed {
	if t := r.inner.Load(); t != nil {
		return t
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if t := r.inner.Load(); t != nil {
		return t
	}
	ctx, cancel := context.WithDeadline(context.Background(), r.deadline)
	if r.ended {
		cancel()
	}
	t := &timed{ctx: ctx, cancel: cancel}
	r.inner.Store(t)
	return t
}

// Deadline implements context.Context.
func (r *Context) Deadline() (time.Time, bool) { return r.deadline, true }

// Done implements context.Context.
func (r *Context) Done() <-chan struct{} { return r.timer().ctx.Done() }

// Err implements context.Context.
func (r *Context) Err() error { return r.timer().ctx.Err() }

// Value implements context.Context: the request ID under this package's
// key. Any other key is asked of the timer's context once it exists; that
// is how a context derived from this one finds the cancellation it hangs
// off (the context package looks it up after calling Done), rather than
// starting a goroutine to watch Done. Before that there is nothing else
// to find.
func (r *Context) Value(k any) any {
	if k == (key{}) {
		return r.id
	}
	if t := r.inner.Load(); t != nil {
		return t.ctx.Value(k)
	}
	return nil
}

// String names the context in panics and debug output, as the context
// package's own types do.
func (r *Context) String() string { return "requestid.Context(" + r.id + ")" }
