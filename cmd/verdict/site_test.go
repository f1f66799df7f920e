package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestFirstRunPointsAtTheHostedPages: what `make run` runs (bootstrap, then
// serve) names the hosted guide pages first, and they are there.
func TestFirstRunPointsAtTheHostedPages(t *testing.T) {
	p := newProgram(t, "")
	addr := freeAddr(t)
	p.env["VERDICT_ADDR"] = addr
	p.env["VERDICT_SITE_URL"] = "http://" + addr
	p.env["VERDICT_LOG_LEVEL"] = "info"
	if out := p.mustRun("", "bootstrap"); !strings.Contains(out, "Guides: http://"+addr+"/g/") {
		t.Fatalf("bootstrap does not point at the guides: %q", out)
	}
	ctx, stop := context.WithCancel(t.Context())
	done := make(chan error, 1)
	var logs syncBuffer
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return p.env[k] }, nil, &logs, &logs)
	}()
	defer func() { stop(); <-done }()
	waitReady(t, "http://"+addr+"/readyz")
	want := `"guides":"http://` + addr + `/g/"`
	for i := 0; i < 40 && !strings.Contains(logs.String(), want); i++ {
		time.Sleep(50 * time.Millisecond) // the log sink flushes every 200ms
	}
	if !strings.Contains(logs.String(), want) {
		t.Fatalf("the serve log line does not name the guides: %s", logs.String())
	}
	res, err := http.Get("http://" + addr + "/g/node-vs-django")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !bytes.Contains(body, []byte("<h1>Node.js vs Django</h1>")) {
		t.Fatalf("GET /g/node-vs-django: %d %.200s", res.StatusCode, body)
	}
}

// syncBuffer is a bytes.Buffer the server's logger may write to while the
// test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
