package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"time"

	adminui "github.com/verdict-cms/verdict/admin-ui"
	"github.com/verdict-cms/verdict/internal/audit"
	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/httpapi"
	"github.com/verdict-cms/verdict/internal/logsink"
	"github.com/verdict-cms/verdict/internal/media"
	"github.com/verdict-cms/verdict/internal/store"
)

func cmdServe(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "serve", "serve [--addr HOST:PORT] [--no-migrate]")
	addr := fs.String("addr", "", "listen address (default $VERDICT_ADDR or :8080)")
	noMigrate := fs.Bool("no-migrate", false, "do not apply pending migrations at start")
	if err := fs.Parse(args); err != nil {
		return err
	}
	overrides := map[string]string{"VERDICT_ADDR": *addr}
	if *noMigrate {
		overrides["VERDICT_MIGRATE_ON_START"] = "false"
	}
	// Buffer logs while serving: one write system call per access-log line
	// costs a busy server a tenth of its throughput.
	sink := logsink.New(e.stderr, 200*time.Millisecond)
	defer sink.Close()
	e.stderr = sink
	d, err := load(ctx, e, false, overrides)
	if err != nil {
		return err
	}
	defer d.Close()
	if d.cfg.MigrateOnStart {
		if err := migrateUp(ctx, d); err != nil {
			return err
		}
	}
	app := httpapi.New(httpapi.Deps{Auth: d.auth, Guides: d.guides, DB: d.db, Log: d.log, Cache: d.cache, AccessLog: accessWriter(d),
		Leads: d.leads, Outbox: d.outbox, Throttle: d.throttle, Metrics: d.metrics,
		Audit: audit.New(store.AuditStore{Store: d.store}, d.log, func() time.Time { return time.Now().UTC() }), Webhooks: d.webhooks, Media: newMedia(d),
		MediaLibrary: media.NewLibrary(store.MediaStore{Store: d.store}),
		Funnel:       d.funnel, FunnelGuides: d.catalog.GuideID, FunnelReport: store.FunnelStore{Store: d.store}}, httpapi.Options{
		BodyLimit: d.cfg.BodyLimit, CORSOrigins: d.cfg.CORSOrigins, TrustedProxies: d.cfg.TrustedProxies,
		PublicMaxAge: d.cfg.PublicMaxAge, IntakeLimit: d.cfg.IntakeLimit, IntakeWindow: d.cfg.IntakeWindow,
		AdminUI: adminui.Handler(), MetricsToken: d.cfg.MetricsToken, MediaMaxBytes: int64(d.cfg.MediaMaxBytes),
		SiteURL: d.cfg.SiteURL, SiteName: d.cfg.SiteName, EventsRateLimit: d.cfg.AnalyticsRateLimit,
		RequestTimeout: d.cfg.RequestTimeout, WriteTimeout: d.cfg.WriteTimeout, IdleTimeout: d.cfg.IdleTimeout,
		LogFormat: d.cfg.LogFormat,
	})
	if d.cfg.MetricsAddr != "" {
		go serveMetrics(ctx, d)
	}
	watchContent(ctx, d)
	go schedule(ctx, d, d.cfg.SchedulerInterval)
	workers := make(chan struct{})
	go func() {
		defer close(workers)
		if d.cfg.OutboxEnabled {
			d.outbox.Run(ctx)
		}
	}()
	ln, err := net.Listen("tcp", d.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", d.cfg.Addr, err)
	}
	d.log.Info("verdict listening", "addr", ln.Addr().String(), "guides", d.cfg.SiteURL+"/g/", "admin", d.cfg.AdminURL+"/admin", "config", d.cfg)

	go janitor(ctx, d, 10*time.Minute)
	counting := make(chan struct{})
	go func() { defer close(counting); d.funnel.Run(ctx, d.cfg.AnalyticsFlush) }()
	served := make(chan error, 1)
	go func() { served <- app.Listener(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	// Stop accepting, let in-flight requests finish, then close the database.
	d.log.Info("shutting down", "timeout", d.cfg.ShutdownTimeout.String())
	shutdownCtx, cancel := context.WithTimeout(context.Background(), d.cfg.ShutdownTimeout)
	defer cancel()
	if err := app.ShutdownWithContext(shutdownCtx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("shutdown: %w", err)
	}
	select {
	case <-served:
	case <-time.After(time.Second):
	}
	<-workers // messages in progress finish and are recorded; unstarted ones are released
	<-counting
	flushFunnel(d, shutdownCtx) // after the last request: every accepted event is counted
	d.log.Info("stopped")
	return nil
}

// accessWriter is where access-log lines go: the log output, unless the log
// level is above info.
func accessWriter(d *deps) io.Writer {
	if !d.log.Enabled(context.Background(), slog.LevelInfo) {
		return nil
	}
	return d.logOut
}

// serveMetrics serves /metrics on its own address, for operators who keep
// it off the public listener.
func serveMetrics(ctx context.Context, d *deps) {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", d.metrics.Handler())
	srv := &http.Server{Addr: d.cfg.MetricsAddr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	d.log.Info("metrics listening", "addr", d.cfg.MetricsAddr)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		d.log.Error("metrics listener", "err", err)
	}
}

// newMedia stores uploads in PostgreSQL, which every instance shares (files
// uploaded to disk before stay readable), or with SQLite on local disk,
// under the data dir by default.
func newMedia(d *deps) *media.Service {
	dir := d.cfg.MediaDir
	if dir == "" {
		dir = filepath.Join(d.cfg.DataDir, "media")
	}
	var storage media.Storage = media.Disk{Dir: dir}
	if d.db.Dialect == database.Postgres {
		storage = media.Fallback{Primary: store.MediaBlobs{Store: d.store}, Legacy: storage}
	}
	return media.NewService(store.MediaStore{Store: d.store}, storage, int64(d.cfg.MediaMaxBytes),
		func() time.Time { return time.Now().UTC() })
}
