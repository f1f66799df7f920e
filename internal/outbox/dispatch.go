package outbox

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/verdict-cms/verdict/internal/apperr"
)

// writeTimeout bounds a write that records finished work. It runs on a
// context detached from the dispatcher's, so that shutdown never turns a
// delivered message into one delivered again.
const writeTimeout = 5 * time.Second

// claim is a message this instance holds under a lease.
type claim struct {
	// mu serialises the lease's renewal with the message's completion:
	// both are fenced by the lease, so neither may see a stale one.
	mu   sync.Mutex
	m    *Message
	done bool // completed or released: nothing renews it any more
}

// Run delivers until ctx ends. Workers take claimed messages one at a time;
// it claims more when they have run out of queued ones, at most twice what
// they can work on, so an instance holds few leases it has not started.
// Messages flow independently, events too, so no order among them is kept.
// When ctx ends, messages in progress finish (each within SendTimeout) and
// are recorded, and those not started are released.
func (d *Dispatcher) Run(ctx context.Context) {
	queue := make(chan []*claim, d.cfg.Batch)
	freed := make(chan struct{}, 1)
	var workers sync.WaitGroup
	for range d.cfg.Workers {
		workers.Go(func() {
			for u := range queue {
				if ctx.Err() != nil {
					for _, c := range u {
						d.release(ctx, c)
					}
					continue
				}
				d.work(ctx, u, true)
				signal(freed)
			}
		})
	}
	renewCtx, stopRenewing := context.WithCancel(context.WithoutCancel(ctx))
	renewing := make(chan struct{})
	go func() {
		defer close(renewing)
		d.keepLeases(renewCtx)
	}()
	for ctx.Err() == nil {
		idle := false // nothing more is due: wait for the next poll
		if want := min(d.cfg.Batch, 2*d.cfg.Workers-d.waiting()); len(queue) == 0 && want > 0 {
			msgs, err := d.claim(ctx, want)
			if err != nil && ctx.Err() == nil {
				d.log.Error("outbox: claim", "err", err)
			}
			for _, u := range d.units(msgs) {
				queue <- u // never blocks: the queue was empty and holds a batch
			}
			idle = len(msgs) < want
		}
		var poll <-chan time.Time
		if idle {
			poll = time.After(d.cfg.Poll)
		}
		select {
		case <-ctx.Done():
		case <-d.wake:
		case <-freed:
		case <-poll:
		}
	}
	close(queue)
	workers.Wait()
	d.sent.wait()
	stopRenewing()
	<-renewing
}

// RunOnce claims one batch and processes it, reporting how many rows it
// claimed: events in order (one by one, or in batches for the kinds with a
// batch handler), then mails with the configured workers. It does not renew leases: it is for tests and tools that drain
// the outbox step by step.
func (d *Dispatcher) RunOnce(ctx context.Context) (int, error) {
	d.deadLetter(ctx)
	msgs, err := d.claim(ctx, d.cfg.Batch)
	if err != nil {
		return 0, err
	}
	sem := make(chan struct{}, d.cfg.Workers)
	var wg sync.WaitGroup
	for _, u := range d.units(msgs) {
		if u[0].m.Kind != "mail" {
			d.work(ctx, u, false)
		}
	}
	for _, c := range msgs {
		if c.m.Kind == "mail" {
			sem <- struct{}{}
			wg.Go(func() {
				defer func() { <-sem }()
				d.process(ctx, c)
			})
		}
	}
	wg.Wait()
	d.sent.wait()
	return len(msgs), nil
}

// claim runs detached from ctx: a claim cancelled midway may still commit,
// leaving rows leased to nobody until their leases expire.
func (d *Dispatcher) claim(ctx context.Context, limit int) ([]*claim, error) {
	w, cancel := context.WithTimeout(context.WithoutCancel(ctx), writeTimeout)
	defer cancel()
	msgs, err := d.store.Claim(w, d.now(), d.cfg.Lease, limit)
	if err != nil {
		return nil, err
	}
	return d.hold(msgs), nil
}

// claimKind claims more rows of one kind, for a batch.
func (d *Dispatcher) claimKind(ctx context.Context, kind string, limit int) ([]*claim, error) {
	w, cancel := context.WithTimeout(context.WithoutCancel(ctx), writeTimeout)
	defer cancel()
	msgs, err := d.store.ClaimKind(w, kind, d.now(), d.cfg.Lease, limit)
	if err != nil {
		return nil, err
	}
	return d.hold(msgs), nil
}

// hold records claimed messages as held.
func (d *Dispatcher) hold(msgs []*Message) []*claim {
	out := make([]*claim, len(msgs))
	d.mu.Lock()
	defer d.mu.Unlock()
	for i, m := range msgs {
		out[i] = &claim{m: m}
		d.held[m.ID] = out[i]
	}
	return out
}

// waiting counts the claims held and not in a running batch: those queued
// or in progress one by one.
func (d *Dispatcher) waiting() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.held) - d.batched
}

// units groups claimed messages into units of work: the events of a kind
// with a batch handler together, every other message on its own.
func (d *Dispatcher) units(cs []*claim) [][]*claim {
	var out [][]*claim
	group := map[string]int{} // kind → its unit in out
	for _, c := range cs {
		if _, ok := d.batches[c.m.Kind]; ok {
			if i, ok := group[c.m.Kind]; ok {
				out[i] = append(out[i], c)
				continue
			}
			group[c.m.Kind] = len(out)
		}
		out = append(out, []*claim{c})
	}
	return out
}

// work processes a unit: a batch, or one message.
func (d *Dispatcher) work(ctx context.Context, u []*claim, topUp bool) {
	if h, ok := d.batches[u[0].m.Kind]; ok {
		d.handleBatch(ctx, h, u, topUp)
		return
	}
	d.process(ctx, u[0])
}

// process works on one message under its own deadline. The deadline is
// detached from ctx: a shutdown lets a message in progress finish rather
// than abandon a delivery the server may already have accepted.
func (d *Dispatcher) process(ctx context.Context, c *claim) {
	work, cancel := context.WithTimeout(context.WithoutCancel(ctx), d.cfg.SendTimeout)
	defer cancel()
	m := c.m
	if m.Kind != "mail" {
		d.handle(ctx, work, c)
		return
	}
	var e Email
	if err := json.Unmarshal(m.Payload, &e); err != nil {
		d.finish(ctx, c, Permanent(fmt.Errorf("bad payload: %w", err)))
		return
	}
	e.ID = m.ID
	err := d.sender.Send(work, &e)
	if err != nil && work.Err() != nil {
		err = fmt.Errorf("no answer within %v: %w", d.cfg.SendTimeout, err)
	}
	d.observe(m.Kind, err == nil)
	d.finish(ctx, c, err)
}

// handle runs an event's handler, which completes the event itself. The
// claim stays locked meanwhile, so its lease cannot change under the
// handler's fence; it is first extended to outlast the handler's deadline.
func (d *Dispatcher) handle(ctx, work context.Context, c *claim) {
	h, ok := d.handlers[c.m.Kind]
	if bh, batched := d.batches[c.m.Kind]; !ok && batched {
		h, ok = func(ctx context.Context, m *Message) error { return bh(ctx, []*Message{m}) }, true
	}
	if !ok {
		d.finish(ctx, c, Permanent(fmt.Errorf("no handler for kind %q", c.m.Kind)))
		return
	}
	c.mu.Lock()
	err := d.extend(work, c, d.cfg.SendTimeout+d.cfg.Lease)
	if err == nil {
		err = h(work, c.m)
		d.observe(c.m.Kind, err == nil)
	}
	if err == nil {
		c.done = true
		d.forget(c)
	}
	c.mu.Unlock()
	if err != nil {
		d.finish(ctx, c, err)
		return
	}
	d.Wake() // the event may have queued mail
}

// handleBatch runs a batch handler on cs, topped up first with more due
// events of their kind when topUp, up to Config.Batch. Like handle, it keeps
// the claims locked meanwhile, their leases first moved together to one
// that outlasts the handler's deadline. If the batch fails, its events are
// handled one by one, so that one bad event fails alone (see HandleBatches).
func (d *Dispatcher) handleBatch(ctx context.Context, h BatchHandler, cs []*claim, topUp bool) {
	kind := cs[0].m.Kind
	if topUp && len(cs) < d.cfg.Batch && ctx.Err() == nil {
		more, err := d.claimKind(ctx, kind, d.cfg.Batch-len(cs))
		if err != nil && ctx.Err() == nil {
			d.log.Error("outbox: claim", "kind", kind, "err", err)
		}
		cs = append(cs, more...)
	}
	d.mu.Lock()
	d.batched += len(cs) // in progress: not waiting for a worker
	d.mu.Unlock()
	d.Wake() // the claim loop may take more work for the idle workers
	defer func() {
		d.mu.Lock()
		d.batched -= len(cs)
		d.mu.Unlock()
	}()
	work, cancel := context.WithTimeout(context.WithoutCancel(ctx), d.cfg.SendTimeout)
	defer cancel()
	for _, c := range cs {
		c.mu.Lock()
	}
	kept, err := d.extendAll(work, cs, d.cfg.SendTimeout+d.cfg.Lease)
	if err == nil && len(kept) > 0 {
		msgs := make([]*Message, len(kept))
		for i, c := range kept {
			msgs[i] = c.m
		}
		err = h(work, msgs)
		for range kept {
			d.observe(kind, err == nil)
		}
	}
	if err == nil {
		for _, c := range kept {
			c.done = true
			d.forget(c)
		}
	}
	for _, c := range cs {
		c.mu.Unlock()
	}
	if err == nil {
		d.Wake() // the events may have queued mail
		return
	}
	if apperr.IsKind(err, apperr.Unavailable) { // one by one would fail alike: back off
		for _, c := range cs {
			if !c.done {
				d.finish(ctx, c, err)
			}
		}
		return
	}
	d.log.Warn("outbox: batch failed; its events go one by one", "kind", kind, "count", len(cs), "err", err)
	for _, c := range cs {
		if !c.done {
			d.process(ctx, c)
		}
	}
}

// extendAll moves the leases of cs, whose locks the caller holds, to one
// lease now+by, and returns the claims it kept; those whose lease was lost
// are done: another instance holds them now.
func (d *Dispatcher) extendAll(ctx context.Context, cs []*claim, by time.Duration) ([]*claim, error) {
	until := d.now().Add(by)
	groups := map[int64][]*claim{} // by lease: renewals may have moved some
	for _, c := range cs {
		groups[c.m.Lease.UnixNano()] = append(groups[c.m.Lease.UnixNano()], c)
	}
	kept := make(map[string]bool, len(cs))
	for _, g := range groups {
		lease := g[0].m.Lease
		ids := make([]string, len(g))
		for i, c := range g {
			ids[i] = c.m.ID
		}
		moved, err := d.store.ExtendMany(ctx, ids, lease, until)
		if err != nil {
			return nil, err
		}
		for _, id := range moved {
			kept[id] = true
		}
		for _, c := range g {
			if kept[c.m.ID] {
				c.m.Lease = until
			}
		}
	}
	out := make([]*claim, 0, len(cs))
	for _, c := range cs {
		if kept[c.m.ID] {
			out = append(out, c)
			continue
		}
		d.log.Warn("outbox: lease lost before its batch", "id", c.m.ID)
		c.done = true
		d.forget(c)
	}
	return out, nil
}

// finish records a message's outcome as soon as it is known: a delivery
// is handed to the sent log, written with those completing meanwhile, and
// its claim stays locked until then (see sentLog).
func (d *Dispatcher) finish(ctx context.Context, c *claim, cause error) {
	c.mu.Lock()
	c.done = true
	d.forget(c)
	m := c.m
	if cause == nil {
		d.sent.add(Held{ID: m.ID, Lease: m.Lease}, func(err error) {
			if err != nil {
				d.log.Error("outbox: mark sent", "id", m.ID, "err", err)
			}
			c.mu.Unlock()
		})
		return
	}
	defer c.mu.Unlock()
	w, cancel := context.WithTimeout(context.WithoutCancel(ctx), writeTimeout)
	defer cancel()
	msg := cause.Error()
	if len(msg) > 1000 {
		msg = msg[:1000]
	}
	if IsPermanent(cause) {
		d.log.Error("outbox: delivery failed permanently", "id", m.ID, "kind", m.Kind, "attempt", m.Attempts, "err", msg)
		if err := d.store.Fail(w, m.ID, m.Lease, msg); err != nil {
			d.log.Error("outbox: mark failed", "id", m.ID, "err", err)
		}
		return
	}
	level := slog.LevelWarn
	if m.Attempts >= m.MaxAttempts {
		level = slog.LevelError
	}
	d.log.Log(ctx, level, "outbox: delivery failed", "id", m.ID, "kind", m.Kind, "attempt", m.Attempts, "max_attempts", m.MaxAttempts, "err", msg)
	if err := d.store.Retry(w, m.ID, m.Lease, d.now().Add(d.backoff(m.Attempts)), msg); err != nil {
		d.log.Error("outbox: schedule retry", "id", m.ID, "err", err)
	}
}

// release gives back a claim that was never started.
func (d *Dispatcher) release(ctx context.Context, c *claim) {
	w, cancel := context.WithTimeout(context.WithoutCancel(ctx), writeTimeout)
	defer cancel()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.done = true
	d.forget(c)
	if err := d.store.Release(w, c.m.ID, c.m.Lease); err != nil {
		d.log.Error("outbox: release", "id", c.m.ID, "err", err)
	}
}

func (d *Dispatcher) forget(c *claim) {
	d.mu.Lock()
	delete(d.held, c.m.ID)
	d.mu.Unlock()
}

// keepLeases extends the lease of every held message each third of a
// lease, so a slow mail server never lets another instance take a message
// this one is still delivering; and once a lease, it fails the messages
// whose last attempt was lost with its instance.
func (d *Dispatcher) keepLeases(ctx context.Context) {
	t := time.NewTicker(max(d.cfg.Lease/3, time.Millisecond))
	defer t.Stop()
	for tick := 1; ; tick++ {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		d.renew(ctx)
		if tick%3 == 0 {
			d.deadLetter(ctx)
		}
	}
}

func (d *Dispatcher) renew(ctx context.Context) {
	d.mu.Lock()
	held := make([]*claim, 0, len(d.held))
	for _, c := range d.held {
		held = append(held, c)
	}
	d.mu.Unlock()
	for _, c := range held {
		if !c.mu.TryLock() {
			continue // completing, or in a handler whose lease was sized for it
		}
		if !c.done {
			w, cancel := context.WithTimeout(ctx, writeTimeout)
			if err := d.extend(w, c, d.cfg.Lease); err != nil {
				d.log.Warn("outbox: renew lease", "id", c.m.ID, "err", err)
			}
			cancel()
		}
		c.mu.Unlock()
	}
}

func (d *Dispatcher) deadLetter(ctx context.Context) {
	w, cancel := context.WithTimeout(ctx, writeTimeout)
	defer cancel()
	n, err := d.store.DeadLetter(w, d.now())
	switch {
	case err != nil:
		d.log.Error("outbox: dead-letter", "err", err)
	case n > 0:
		d.log.Error("outbox: messages failed: their last attempt was lost with its instance", "count", n)
	}
}

// extend moves c's lease to now+by; the caller holds c.mu.
func (d *Dispatcher) extend(ctx context.Context, c *claim, by time.Duration) error {
	until := d.now().Add(by)
	ok, err := d.store.Extend(ctx, c.m.ID, c.m.Lease, until)
	switch {
	case err != nil:
		return err
	case !ok:
		return fmt.Errorf("the lease of outbox message %s was lost", c.m.ID)
	}
	c.m.Lease = until
	return nil
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

func signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}
