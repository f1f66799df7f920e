package outbox

import (
	"testing"
	"time"
)

func TestBackoffGrowsWithJitterAndCap(t *testing.T) {
	d := &Dispatcher{cfg: Config{BackoffBase: time.Second, BackoffMax: time.Minute}}
	for attempt, want := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 4: 8 * time.Second, 7: time.Minute, 40: time.Minute} {
		for range 50 {
			got := d.backoff(attempt)
			if got < want/2 || got > want {
				t.Fatalf("attempt %d: %v, want within [%v, %v]", attempt, got, want/2, want)
			}
		}
	}
	seen := map[time.Duration]bool{}
	for range 20 {
		seen[d.backoff(5)] = true
	}
	if len(seen) < 2 {
		t.Fatal("no jitter: every retry waits the same")
	}
}
