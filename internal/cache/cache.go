// Package cache is Verdict's one in-memory cache: a sharded LRU bounded in
// bytes. A generation number stops a fill that began before an invalidation
// from storing what it read, and entries expire after a maximum age in case
// an invalidation was missed.
package cache

import (
	"hash/maphash"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// EntryOverhead estimates the bytes an entry keeps alive besides its value
// and key: the entry itself, its map slot and allocation rounding.
const EntryOverhead = 128

// Options configures a Cache.
type Options[V any] struct {
	// MaxBytes bounds the sum of every entry's cost. Each shard holds an
	// equal share; a value larger than a share is not stored, so a tiny
	// budget turns the cache off.
	MaxBytes int64
	// Cost is what a value keeps alive, in bytes; the key and
	// EntryOverhead are added to it.
	Cost func(V) int
	// MaxAge is the longest an entry is served after it was stored; 0
	// keeps entries until they are evicted or invalidated.
	MaxAge time.Duration
	// MaxEntries, if above 0, also bounds the number of entries.
	MaxEntries int
	// Shards is a power of two; 0 chooses one from MaxBytes.
	Shards int
}

// Sized is a value that knows roughly how many bytes it keeps alive, so
// that one Cache[Sized] holds values of several kinds under one budget.
type Sized interface{ CacheSize() int }

// SizeOf is the Cost of a Cache[Sized].
func SizeOf(v Sized) int { return v.CacheSize() }

// Cache maps string keys to values of type V. Lookups allocate nothing; the
// least recently used entry of a shard makes room for a new one.
type Cache[V any] struct {
	shards []shard[V]
	mask   uint64
	seed   maphash.Seed
	cost   func(V) int
	maxAge int64     // ns
	start  time.Time // the monotonic origin of entries' birth times
	gen    atomic.Uint64
}

type shard[V any] struct {
	mu    sync.Mutex
	m     map[string]*entry[V]
	lru   entry[V] // sentinel: lru.next is the most recently used entry
	bytes int64
	max   int64
	maxN  int      // entries; 0: unbounded
	_     [64]byte // keeps neighbouring shards' locks off one cache line
}

type entry[V any] struct {
	key        string
	val        V
	size       int64
	born       int64
	prev, next *entry[V]
}

// minShardBytes keeps shards big enough to hold a few large responses.
const minShardBytes = 1 << 20

// New returns an empty cache.
func New[V any](o Options[V]) *Cache[V] {
	n := o.Shards
	if n <= 0 {
		n = 16
		for n > 1 && (o.MaxBytes/int64(n) < minShardBytes || o.MaxEntries > 0 && o.MaxEntries < n) {
			n /= 2
		}
	}
	if n&(n-1) != 0 {
		panic("cache: Shards must be a power of two")
	}
	c := &Cache[V]{shards: make([]shard[V], n), mask: uint64(n - 1), seed: maphash.MakeSeed(),
		cost: o.Cost, maxAge: int64(o.MaxAge), start: time.Now()}
	for i := range c.shards {
		s := &c.shards[i]
		s.max = o.MaxBytes / int64(n)
		if o.MaxEntries > 0 {
			s.maxN = max(1, o.MaxEntries/n)
		}
		s.reset()
	}
	return c
}

func (s *shard[V]) reset() {
	s.m = make(map[string]*entry[V])
	s.lru.next, s.lru.prev = &s.lru, &s.lru
	s.bytes = 0
}

// Gen returns the generation to fill under: read it before reading what
// will be stored, and pass it to Put.
func (c *Cache[V]) Gen() uint64 { return c.gen.Load() }

// Get returns the value stored under key, if any.
func (c *Cache[V]) Get(key string) (V, bool) {
	return c.lookup(&c.shards[maphash.String(c.seed, key)&c.mask], key)
}

// GetBytes is Get for a key in bytes, looked up without copying it: the
// hot path builds keys in a stack buffer.
func (c *Cache[V]) GetBytes(key []byte) (V, bool) {
	// The string only lives for the map lookup; entries keep their own key.
	return c.lookup(&c.shards[maphash.Bytes(c.seed, key)&c.mask], unsafe.String(unsafe.SliceData(key), len(key)))
}

func (c *Cache[V]) lookup(s *shard[V], key string) (v V, ok bool) {
	var now int64
	if c.maxAge > 0 {
		now = c.now()
	}
	s.mu.Lock()
	if e := s.m[key]; e != nil {
		if c.maxAge > 0 && now-e.born > c.maxAge {
			s.remove(e)
		} else {
			if s.lru.next != e {
				s.unlink(e)
				s.pushFront(e)
			}
			v, ok = e.val, true
		}
	}
	s.mu.Unlock()
	return v, ok
}

func (c *Cache[V]) now() int64 { return int64(time.Since(c.start)) }

// Put stores v under key unless the cache was invalidated since gen, or v
// is larger than a shard's share of the budget. It reports whether v was
// stored.
func (c *Cache[V]) Put(key string, gen uint64, v V) bool {
	size := int64(c.cost(v)) + int64(len(key)) + EntryOverhead
	s := &c.shards[maphash.String(c.seed, key)&c.mask]
	born := c.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	// Invalidate bumps the generation before it clears the shards, so a
	// fill checked here either sees the new generation or is cleared.
	if gen != c.gen.Load() {
		return false
	}
	if old := s.m[key]; old != nil {
		s.remove(old)
	}
	if size > s.max {
		return false
	}
	for s.bytes+size > s.max || s.maxN > 0 && len(s.m) >= s.maxN {
		s.remove(s.lru.prev)
	}
	e := &entry[V]{key: key, val: v, size: size, born: born}
	s.m[key] = e
	s.pushFront(e)
	s.bytes += size
	return true
}

// Invalidate drops every entry, and stops fills under an older generation
// from storing. It implements guide.Invalidator.
func (c *Cache[V]) Invalidate() {
	c.gen.Add(1)
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.Lock()
		s.reset()
		s.mu.Unlock()
	}
}

// Delete drops the entry for key, if any.
func (c *Cache[V]) Delete(key string) {
	s := &c.shards[maphash.String(c.seed, key)&c.mask]
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.m[key]; e != nil {
		s.remove(e)
	}
}

// Len returns the number of entries.
func (c *Cache[V]) Len() int {
	n := 0
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.Lock()
		n += len(s.m)
		s.mu.Unlock()
	}
	return n
}

// Bytes returns the cost of every entry, as counted against MaxBytes.
func (c *Cache[V]) Bytes() int64 {
	var n int64
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.Lock()
		n += s.bytes
		s.mu.Unlock()
	}
	return n
}

func (s *shard[V]) remove(e *entry[V]) {
	s.unlink(e)
	delete(s.m, e.key)
	s.bytes -= e.size
}

func (s *shard[V]) unlink(e *entry[V]) {
	e.prev.next, e.next.prev = e.next, e.prev
	e.prev, e.next = nil, nil
}

func (s *shard[V]) pushFront(e *entry[V]) {
	e.prev, e.next = &s.lru, s.lru.next
	s.lru.next.prev = e
	s.lru.next = e
}
