package httpapi

import (
	"testing"
	"time"

	"github.com/verdict-cms/verdict/internal/guide"
)

// TestCacheMaxAge: an entry is never served once older than the maximum
// age, even if no invalidation ever arrives (a missed NOTIFY).
func TestCacheMaxAge(t *testing.T) {
	c := publicCache{NewCache(1<<20, 0, 50*time.Millisecond)}
	_, gen := c.get("k")
	c.put("k", gen, newCachedResponse([]byte("old"), time.Time{}))
	if r, _ := c.get("k"); r == nil {
		t.Fatal("a fresh entry was not served")
	}
	time.Sleep(60 * time.Millisecond)
	if r, _ := c.get("k"); r != nil {
		t.Fatal("an entry older than the maximum age was served")
	}
	if r := c.getBytes([]byte("k")); r != nil {
		t.Fatal("an expired entry came back")
	}
}

// TestCacheKinds: responses, models and recommendations share one cache
// and one budget without reading each other's entries, and one
// invalidation drops them all.
func TestCacheKinds(t *testing.T) {
	c := publicCache{NewCache(1<<20, 0, 0)}
	gen := c.c.Gen()
	c.put("g:x", gen, newCachedResponse([]byte("{}"), time.Time{}))
	c.putModel("g:x", gen, &guide.Model{})
	c.putRecommendation("r:x", gen, []byte("rec"))
	if r := c.getBytes([]byte("g:x")); r == nil || string(r.body) != "{}" {
		t.Fatalf("response %v", r)
	}
	if m, _ := c.model("g:x"); m == nil {
		t.Fatal("the model was not kept beside the response of the same name")
	}
	if b, _ := c.recommendation([]byte("g:x")); b != nil {
		t.Fatal("a response was read as a recommendation")
	}
	if b, _ := c.recommendation([]byte("r:x")); string(b) != "rec" {
		t.Fatalf("recommendation %q", b)
	}
	c.Invalidate()
	if r, _ := c.get("g:x"); r != nil || c.c.Len() != 0 {
		t.Fatal("Invalidate left entries")
	}
}

// TestCachedReadAllocatesNothing: the hot path's lookup, key built in a
// stack buffer as handlePublicGuideGet does.
func TestCachedReadAllocatesNothing(t *testing.T) {
	c := publicCache{NewCache(64<<20, 0, 5*time.Minute)}
	c.put("g:node-vs-django", c.c.Gen(), newCachedResponse([]byte("{}"), time.Now()))
	slug := "node-vs-django"
	if n := testing.AllocsPerRun(100, func() {
		var buf [128]byte
		if c.getBytes(append(append(buf[:0], "g:"...), slug...)) == nil {
			t.Fatal("miss")
		}
	}); n != 0 {
		t.Fatalf("%v allocations per cached read", n)
	}
}
