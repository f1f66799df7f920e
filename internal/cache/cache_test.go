package cache

import (
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"
)

func bytesCost(b []byte) int { return len(b) }

// newBytes returns a one-shard cache with room for n entries of size
// bytes under one-character keys.
func newBytes(n, size int) *Cache[[]byte] {
	return New(Options[[]byte]{MaxBytes: int64(n * (size + 1 + EntryOverhead)), Cost: bytesCost, Shards: 1})
}

func has(c *Cache[[]byte], key string) bool {
	_, ok := c.Get(key)
	return ok
}

func TestEvictionByBytes(t *testing.T) {
	c := newBytes(3, 100)
	for _, k := range []string{"a", "b", "c", "d", "e"} {
		if !c.Put(k, c.Gen(), make([]byte, 100)) {
			t.Fatalf("Put(%s) refused", k)
		}
		if got, max := c.Bytes(), int64(3*(100+1+EntryOverhead)); got > max {
			t.Fatalf("after %s: %d bytes, budget %d", k, got, max)
		}
	}
	for k, want := range map[string]bool{"a": false, "b": false, "c": true, "d": true, "e": true} {
		if got := has(c, k); got != want {
			t.Errorf("%s cached=%t, want %t", k, got, want)
		}
	}
	// One entry three times as large makes room by evicting all three.
	if !c.Put("f", c.Gen(), make([]byte, 3*100+2*(1+EntryOverhead))) {
		t.Fatal("an entry as large as the budget was refused")
	}
	if n := c.Len(); n != 1 {
		t.Fatalf("%d entries, want only the large one", n)
	}
}

func TestLRUOrder(t *testing.T) {
	tests := []struct {
		name    string
		touch   []string // read after a, b, c are stored
		evicted string
	}{
		{"oldest goes first", nil, "a"},
		{"a read saves the oldest", []string{"a"}, "b"},
		{"the least recently read goes", []string{"a", "c", "b"}, "a"},
		{"a replaced entry is new again", []string{"put:a"}, "b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newBytes(3, 10)
			for _, k := range []string{"a", "b", "c"} {
				c.Put(k, c.Gen(), make([]byte, 10))
			}
			for _, k := range tt.touch {
				if k == "put:a" {
					c.Put("a", c.Gen(), make([]byte, 10))
				} else if !has(c, k) {
					t.Fatalf("%s missing", k)
				}
			}
			c.Put("d", c.Gen(), make([]byte, 10))
			for _, k := range []string{"a", "b", "c", "d"} {
				if got, want := has(c, k), k != tt.evicted; got != want {
					t.Errorf("%s cached=%t, want %t", k, got, want)
				}
			}
		})
	}
}

func TestTooLargeIsNotStored(t *testing.T) {
	c := New(Options[[]byte]{MaxBytes: 1, Cost: bytesCost})
	if c.Put("k", c.Gen(), []byte("v")) || has(c, "k") {
		t.Fatal("a one-byte cache stored an entry")
	}
	// Replacing with a value too large drops the old one: it is stale.
	c = newBytes(1, 10)
	c.Put("k", c.Gen(), make([]byte, 10))
	if c.Put("k", c.Gen(), make([]byte, 1000)) || has(c, "k") || c.Bytes() != 0 {
		t.Fatalf("a refused replacement left %d bytes", c.Bytes())
	}
}

func TestMaxEntries(t *testing.T) {
	// One entry at most, as the benches use to make every read miss.
	c := New(Options[[]byte]{MaxBytes: 64 << 20, MaxEntries: 1, Cost: bytesCost})
	c.Put("a", c.Gen(), []byte("1"))
	c.Put("b", c.Gen(), []byte("2"))
	if has(c, "a") || !has(c, "b") || c.Len() != 1 {
		t.Fatalf("%d entries, a=%t b=%t; want b alone", c.Len(), has(c, "a"), has(c, "b"))
	}
}

// TestDelete: a deleted entry is gone and its bytes are free again.
func TestDelete(t *testing.T) {
	c := newBytes(2, 4)
	c.Put("a", c.Gen(), []byte("1234"))
	c.Put("b", c.Gen(), []byte("5678"))
	c.Delete("a")
	c.Delete("z") // absent: nothing happens
	if has(c, "a") || !has(c, "b") || c.Len() != 1 || c.Bytes() != 4+1+EntryOverhead {
		t.Fatalf("after Delete: a=%t b=%t, %d entries, %d bytes", has(c, "a"), has(c, "b"), c.Len(), c.Bytes())
	}
	c.Put("c", c.Gen(), []byte("9abc"))
	if !has(c, "b") || !has(c, "c") {
		t.Fatal("the freed room was not reused: b or c evicted")
	}
}

// TestGeneration: a fill that read its data before an invalidation must not
// store it after.
func TestGeneration(t *testing.T) {
	c := newBytes(10, 10)
	gen := c.Gen()
	c.Put("kept", gen, []byte("x"))
	c.Invalidate()
	if has(c, "kept") || c.Len() != 0 || c.Bytes() != 0 {
		t.Fatal("Invalidate left entries")
	}
	if c.Put("stale", gen, []byte("old")) || has(c, "stale") {
		t.Fatal("a fill begun before the invalidation was stored")
	}
	if !c.Put("fresh", c.Gen(), []byte("new")) || !has(c, "fresh") {
		t.Fatal("a fill under the current generation was not stored")
	}
}

func TestMaxAge(t *testing.T) {
	c := New(Options[[]byte]{MaxBytes: 1 << 20, Cost: bytesCost, MaxAge: 50 * time.Millisecond})
	c.Put("k", c.Gen(), []byte("v"))
	if !has(c, "k") {
		t.Fatal("a fresh entry was not served")
	}
	time.Sleep(60 * time.Millisecond)
	if _, ok := c.GetBytes([]byte("k")); ok {
		t.Fatal("an entry older than the maximum age was served")
	}
	if c.Len() != 0 {
		t.Fatal("the expired entry was kept")
	}
}

func TestGetBytesAllocatesNothing(t *testing.T) {
	c := New(Options[[]byte]{MaxBytes: 64 << 20, Cost: bytesCost, MaxAge: time.Minute})
	key := []byte("g:a-slug-longer-than-thirty-two-bytes-of-stack")
	c.Put(string(key), c.Gen(), []byte("body"))
	if n := testing.AllocsPerRun(100, func() {
		if _, ok := c.GetBytes(key); !ok {
			t.Fatal("miss")
		}
	}); n != 0 {
		t.Fatalf("%v allocations per hit", n)
	}
}

// TestConcurrent runs readers, writers and invalidations together (run it
// with -race), then checks each shard's books.
func TestConcurrent(t *testing.T) {
	c := New(Options[[]byte]{MaxBytes: 64 << 10, Cost: bytesCost, Shards: 4})
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 5000 {
				k := strconv.Itoa((i * (w + 1)) % 700)
				if _, ok := c.Get(k); !ok {
					c.Put(k, c.Gen(), make([]byte, i%900))
				}
				if w == 0 && i%1000 == 0 {
					c.Invalidate()
				}
			}
		}()
	}
	wg.Wait()
	for i := range c.shards {
		s := &c.shards[i]
		var n int
		var sum int64
		for e := s.lru.next; e != &s.lru; e = e.next {
			n++
			sum += e.size
			if s.m[e.key] != e {
				t.Fatalf("shard %d: %q in the list but not the map", i, e.key)
			}
		}
		if n != len(s.m) || sum != s.bytes || s.bytes > s.max {
			t.Fatalf("shard %d: %d listed, %d mapped, %d bytes counted of %d summed, budget %d", i, n, len(s.m), s.bytes, sum, s.max)
		}
	}
}

func BenchmarkGetBytesHit(b *testing.B) {
	c := New(Options[[]byte]{MaxBytes: 64 << 20, Cost: bytesCost, MaxAge: 5 * time.Minute})
	keys := make([][]byte, 1000)
	for i := range keys {
		keys[i] = fmt.Appendf(nil, "g:guide-%d", i)
		c.Put(string(keys[i]), c.Gen(), make([]byte, 6600))
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			c.GetBytes(keys[i%len(keys)])
			i++
		}
	})
}
