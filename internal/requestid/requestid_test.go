package requestid_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"runtime"
	"testing"
	"time"

	"github.com/verdict-cms/verdict/internal/requestid"
)

func TestHandlerAddsTheRequestID(t *testing.T) {
	for _, c := range []struct {
		name string
		ctx  context.Context
		args []any
		want string
	}{
		{"a request's context", requestid.With(context.Background(), "rid-1"), nil, "rid-1"},
		{"no request", context.Background(), nil, ""},
		{"named by the caller", requestid.With(context.Background(), "rid-1"), []any{"request_id", "own"}, "own"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			log := slog.New(requestid.Handler{Handler: slog.NewJSONHandler(&b, nil)}).With("component", "x")
			log.InfoContext(c.ctx, "hello", c.args...)
			var line map[string]any
			if err := json.Unmarshal(b.Bytes(), &line); err != nil {
				t.Fatal(err)
			}
			if got, _ := line["request_id"].(string); got != c.want || line["component"] != "x" {
				t.Fatalf("line %v, want request_id %q", line, c.want)
			}
		})
	}
}

func TestContext(t *testing.T) {
	closed := func(ctx context.Context) bool {
		select {
		case <-ctx.Done():
			return true
		case <-time.After(2 * time.Second):
			return false
		}
	}
	for _, c := range []struct {
		name    string
		timeout time.Duration
		use     func(r *requestid.Context) context.Context // what a handler does with it
		end     bool                                       // the request ends before the check
		wantErr error
	}{
		{"deadline passes while a query waits", 20 * time.Millisecond, func(r *requestid.Context) context.Context { return r }, false, context.DeadlineExceeded},
		{"deadline passed before the first wait", -time.Second, func(r *requestid.Context) context.Context { return r }, false, context.DeadlineExceeded},
		{"request ends before anything waited", time.Hour, func(r *requestid.Context) context.Context { return r }, true, context.Canceled},
		{"request ends while a query waits", time.Hour, func(r *requestid.Context) context.Context { r.Done(); return r }, true, context.Canceled},
		{"derived context, parent's deadline", 20 * time.Millisecond, func(r *requestid.Context) context.Context {
			ctx, cancel := context.WithTimeout(r, time.Hour)
			t.Cleanup(cancel)
			return ctx
		}, false, context.DeadlineExceeded},
		{"derived context, request ends", time.Hour, func(r *requestid.Context) context.Context {
			ctx, cancel := context.WithCancel(context.WithValue(r, struct{}{}, 1))
			t.Cleanup(cancel)
			return ctx
		}, true, context.Canceled},
		{"without cancel keeps the ID only", 20 * time.Millisecond, func(r *requestid.Context) context.Context {
			return context.WithoutCancel(r)
		}, true, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			deadline := time.Now().Add(c.timeout)
			r := requestid.NewContext("rid-7", deadline)
			ctx := c.use(r)
			if got := requestid.From(ctx); got != "rid-7" {
				t.Fatalf("request ID %q", got)
			}
			if d, ok := ctx.Deadline(); c.wantErr != nil && (!ok || !d.Equal(deadline)) {
				t.Fatalf("deadline %v %v, want %v", d, ok, deadline)
			}
			if c.end {
				r.End()
			}
			if c.wantErr == nil {
				if ctx.Done() != nil || ctx.Err() != nil {
					t.Fatalf("a context without cancel was cancelled: %v", ctx.Err())
				}
				return
			}
			if !closed(ctx) {
				t.Fatal("Done never closed")
			}
			if !errors.Is(ctx.Err(), c.wantErr) {
				t.Fatalf("err %v, want %v", ctx.Err(), c.wantErr)
			}
			if requestid.From(ctx) != "rid-7" {
				t.Fatal("the request ID is gone once done")
			}
		})
	}
}

// TestContextDerivesWithoutGoroutines: a context derived from a request's
// hangs off its cancellation directly, as it would off context.WithTimeout,
// rather than through a goroutine watching Done.
func TestContextDerivesWithoutGoroutines(t *testing.T) {
	r := requestid.NewContext("rid-8", time.Now().Add(time.Hour))
	defer r.End()
	before := runtime.NumGoroutine()
	var cancels []context.CancelFunc
	for range 50 {
		_, cancel := context.WithCancel(r)
		cancels = append(cancels, cancel)
	}
	if after := runtime.NumGoroutine(); after > before+5 {
		t.Fatalf("%d goroutines after deriving 50 contexts, %d before", after, before)
	}
	for _, cancel := range cancels {
		cancel()
	}
}
