// Package logsink buffers log output so that a busy server does not make one
// write system call per log line. Lines reach the underlying writer at least
// every flush interval, when the buffer fills, and on Close.
package logsink

import (
	"bufio"
	"io"
	"sync"
	"time"
)

// Writer is a buffered, periodically flushed, concurrency-safe writer.
type Writer struct {
	mu   sync.Mutex
	buf  *bufio.Writer
	stop chan struct{}
	done chan struct{}
}

// New buffers w and flushes it every interval.
func New(w io.Writer, interval time.Duration) *Writer {
	s := &Writer{buf: bufio.NewWriterSize(w, 64<<10), stop: make(chan struct{}), done: make(chan struct{})}
	go s.loop(interval)
	return s
}

func (s *Writer) loop(interval time.Duration) {
	defer close(s.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			_ = s.Flush()
		}
	}
}

// Write implements io.Writer. slog writes one whole line per call, so lines
// never interleave.
func (s *Writer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

// Flush writes out what is buffered.
func (s *Writer) Flush() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Flush()
}

// Close stops the flusher and writes out the rest.
func (s *Writer) Close() error {
	close(s.stop)
	<-s.done
	return s.Flush()
}
