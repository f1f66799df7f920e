// Package pgnotify listens on a PostgreSQL NOTIFY channel on a dedicated
// connection, reconnecting when it drops.
package pgnotify

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
)

// Listen calls onEvent for every notification on channel until ctx ends.
// It also calls onEvent after every (re)connect, because notifications sent
// while it was disconnected are lost: a consumer that drops its cache on each
// call then never serves content older than the last reconnect. ready, if
// not nil, is closed once the first LISTEN is in place.
func Listen(ctx context.Context, connString, channel string, log *slog.Logger, onEvent func(), ready chan<- struct{}) {
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := listenOnce(ctx, connString, channel, onEvent, &ready)
		if ctx.Err() != nil {
			return
		}
		log.Warn("content listener disconnected; reconnecting", "channel", channel, "err", err, "in", backoff.String())
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 5*time.Second)
	}
}

func listenOnce(ctx context.Context, connString, channel string, onEvent func(), ready *chan<- struct{}) error {
	conn, err := pgx.Connect(ctx, connString)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{channel}.Sanitize()); err != nil {
		return err
	}
	onEvent()
	if *ready != nil {
		close(*ready)
		*ready = nil
	}
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return err
		}
		onEvent()
	}
}
