package requestid_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"

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
