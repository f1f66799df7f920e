package httpapi

import (
	"testing"
	"time"
)

// TestCacheMaxAge: an entry is never served once older than the maximum
// age, even if no invalidation ever arrives (a missed NOTIFY).
func TestCacheMaxAge(t *testing.T) {
	c := NewCache(10)
	c.SetMaxAge(50 * time.Millisecond)
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
