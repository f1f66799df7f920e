package httpapi

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"time"

	"github.com/verdict-cms/verdict/internal/cache"
	"github.com/verdict-cms/verdict/internal/guide"
)

// Cache is the process's one cache of published content (encoded public
// responses, compiled models, recommendations, and the intake catalog's
// answers), bounded in bytes and dropped whole on any content change:
// publishes are rare, and a related guide, a category or a technology can
// change how many guides render.
type Cache = cache.Cache[cache.Sized]

// NewCache returns a cache of at most maxBytes (and maxEntries, if above
// 0) whose entries are served for at most maxAge (0: until invalidated).
func NewCache(maxBytes int64, maxEntries int, maxAge time.Duration) *Cache {
	return cache.New(cache.Options[cache.Sized]{MaxBytes: maxBytes, MaxEntries: maxEntries, MaxAge: maxAge, Cost: cache.SizeOf})
}

// publicCache is the HTTP layer's typed view of the cache. Its keys start
// with a letter and a colon naming the kind ("g:" guide, "h:" page, "m:"
// model, "r:" recommendation, "b:" recommendation by request body), which
// keeps them apart from the catalog's.
type publicCache struct{ c *Cache }

// cachedResponse is one encoded body with its validators.
type cachedResponse struct {
	body         []byte
	etag         []byte
	lastModified []byte // nil when unknown
	contentType  []byte // nil for JSON
	language     []byte // Content-Language; nil when the body has none
}

// CacheSize implements cache.Sized: the shared header values are counted
// too, which overestimates by a few bytes.
func (r *cachedResponse) CacheSize() int {
	return 5*24 + len(r.body) + len(r.etag) + len(r.lastModified) + len(r.contentType) + len(r.language)
}

// encodedBody is a memoized recommendation.
type encodedBody []byte

// CacheSize implements cache.Sized.
func (b encodedBody) CacheSize() int { return 24 + len(b) }

// cachedModel is a compiled decision checklist with its estimated size.
type cachedModel struct {
	m    *guide.Model
	size int
}

// CacheSize implements cache.Sized.
func (m *cachedModel) CacheSize() int { return m.size }

// modelSize estimates what a compiled model keeps alive: its texts, and
// per choice a weight for each option, an index slot and a reason.
func modelSize(m *guide.Model) int {
	n := 512 + 96*len(m.Options)
	for _, q := range m.Questions {
		n += 256 + len(q.Text)
		for _, c := range q.Choices {
			n += 160 + len(c.ID) + 2*len(c.Label) + 8*len(m.Options)
		}
	}
	return n
}

// get returns the response stored under key, if any, and the generation to
// fill under.
func (c publicCache) get(key string) (*cachedResponse, uint64) {
	gen := c.c.Gen()
	v, _ := c.c.Get(key)
	r, _ := v.(*cachedResponse)
	return r, gen
}

// gen is the generation to fill under, for a caller that already missed.
func (c publicCache) gen() uint64 { return c.c.Gen() }

// getBytes is get for the hot path: a key in bytes, looked up without
// allocating.
func (c publicCache) getBytes(key []byte) *cachedResponse {
	v, _ := c.c.GetBytes(key)
	r, _ := v.(*cachedResponse)
	return r
}

// put stores r unless the cache was invalidated since gen.
func (c publicCache) put(key string, gen uint64, r *cachedResponse) { c.c.Put(key, gen, r) }

// recommendation returns a memoized encoded recommendation, and the
// generation to store under; key starts with "r:" or "b:".
func (c publicCache) recommendation(key []byte) ([]byte, uint64) {
	gen := c.c.Gen()
	v, _ := c.c.GetBytes(key)
	b, _ := v.(encodedBody)
	return b, gen
}

func (c publicCache) putRecommendation(key string, gen uint64, body []byte) {
	c.c.Put(key, gen, encodedBody(body))
}

// model returns the compiled model cached under "m:"+key, if any, and the
// generation to store under.
func (c publicCache) model(key string) (*guide.Model, uint64) {
	gen := c.c.Gen()
	v, _ := c.c.Get("m:" + key)
	if m, ok := v.(*cachedModel); ok {
		return m.m, gen
	}
	return nil, gen
}

func (c publicCache) putModel(key string, gen uint64, m *guide.Model) {
	c.c.Put("m:"+key, gen, &cachedModel{m: m, size: modelSize(m)})
}

// Invalidate drops every entry.
func (c publicCache) Invalidate() { c.c.Invalidate() }

func newCachedResponse(body []byte, modified time.Time) *cachedResponse {
	sum := sha256.Sum256(body)
	r := &cachedResponse{body: body, etag: []byte(`"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`)}
	if !modified.IsZero() {
		r.lastModified = []byte(modified.UTC().Format(http.TimeFormat))
	}
	return r
}
