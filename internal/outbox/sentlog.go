package outbox

import (
	"context"
	"sync"
	"time"

	"github.com/verdict-cms/verdict/internal/apperr"
)

// maxMarks bounds the rows one write marks sent (two parameters each).
const maxMarks = 512

// Held names a claimed row by its ID and the lease it is held under.
type Held struct {
	ID    string
	Lease time.Time
}

// sentLog records delivered messages as sent, several per write: a group
// commit. The first message to finish writes at once; those finishing
// while a write is in flight queue up and go together in the next, written
// by the first of them. A lone message waits for nothing, and under load
// one statement and one commit record many, instead of one each: per mail,
// that write was the dispatcher's largest cost in the database.
type sentLog struct {
	store Store
	now   func() time.Time

	mu      sync.Mutex
	queue   []*mark
	writing bool // a writer is at work; the queue waits for it
}

// mark is a message waiting to be recorded. Its result arrives on res: the
// error recording it, or a turn to write for everyone queued.
type mark struct {
	held Held
	res  chan markResult // buffered: a turn, then the mark's own result
}

type markResult struct {
	err  error
	turn bool
}

// record marks h sent, fenced by its lease, returning once it is written
// (or known lost: apperr.Conflict). The caller holds the claim's lock, so
// its lease cannot move meanwhile.
func (l *sentLog) record(ctx context.Context, h Held) error {
	m := &mark{held: h, res: make(chan markResult, 2)}
	l.mu.Lock()
	l.queue = append(l.queue, m)
	first := !l.writing
	l.writing = true
	l.mu.Unlock()
	if first {
		l.write(ctx)
	}
	for {
		r := <-m.res
		if !r.turn {
			return r.err
		}
		l.write(ctx)
	}
}

// write records what is queued (its own mark among it) in one statement,
// then hands the next turn to the first mark queued meanwhile, if any.
func (l *sentLog) write(ctx context.Context) {
	l.mu.Lock()
	n := min(len(l.queue), maxMarks)
	batch := l.queue[:n:n]
	l.queue = l.queue[n:]
	l.mu.Unlock()

	held := make([]Held, len(batch))
	for i, m := range batch {
		held[i] = m.held
	}
	done, err := l.store.MarkSentMany(ctx, held, l.now())
	marked := make(map[string]bool, len(done))
	for _, id := range done {
		marked[id] = true
	}
	for _, m := range batch {
		switch {
		case err != nil:
			m.res <- markResult{err: err}
		case !marked[m.held.ID]:
			m.res <- markResult{err: apperr.New(apperr.Conflict, "the outbox message's lease expired before it completed")}
		default:
			m.res <- markResult{}
		}
	}

	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.queue) == 0 {
		l.writing = false
		l.queue = nil // let the drained backing array go
		return
	}
	l.queue[0].res <- markResult{turn: true}
}
