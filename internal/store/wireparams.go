package store

import (
	"encoding/binary"
	"strconv"
	"sync"
	"time"
)

// wireParams are the parameters of one prepared statement, encoded once
// into a reused buffer: text as text, numbers as decimal text, timestamps
// in PostgreSQL's binary form. pgx's general encoder looks up a plan for
// each argument and regrows its buffers on every query, which showed in the
// intake's profile (41 parameters per request).
type wireParams struct {
	buf     []byte
	offs    []int // end of each value in buf; -1 for NULL
	values  [][]byte
	formats []int16
}

var wireParamsPool = sync.Pool{New: func() any { return &wireParams{buf: make([]byte, 0, 4096)} }}

func getWireParams() *wireParams {
	p := wireParamsPool.Get().(*wireParams)
	p.buf, p.offs, p.values, p.formats = p.buf[:0], p.offs[:0], p.values[:0], p.formats[:0]
	return p
}

func putWireParams(p *wireParams) {
	if cap(p.buf) <= 64<<10 { // an outsized one is left to the collector
		wireParamsPool.Put(p)
	}
}

func (p *wireParams) text(s string) {
	p.buf = append(p.buf, s...)
	p.offs, p.formats = append(p.offs, len(p.buf)), append(p.formats, 0)
}

func (p *wireParams) textOrNull(s *string) {
	if s == nil {
		p.null()
		return
	}
	p.text(*s)
}

func (p *wireParams) int(n int64) {
	p.buf = strconv.AppendInt(p.buf, n, 10)
	p.offs, p.formats = append(p.offs, len(p.buf)), append(p.formats, 0)
}

// pgEpochMicros is 2000-01-01 UTC, where PostgreSQL's binary timestamps
// count microseconds from, in Unix microseconds.
const pgEpochMicros = 946_684_800_000_000

func (p *wireParams) time(t time.Time) {
	p.buf = binary.BigEndian.AppendUint64(p.buf, uint64(t.UnixMicro()-pgEpochMicros))
	p.offs, p.formats = append(p.offs, len(p.buf)), append(p.formats, 1)
}

func (p *wireParams) timeOrNull(t *time.Time) {
	if t == nil {
		p.null()
		return
	}
	p.time(*t)
}

func (p *wireParams) null() {
	p.offs, p.formats = append(p.offs, -1), append(p.formats, 0)
}

// slices cuts buf into the values, once every parameter is in.
func (p *wireParams) slices() [][]byte {
	start := 0
	for _, end := range p.offs {
		if end < 0 {
			p.values = append(p.values, nil)
			continue
		}
		p.values = append(p.values, p.buf[start:end:end])
		start = end
	}
	return p.values
}
