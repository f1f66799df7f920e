package logsink_test

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/verdict-cms/verdict/internal/logsink"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestFlushesPeriodicallyAndOnClose(t *testing.T) {
	var out lockedBuffer
	w := logsink.New(&out, 20*time.Millisecond)
	_, _ = w.Write([]byte("one\n"))
	if out.String() != "" {
		t.Fatal("wrote through without buffering")
	}
	deadline := time.Now().Add(2 * time.Second)
	for out.String() != "one\n" {
		if time.Now().After(deadline) {
			t.Fatal("never flushed")
		}
		time.Sleep(5 * time.Millisecond)
	}
	_, _ = w.Write([]byte("two\n"))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != "one\ntwo\n" {
		t.Fatalf("after close: %q", got)
	}
}

func TestConcurrentLinesStayWhole(t *testing.T) {
	var out lockedBuffer
	w := logsink.New(&out, time.Hour)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for range 500 {
				_, _ = w.Write([]byte(strings.Repeat(string(rune('a'+i)), 50) + "\n"))
			}
		})
	}
	wg.Wait()
	_ = w.Close()
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 4000 {
		t.Fatalf("%d lines, want 4000", len(lines))
	}
	for _, l := range lines {
		if len(l) != 50 || strings.Count(l, l[:1]) != 50 {
			t.Fatalf("interleaved line %q", l)
		}
	}
}
