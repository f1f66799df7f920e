package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"golang.org/x/sync/errgroup"

	adminui "github.com/verdict-cms/verdict/admin-ui"
	"github.com/verdict-cms/verdict/internal/httpapi"
	"github.com/verdict-cms/verdict/internal/logsink"
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
	defer limitMemory(e.getenv, d.Config.CacheBytes, d.Log)()
	if d.Config.MigrateOnStart {
		if err := migrateUp(ctx, d.DB, d.Log); err != nil {
			return err
		}
	}
	app := httpapi.New(d.HTTPDeps(accessWriter(d)), d.HTTPOptions(adminui.Handler()))
	// Background work runs under one supervisor. It is stopped and joined on
	// every way out of serve, before the deferred Close of the database; a
	// worker that fails stops the server.
	bgCtx, stopBackground := context.WithCancel(ctx)
	bg, bgCtx := errgroup.WithContext(bgCtx)
	joined := false
	join := func() error {
		stopBackground()
		if joined {
			return nil
		}
		joined = true
		return bg.Wait()
	}
	defer func() { _ = join() }()
	if d.Config.MetricsAddr != "" {
		bg.Go(func() error { return serveMetrics(bgCtx, d) })
	}
	watchContent(bgCtx, d, bg)
	bg.Go(func() error { schedule(bgCtx, d, d.Config.SchedulerInterval); return nil })
	if d.Config.OutboxEnabled {
		// Messages in progress finish and are recorded; unstarted ones are released.
		bg.Go(func() error { d.Outbox.Run(bgCtx); return nil })
	}
	bg.Go(func() error { janitor(bgCtx, d, 10*time.Minute); return nil })
	bg.Go(func() error { d.Funnel.Run(bgCtx, d.Config.AnalyticsFlush); return nil })
	bg.Go(func() error { d.Renderer.Run(bgCtx); return nil })

	ln, err := net.Listen("tcp", d.Config.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", d.Config.Addr, err)
	}
	d.Log.Info("verdict listening", "addr", ln.Addr().String(), "guides", d.Config.SiteURL+"/g/", "admin", d.Config.AdminURL+"/admin", "config", d.Config)
	served := make(chan error, 1)
	go func() { served <- app.Listener(ln) }()
	var failed error
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	case <-bgCtx.Done(): // a background worker failed
		failed = join()
		d.Log.Error("background work failed; shutting down", "err", failed)
	}
	// Stop accepting, let in-flight requests finish, then stop and join the
	// background work, then close the database.
	d.Log.Info("shutting down", "timeout", d.Config.ShutdownTimeout.String())
	shutdownCtx, cancel := context.WithTimeout(context.Background(), d.Config.ShutdownTimeout)
	defer cancel()
	if err := app.ShutdownWithContext(shutdownCtx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("shutdown: %w", err)
	}
	select {
	case <-served:
	case <-time.After(time.Second):
	}
	if err := join(); err != nil && failed == nil {
		failed = err
	}
	flushFunnel(d, shutdownCtx) // after the last request: every accepted event is counted
	if failed != nil {
		return fmt.Errorf("background work: %w", failed)
	}
	d.Log.Info("stopped")
	return nil
}

// accessWriter is where access-log lines go: the log output, unless the log
// level is above info.
func accessWriter(d *deps) io.Writer {
	if !d.Log.Enabled(context.Background(), slog.LevelInfo) {
		return nil
	}
	return d.LogOut
}

// serveMetrics serves /metrics on its own address, for operators who keep
// it off the public listener.
func serveMetrics(ctx context.Context, d *deps) error {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", d.Metrics.Handler())
	srv := &http.Server{Addr: d.Config.MetricsAddr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	d.Log.Info("metrics listening", "addr", d.Config.MetricsAddr)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("metrics listener: %w", err)
	}
	return nil
}
