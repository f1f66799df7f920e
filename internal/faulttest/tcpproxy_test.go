package faulttest_test

import (
	"io"
	"net"
	"testing"
	"time"

	"github.com/verdict-cms/verdict/internal/faulttest"
)

// echoServer answers every byte with itself.
func echoServer(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { defer c.Close(); _, _ = io.Copy(c, c) }()
		}
	}()
	return ln.Addr().String()
}

func TestProxyStallResumeCut(t *testing.T) {
	p := faulttest.StartProxy(t, echoServer(t))
	c, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	echo := func(msg string, within time.Duration) (string, error) {
		_ = c.SetReadDeadline(time.Now().Add(within))
		buf := make([]byte, len(msg))
		_, err := io.ReadFull(c, buf)
		return string(buf), err
	}
	if _, err := c.Write([]byte("ping")); err != nil {
		t.Fatal(err)
	}
	if got, err := echo("ping", time.Second); err != nil || got != "ping" {
		t.Fatalf("forwarding: %q %v", got, err)
	}

	p.Stall()
	if _, err := c.Write([]byte("held")); err != nil {
		t.Fatal(err)
	}
	if _, err := echo("held", 200*time.Millisecond); err == nil {
		t.Fatal("a stalled proxy forwarded bytes")
	} else if ne, ok := err.(net.Error); !ok || !ne.Timeout() {
		t.Fatalf("a stalled proxy closed the connection: %v", err)
	}
	p.Resume()
	if got, err := echo("held", time.Second); err != nil || got != "held" {
		t.Fatalf("after resume: %q %v (held bytes must be delivered, not dropped)", got, err)
	}

	p.Cut()
	if _, err := echo("x", time.Second); err == nil || isTimeout(err) {
		t.Fatalf("after cut the connection is still open: %v", err)
	}
	if n := p.Connections(); n != 1 {
		t.Fatalf("connections = %d, want 1", n)
	}
}

func isTimeout(err error) bool {
	ne, ok := err.(net.Error)
	return ok && ne.Timeout()
}
