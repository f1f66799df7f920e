package main

import (
	"context"
	"time"

	"github.com/verdict-cms/verdict/internal/store"
)

// flushFunnel writes the counts still in memory at shutdown. It has its own
// deadline (VERDICT_SHUTDOWN_TIMEOUT again): the shutdown one may be spent
// by slow requests.
func flushFunnel(d *deps, shutdownCtx context.Context) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(shutdownCtx), d.Config.ShutdownTimeout)
	defer cancel()
	if err := d.Funnel.Flush(ctx); err != nil {
		d.Log.Error("funnel: final flush failed; these counts are lost", "err", err)
	}
}

// pruneFunnel deletes funnel counters past VERDICT_ANALYTICS_RETENTION, and
// visitor hashes and salts of days before yesterday: yesterday's stay a day
// more, for counts an instance flushes just after midnight.
func pruneFunnel(ctx context.Context, d *deps) {
	now := time.Now().UTC()
	n, err := store.FunnelStore{Store: d.Store}.PruneFunnel(ctx, now.Add(-d.Config.AnalyticsRetention).Format(time.DateOnly),
		now.AddDate(0, 0, -1).Format(time.DateOnly))
	if err != nil && ctx.Err() == nil {
		d.Log.Warn("janitor: prune funnel", "err", err)
	}
	if n > 0 {
		d.Log.Info("janitor: deleted funnel days past retention", "rows", n)
	}
}
