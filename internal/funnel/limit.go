package funnel

import (
	"sync"
	"time"
)

// Limiter counts requests per address in fixed windows, in this instance's
// memory: events arrive by the thousand per second, too often to count in
// the database, so with N instances an address may send N times the limit.
type Limiter struct {
	limit  int
	window time.Duration
	now    func() time.Time

	mu    sync.Mutex
	start time.Time
	hits  map[string]int
}

// NewLimiter allows limit requests per address per window; limit 0 allows all.
func NewLimiter(limit int, window time.Duration, now func() time.Time) *Limiter {
	return &Limiter{limit: limit, window: window, now: now, hits: map[string]int{}}
}

// Allow counts a request from addr and reports whether it is within the
// limit, the requests left and when the window resets.
func (l *Limiter) Allow(addr string) (ok bool, remaining int, reset time.Time) {
	if l == nil || l.limit <= 0 {
		return true, 0, time.Time{}
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.start) >= l.window {
		l.start = now.Truncate(l.window)
		clear(l.hits) // one map per window: memory stays bounded by the window's addresses
	}
	n := l.hits[addr] + 1
	l.hits[addr] = n
	return n <= l.limit, max(l.limit-n, 0), l.start.Add(l.window)
}

// Limit is the configured requests per window.
func (l *Limiter) Limit() int { return l.limit }
