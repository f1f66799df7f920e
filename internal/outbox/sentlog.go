package outbox

import (
	"context"
	"sync"
	"time"

	"github.com/verdict-cms/verdict/internal/apperr"
)

// maxMarks bounds the rows one write marks sent (two parameters each), and
// the deliveries waiting to be recorded: past it, workers wait.
const maxMarks = 512

// Held names a claimed row by its ID and the lease it is held under.
type Held struct {
	ID    string
	Lease time.Time
}

// sentLog records delivered messages as sent, several per write: a group
// commit, off the workers' path. A worker hands over its delivery and goes
// on to the next message; one writer at a time records at once what was
// handed over, and what is handed over meanwhile goes in its next write.
// So a lone delivery waits for nothing, and under load one statement and
// one commit record many. Each marking was a worker's round trip and
// commit per mail before, and the database's largest cost per mail.
type sentLog struct {
	store Store
	now   func() time.Time
	room  chan struct{} // a slot per delivery not yet recorded
	busy  sync.WaitGroup

	mu      sync.Mutex
	queue   []*mark
	writing bool // a writer is at work; it will take the queue
}

func newSentLog(store Store, now func() time.Time) *sentLog {
	return &sentLog{store: store, now: now, room: make(chan struct{}, maxMarks)}
}

// mark is a delivery waiting to be recorded; done hears the outcome: nil,
// the write's error, or apperr.Conflict when the lease was lost.
type mark struct {
	held Held
	done func(error)
}

// add hands over a delivery to be recorded, fenced by h.Lease; done runs
// once it is written. The caller keeps the claim locked until then, so no
// renewal moves the lease under the fence.
func (l *sentLog) add(h Held, done func(error)) {
	l.room <- struct{}{}
	l.busy.Add(1)
	l.mu.Lock()
	l.queue = append(l.queue, &mark{held: h, done: done})
	start := !l.writing
	l.writing = true
	l.mu.Unlock()
	if start {
		go l.write()
	}
}

// wait returns once everything handed over so far is recorded.
func (l *sentLog) wait() { l.busy.Wait() }

// write records the queue, a statement at a time, until it is empty. It
// runs detached from any caller: shutdown never turns a delivered message
// into one delivered again for want of its record.
func (l *sentLog) write() {
	for {
		l.mu.Lock()
		if len(l.queue) == 0 {
			l.writing = false
			l.queue = nil // let the drained backing array go
			l.mu.Unlock()
			return
		}
		n := min(len(l.queue), maxMarks)
		batch := l.queue[:n:n]
		l.queue = l.queue[n:]
		l.mu.Unlock()

		held := make([]Held, len(batch))
		for i, m := range batch {
			held[i] = m.held
		}
		ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
		done, err := l.store.MarkSentMany(ctx, held, l.now())
		cancel()
		marked := make(map[string]bool, len(done))
		for _, id := range done {
			marked[id] = true
		}
		for _, m := range batch {
			switch {
			case err != nil:
				m.done(err)
			case !marked[m.held.ID]:
				m.done(apperr.New(apperr.Conflict, "the outbox message's lease expired before it completed"))
			default:
				m.done(nil)
			}
			<-l.room
			l.busy.Done()
		}
	}
}
