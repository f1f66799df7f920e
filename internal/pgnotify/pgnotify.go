// Package pgnotify listens on a PostgreSQL NOTIFY channel on a dedicated
// connection, proves that connection alive with a keepalive ping, and
// reconnects when it drops or goes half-open.
package pgnotify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Options configures Run.
type Options struct {
	ConnString string
	Channel    string
	Log        *slog.Logger
	// OnEvent is called for every notification, and whenever notifications
	// may have been missed: after every (re)connect, when the connection is
	// found dead, and after each failed reconnect. A consumer that drops its
	// cache on each call never serves content older than Keepalive plus its
	// ping while the listener is down.
	OnEvent func()
	// Keepalive is how long the connection may stay silent before it is
	// pinged, and how long the ping may take before the connection counts
	// as dead (default 5s). A half-open connection is found within twice it.
	Keepalive time.Duration
	// Ready, if not nil, is closed once the first LISTEN is in place.
	Ready chan<- struct{}
}

// Listen is Run with the default keepalive.
func Listen(ctx context.Context, connString, channel string, log *slog.Logger, onEvent func(), ready chan<- struct{}) {
	Run(ctx, Options{ConnString: connString, Channel: channel, Log: log, OnEvent: onEvent, Ready: ready})
}

// Run calls o.OnEvent for every notification on o.Channel until ctx ends.
func Run(ctx context.Context, o Options) {
	if o.Keepalive <= 0 {
		o.Keepalive = 5 * time.Second
	}
	backoff := min(100*time.Millisecond, o.Keepalive)
	for ctx.Err() == nil {
		connected, err := listenOnce(ctx, &o)
		if ctx.Err() != nil {
			return
		}
		// Whatever was notified since the connection died is lost.
		o.OnEvent()
		if connected {
			backoff = min(100*time.Millisecond, o.Keepalive)
		}
		o.Log.Warn("content listener disconnected; reconnecting", "channel", o.Channel, "err", err, "in", backoff.String())
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		// Retry no slower than the keepalive, so caches keep being flushed
		// at that pace while the listener is down.
		backoff = min(backoff*2, o.Keepalive)
	}
}

// listenOnce connects, listens and waits for notifications until the
// connection fails; connected reports whether it got as far as LISTEN.
func listenOnce(ctx context.Context, o *Options) (connected bool, err error) {
	connectCtx, cancel := context.WithTimeout(ctx, max(2*o.Keepalive, time.Second))
	conn, err := pgx.Connect(connectCtx, o.ConnString)
	cancel()
	if err != nil {
		return false, fmt.Errorf("connect: %w", err)
	}
	defer func() {
		closeCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
		defer cancel()
		_ = conn.Close(closeCtx)
	}()
	listenCtx, cancel := context.WithTimeout(ctx, o.Keepalive)
	_, err = conn.Exec(listenCtx, "LISTEN "+pgx.Identifier{o.Channel}.Sanitize())
	cancel()
	if err != nil {
		return false, fmt.Errorf("listen: %w", err)
	}
	o.OnEvent()
	if o.Ready != nil {
		close(o.Ready)
		o.Ready = nil
	}
	for {
		waitCtx, cancel := context.WithTimeout(ctx, o.Keepalive)
		_, err := conn.WaitForNotification(waitCtx)
		cancel()
		switch {
		case err == nil:
			o.OnEvent()
			continue
		case ctx.Err() != nil:
			return true, ctx.Err()
		case !errors.Is(err, context.DeadlineExceeded) && !pgconn.Timeout(err):
			return true, fmt.Errorf("wait: %w", err)
		}
		// Silent for a keepalive: a half-open connection would stay silent
		// forever, so make the server answer.
		pingCtx, cancel := context.WithTimeout(ctx, o.Keepalive)
		err = conn.Ping(pingCtx)
		cancel()
		if err != nil {
			return true, fmt.Errorf("keepalive ping: %w", err)
		}
	}
}
