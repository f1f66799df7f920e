package main

import (
	"context"
	"time"
)

// janitor deletes expired rows now and then: throttle counters whose window
// is long over, funnel rows past theirs, and closed or spam leads past the
// retention period. All are idempotent, so every instance may run it.
func janitor(ctx context.Context, d *deps, interval time.Duration) {
	every(ctx, interval, func() {
		ctx, cancel := context.WithTimeout(ctx, time.Minute) // a frozen database must not hang it
		defer cancel()
		if err := d.Throttle.Prune(ctx, 24*time.Hour); err != nil && ctx.Err() == nil {
			d.Log.Warn("janitor: prune throttles", "err", err)
		}
		pruneFunnel(ctx, d)
		if d.Config.LeadRetention <= 0 {
			return
		}
		n, err := d.Leads.EraseExpired(ctx, d.Config.LeadRetention)
		if err != nil && ctx.Err() == nil {
			d.Log.Error("janitor: erase expired leads", "err", err)
		}
		if n > 0 {
			d.Log.Info("janitor: erased leads past retention", "count", n)
		}
	})
}
