package main

import (
	"context"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/pgnotify"
)

// watchContent keeps this instance's public cache in step with the others:
// every published-content change on any instance arrives as a NOTIFY.
func watchContent(ctx context.Context, d *deps, bg *errgroup.Group) {
	if d.DB.Dialect != database.Postgres {
		return // one SQLite file serves one instance, which invalidates itself
	}
	ready := make(chan struct{})
	url := d.Config.DatabaseListenURL
	if url == "" {
		url = d.Config.DatabaseURL
	}
	bg.Go(func() error {
		pgnotify.Run(ctx, pgnotify.Options{ConnString: url, Channel: d.DB.ContentChannel(), Log: d.Log,
			OnEvent: d.Guides.ContentChanged, Keepalive: d.Config.ListenKeepalive, Ready: ready})
		return nil
	})
	select {
	case <-ready:
	case <-time.After(5 * time.Second):
		d.Log.Warn("content listener not ready after 5s; continuing")
	case <-ctx.Done():
	}
}

// schedule publishes scheduled guides when due. Every instance runs it; the
// store's row locks make each guide publish once.
func schedule(ctx context.Context, d *deps, interval time.Duration) {
	every(ctx, interval, func() {
		// A frozen database must not hang the scheduler (and hold a pool
		// connection) until TCP gives up: each run has a deadline.
		ctx, cancel := context.WithTimeout(ctx, max(interval, 30*time.Second))
		defer cancel()
		n, err := d.Guides.PublishDue(ctx)
		if err != nil && ctx.Err() == nil {
			d.Log.Error("scheduler: publish due guides", "err", err)
		}
		if n > 0 {
			d.Log.Info("scheduler: published due guides", "count", n)
		}
	})
}

// every runs fn each interval until ctx ends.
func every(ctx context.Context, interval time.Duration, fn func()) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			fn()
		}
	}
}
