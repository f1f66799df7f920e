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

// TestSentLogGroupsWrites: the first mark is written at once; the marks
// made while it is written go together in one more write, each told its
// own outcome; a failed write fails each of its marks.
func TestSentLogGroupsWrites(t *testing.T) {
	failed := errors.New("database gone")
	for _, tc := range []struct {
		name string
		err  error
	}{{"written", nil}, {"write fails", failed}} {
		t.Run(tc.name, func(t *testing.T) {
			s := &markStore{entered: make(chan struct{}, 16), gate: make(chan struct{}), err: tc.err}
			l := &sentLog{store: s, now: time.Now}
			const n = 9
			results := make([]error, n+1)
			var wg sync.WaitGroup
			mark := func(i int) {
				lease := time.Unix(100, 0)
				if i%3 == 2 {
					lease = lost
				}
				wg.Go(func() { results[i] = l.record(context.Background(), Held{ID: fmt.Sprint(i), Lease: lease}) })
			}
			mark(0)
			<-s.entered // the first write is in flight
			for i := 1; i <= n; i++ {
				mark(i)
			}
			for queued := 0; queued < n; {
				time.Sleep(time.Millisecond)
				l.mu.Lock()
				queued = len(l.queue)
				l.mu.Unlock()
			}
			close(s.gate)
			wg.Wait()
			if len(s.writes) != 2 || len(s.writes[0]) != 1 || len(s.writes[1]) != n {
				t.Fatalf("writes %v, want one of 1 then one of %d", s.writes, n)
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
			if l.writing || len(l.queue) != 0 {
				t.Errorf("left writing=%v with %d queued", l.writing, len(l.queue))
			}
		})
	}
}
