package main

import (
	"context"
	"time"
)

// janitor deletes expired rows now and then: throttle counters whose window
// is long over. Deletes are idempotent, so every instance may run it.
func janitor(ctx context.Context, d *deps, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := d.throttle.Prune(ctx, 24*time.Hour); err != nil && ctx.Err() == nil {
				d.log.Warn("janitor: prune throttles", "err", err)
			}
		}
	}
}
