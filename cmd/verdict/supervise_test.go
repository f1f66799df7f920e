package main

import (
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// TestServeStopsWhenBackgroundWorkFails: background work runs under one
// supervisor, so a worker that cannot run (here the metrics listener, its
// address taken) stops the server with its error instead of leaving it
// half up, and serve returns only once every worker is joined.
func TestServeStopsWhenBackgroundWorkFails(t *testing.T) {
	p := newProgram(t, "")
	p.mustRun("", "bootstrap")
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	p.env["VERDICT_ADDR"] = freeAddr(t)
	p.env["VERDICT_METRICS_ADDR"] = taken.Addr().String()
	done := make(chan error, 1)
	go func() {
		done <- run(t.Context(), []string{"serve"}, func(k string) string { return p.env[k] }, nil, io.Discard, io.Discard)
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "metrics listener") {
			t.Fatalf("serve returned %v, want the metrics listener's error", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve kept running without its metrics listener")
	}
	// The database was closed after the workers stopped: it opens again.
	p.mustRun("", "migrate", "status")
}
