package batch

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

// gate is a Fetch that records its batches and, while held, blocks.
type gate struct {
	mu      sync.Mutex
	batches [][]string
	hold    chan struct{} // nil: answer at once
	started chan struct{}
	err     error
}

func (g *gate) fetch(ctx context.Context, keys []string) (map[string]string, error) {
	g.mu.Lock()
	g.batches = append(g.batches, slices.Clone(keys))
	hold := g.hold
	g.mu.Unlock()
	if g.started != nil {
		g.started <- struct{}{}
	}
	if hold != nil {
		<-hold
	}
	out := map[string]string{}
	for _, k := range keys {
		if k != "missing" {
			out[k] = "v:" + k
		}
	}
	return out, g.err
}

func TestAloneRunsAtOnce(t *testing.T) {
	g := &gate{}
	l := New(g.fetch, 2, 8, time.Second)
	for _, tc := range []struct {
		key, val string
		ok       bool
	}{{"a", "v:a", true}, {"missing", "", false}} {
		v, ok, err := l.Load(t.Context(), tc.key)
		if err != nil || ok != tc.ok || v != tc.val {
			t.Errorf("Load(%q) = %q, %t, %v; want %q, %t", tc.key, v, ok, err, tc.val, tc.ok)
		}
	}
	if len(g.batches) != 2 || len(g.batches[0]) != 1 {
		t.Fatalf("batches %v, want one key each", g.batches)
	}
}

// TestQueuedLoadsShareABatch: loads arriving while the only slot is busy
// go out together, each getting its own value.
func TestQueuedLoadsShareABatch(t *testing.T) {
	g := &gate{hold: make(chan struct{}), started: make(chan struct{}, 10)}
	l := New(g.fetch, 1, 4, time.Second)
	var wg sync.WaitGroup
	results := make([]string, 7)
	load := func(i int) {
		defer wg.Done()
		v, _, err := l.Load(t.Context(), fmt.Sprint(i))
		if err != nil {
			t.Error(err)
		}
		results[i] = v
	}
	wg.Add(1)
	go load(0)
	<-g.started // the first batch holds the slot
	for i := 1; i < 7; i++ {
		wg.Add(1)
		go load(i)
	}
	for l.queued() < 6 {
		time.Sleep(time.Millisecond)
	}
	close(g.hold)
	wg.Wait()
	// Six queued keys with at most four per batch: two more batches.
	if len(g.batches) != 3 || len(g.batches[1]) != 4 || len(g.batches[2]) != 2 {
		t.Fatalf("batches %v", g.batches)
	}
	for i, v := range results {
		if v != fmt.Sprintf("v:%d", i) {
			t.Errorf("load %d got %q", i, v)
		}
	}
}

func (l *Loader[V]) queued() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.queue)
}

func TestErrorReachesTheBatch(t *testing.T) {
	boom := errors.New("database down")
	g := &gate{err: boom}
	l := New(g.fetch, 1, 8, time.Second)
	if _, _, err := l.Load(t.Context(), "a"); !errors.Is(err, boom) {
		t.Fatalf("err %v", err)
	}
}

// TestCancelledWhileQueued: a load whose client leaves stops waiting, and
// the loader keeps serving the others.
func TestCancelledWhileQueued(t *testing.T) {
	g := &gate{hold: make(chan struct{}), started: make(chan struct{}, 10)}
	l := New(g.fetch, 1, 8, time.Second)
	done := make(chan struct{})
	go func() { defer close(done); _, _, _ = l.Load(t.Context(), "first") }()
	<-g.started
	ctx, cancel := context.WithCancel(t.Context())
	errc := make(chan error)
	go func() { _, _, err := l.Load(ctx, "gone"); errc <- err }()
	for l.queued() < 1 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want canceled", err)
	}
	close(g.hold)
	<-done
	if v, ok, err := l.Load(t.Context(), "next"); v != "v:next" || !ok || err != nil {
		t.Fatalf("after a cancellation: %q %t %v", v, ok, err)
	}
}

// TestConcurrentLoads (run with -race): every load gets its own value,
// however the batches form.
func TestConcurrentLoads(t *testing.T) {
	g := &gate{}
	l := New(g.fetch, 2, 5, time.Second)
	var wg sync.WaitGroup
	for w := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				k := fmt.Sprint(w*1000 + i)
				if v, ok, err := l.Load(t.Context(), k); v != "v:"+k || !ok || err != nil {
					t.Errorf("Load(%s) = %q %t %v", k, v, ok, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if l.inflight != 0 || len(l.queue) != 0 {
		t.Fatalf("%d in flight, %d queued after every load returned", l.inflight, len(l.queue))
	}
}
