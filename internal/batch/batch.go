// Package batch coalesces concurrent loads by key: while a few batches are
// in flight, new loads queue, and the next batch takes every queued key
// in one call. Under load one database round trip then answers many
// requests; alone, a load runs at once, with nothing to wait for.
package batch

import (
	"context"
	"slices"
	"sync"
	"time"
)

// Fetch loads values by key; a key without a value is missing from the map.
type Fetch[V any] func(ctx context.Context, keys []string) (map[string]V, error)

// Loader runs loads through Fetch in batches. It has no goroutines of its
// own: a load that finds a free slot runs the batch itself, and hands the
// slot to the oldest queued load when done.
type Loader[V any] struct {
	fetch   Fetch[V]
	max     int // keys per batch
	slots   int // batches in flight
	timeout time.Duration

	mu       sync.Mutex
	inflight int
	queue    []*call[V]
}

type call[V any] struct {
	key  string
	val  V
	ok   bool
	err  error
	lead bool // handed a slot: run the next batch
	done chan struct{}
}

// New returns a loader running at most slots batches of at most max keys
// at once, each under timeout: a batch serves several requests, so it
// outlives any one's cancellation (but keeps the first one's values).
func New[V any](fetch Fetch[V], slots, max int, timeout time.Duration) *Loader[V] {
	return &Loader[V]{fetch: fetch, slots: max1(slots), max: max1(max), timeout: timeout}
}

func max1(n int) int { return max(n, 1) }

// Load returns key's value, whether it exists, or the batch's error. It
// returns ctx's error if ctx ends while the load is still queued.
func (l *Loader[V]) Load(ctx context.Context, key string) (V, bool, error) {
	c := &call[V]{key: key}
	l.mu.Lock()
	if l.inflight < l.slots {
		l.inflight++
		l.mu.Unlock()
		l.run(ctx, c)
		return c.val, c.ok, c.err
	}
	c.done = make(chan struct{})
	l.queue = append(l.queue, c)
	l.mu.Unlock()
	select {
	case <-c.done:
	case <-ctx.Done():
		l.mu.Lock()
		if i := slices.Index(l.queue, c); i >= 0 {
			l.queue = slices.Delete(l.queue, i, i+1)
			l.mu.Unlock()
			var zero V
			return zero, false, ctx.Err()
		}
		l.mu.Unlock()
		<-c.done // taken by a batch, which ends within its timeout
	}
	if c.lead {
		l.run(ctx, c)
	}
	return c.val, c.ok, c.err
}

// run fetches first's key with as many queued ones as fit, delivers them,
// and passes the slot on.
func (l *Loader[V]) run(ctx context.Context, first *call[V]) {
	l.mu.Lock()
	n := min(len(l.queue), l.max-1)
	batch := make([]*call[V], 0, n+1)
	batch = append(append(batch, first), l.queue[:n]...)
	l.queue = slices.Delete(l.queue, 0, n)
	l.mu.Unlock()

	keys := make([]string, len(batch))
	for i, c := range batch {
		keys[i] = c.key
	}
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), l.timeout)
	vals, err := l.fetch(fctx, keys)
	cancel()
	for _, c := range batch {
		c.val, c.ok = vals[c.key]
		c.err = err
	}

	// Hand the slot over before waking anyone, so the next batch starts
	// while this one's results are delivered.
	l.mu.Lock()
	if len(l.queue) > 0 {
		next := l.queue[0]
		l.queue = slices.Delete(l.queue, 0, 1)
		next.lead = true
		l.mu.Unlock()
		close(next.done)
	} else {
		l.inflight--
		l.mu.Unlock()
	}
	for _, c := range batch[1:] {
		close(c.done)
	}
}
