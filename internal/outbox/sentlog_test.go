package outbox

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/verdict-cms/verdict/internal/apperr"
)

// markStore records the writes of a sentLog; a write waits for gate, and
// a row leased at lost is marked by none, as if another worker held it.
type markStore struct {
	Store
	entered chan struct{}
	gate    chan struct{}
	err     error
	mu      sync.Mutex
	writes  [][]Held
}

var lost = time.Unix(1, 0)

func (s *markStore) MarkSentMany(_ context.Context, held []Held, _ time.Time) ([]string, error) {
	s.entered <- struct{}{}
	<-s.gate
	s.mu.Lock()
	s.writes = append(s.writes, held)
	s.mu.Unlock()
	var ids []string
	for _, h := range held {
		if !h.Lease.Equal(lost) {
			ids = append(ids, h.ID)
		}
	}
	return ids, s.err
}

// TestSentLogGroupsWrites: the first delivery handed over is written at
// once; those handed over while it is written go together in one more
// write, each told its own outcome; a failed write fails each of its marks.
// Handing over never waits for a write.
func TestSentLogGroupsWrites(t *testing.T) {
	failed := errors.New("database gone")
	for _, tc := range []struct {
		name string
		err  error
	}{{"written", nil}, {"write fails", failed}} {
		t.Run(tc.name, func(t *testing.T) {
			s := &markStore{entered: make(chan struct{}, 16), gate: make(chan struct{}), err: tc.err}
			l := newSentLog(s, time.Now)
			const n = 9
			var mu sync.Mutex
			results := map[int]error{}
			mark := func(i int) {
				lease := time.Unix(100, 0)
				if i%3 == 2 {
					lease = lost
				}
				l.add(Held{ID: fmt.Sprint(i), Lease: lease}, func(err error) {
					mu.Lock()
					results[i] = err
					mu.Unlock()
				})
			}
			mark(0)
			<-s.entered // the first write is in flight
			for i := 1; i <= n; i++ {
				mark(i)
			}
			close(s.gate)
			l.wait()
			if len(s.writes) != 2 || len(s.writes[0]) != 1 || len(s.writes[1]) != n {
				t.Fatalf("writes %v, want one of 1 then one of %d", s.writes, n)
			}
			if len(results) != n+1 {
				t.Fatalf("%d outcomes, want %d", len(results), n+1)
			}
			for i, err := range results {
				switch {
				case tc.err != nil:
					if !errors.Is(err, failed) {
						t.Errorf("mark %d: %v, want the write's error", i, err)
					}
				case i%3 == 2:
					if !apperr.IsKind(err, apperr.Conflict) {
						t.Errorf("mark %d with a lost lease: %v, want a conflict", i, err)
					}
				case err != nil:
					t.Errorf("mark %d: %v", i, err)
				}
			}
			for deadline := time.Now().Add(time.Second); ; time.Sleep(time.Millisecond) { // the writer stops
				l.mu.Lock()
				writing, queued := l.writing, len(l.queue)
				l.mu.Unlock()
				if !writing && queued == 0 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("left writing=%v with %d queued", writing, queued)
				}
			}
		})
	}
}
