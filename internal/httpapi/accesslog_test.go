package httpapi

import (
	"testing"
	"time"
)

// TestAccessLogTime: the access log's timestamps read exactly as slog's
// (RFC 3339 with trailing zeros of the fraction dropped, in UTC), also
// when lines of one second reuse its formatted date and when the second
// changes.
func TestAccessLogTime(t *testing.T) {
	l := newAccessLog(nil, "json")
	berlin := time.FixedZone("CET", 3600)
	base := time.Date(2026, 11, 25, 23, 59, 59, 0, berlin)
	for _, tm := range []time.Time{
		base, base.Add(100), base.Add(123456789), base.Add(999999999), base.Add(time.Second),
		base.Add(time.Second + 1), base.Add(time.Second + 120*time.Millisecond), base.Add(-time.Hour),
	} {
		want := tm.UTC().Format(time.RFC3339Nano)
		if got := string(l.appendTime(nil, tm)); got != want {
			t.Errorf("%v: got %s, want %s", tm, got, want)
		}
	}
}
