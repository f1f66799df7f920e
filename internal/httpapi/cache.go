package httpapi

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/verdict-cms/verdict/internal/guide"
)

// Cache holds encoded public responses. It is dropped whole on any
// content change: publishes are rare, and a related guide, a category or a
// technology can change how many guides render. A generation number stops a
// fill that began before an invalidation from storing what it read.
type Cache struct {
	mu      sync.RWMutex
	gen     uint64
	entries map[string]*cachedResponse
	models  map[string]*guide.Model // compiled decision checklists by slug
	scored  map[string][]byte       // encoded recommendations by guide and answer set
	max     int
	// maxAge bounds how old a served entry may be, in case an invalidation
	// was missed; born is when the entries were last dropped (unix ns).
	maxAge time.Duration
	born   atomic.Int64
}

// cachedResponse is one encoded body with its validators.
type cachedResponse struct {
	body         []byte
	etag         []byte
	lastModified []byte // nil when unknown
	contentType  []byte // nil for JSON
}

// NewCache returns a cache of at most max responses.
func NewCache(max int) *Cache {
	return &Cache{entries: make(map[string]*cachedResponse), models: make(map[string]*guide.Model), scored: make(map[string][]byte), max: max}
}

// SetMaxAge makes every entry expire d after it was stored, at the latest;
// 0 keeps entries until the next invalidation. Call it before serving.
func (c *Cache) SetMaxAge(d time.Duration) {
	c.maxAge = d
	c.born.Store(time.Now().UnixNano())
}

// expire drops everything once the oldest entry may be older than maxAge:
// one clock read per lookup instead of a timestamp per entry.
func (c *Cache) expire() {
	if c.maxAge > 0 && time.Now().UnixNano()-c.born.Load() > int64(c.maxAge) {
		c.Invalidate()
	}
}

// get returns the entry for key, if any, and the generation to fill under.
func (c *Cache) get(key string) (*cachedResponse, uint64) {
	c.expire()
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.entries[key], c.gen
}

// getBytes is get for the hot path: a key in bytes, looked up without
// allocating a string.
func (c *Cache) getBytes(key []byte) *cachedResponse {
	c.expire()
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.entries[string(key)]
}

// put stores r unless the cache was invalidated since gen. At capacity an
// arbitrary entry makes room, which keeps memory bounded however many
// guides exist.
func (c *Cache) put(key string, gen uint64, r *cachedResponse) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if _, ok := c.entries[key]; !ok && len(c.entries) >= c.max {
		for k := range c.entries {
			delete(c.entries, k)
			break
		}
	}
	c.entries[key] = r
}

// Invalidate drops every entry.
func (c *Cache) Invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.born.Store(time.Now().UnixNano())
	c.gen++
	clear(c.entries)
	clear(c.models)
	clear(c.scored)
}

// recommendation returns a memoized encoded recommendation, and the
// generation to store under.
func (c *Cache) recommendation(key []byte) ([]byte, uint64) {
	c.expire()
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.scored[string(key)], c.gen
}

func (c *Cache) putRecommendation(key string, gen uint64, body []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if len(c.scored) >= c.max {
		for k := range c.scored {
			delete(c.scored, k) // an arbitrary entry makes room
			break
		}
	}
	c.scored[key] = body
}

// model returns the compiled model of a guide, if cached, and the
// generation to store under.
func (c *Cache) model(slug string) (*guide.Model, uint64) {
	c.expire()
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.models[slug], c.gen
}

func (c *Cache) putModel(slug string, gen uint64, m *guide.Model) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if len(c.models) >= c.max {
		clear(c.models)
	}
	c.models[slug] = m
}

func (c *Cache) len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.entries)
}

func newCachedResponse(body []byte, modified time.Time) *cachedResponse {
	sum := sha256.Sum256(body)
	r := &cachedResponse{body: body, etag: []byte(`"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`)}
	if !modified.IsZero() {
		r.lastModified = []byte(modified.UTC().Format(http.TimeFormat))
	}
	return r
}
