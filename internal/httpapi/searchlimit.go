package httpapi

import (
	"net/netip"
	"sync"
	"time"
)

// searchLimiter bounds the uncached searches each client address may run
// per second, so that a stream of new ?q= values costs the database a
// bounded share of its time. Cached results are not counted. The counts
// live one second and are then dropped together, which bounds memory.
type searchLimiter struct {
	perSecond int // 0: no limit
	now       func() time.Time
	mu        sync.Mutex
	window    time.Time
	counts    map[netip.Addr]int
}

func newSearchLimiter(perSecond int, now func() time.Time) *searchLimiter {
	return &searchLimiter{perSecond: perSecond, now: now, counts: map[netip.Addr]int{}}
}

// allow counts one uncached search from addr and reports whether it may run.
func (l *searchLimiter) allow(addr netip.Addr) bool {
	if l == nil || l.perSecond <= 0 {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if now := l.now(); now.Sub(l.window) >= time.Second {
		l.window = now
		clear(l.counts)
	}
	l.counts[addr]++
	return l.counts[addr] <= l.perSecond
}
