package httpapi

import (
	"context"
	"io"
	"log/slog"
	"net/netip"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/verdict-cms/verdict/internal/jsonstr"
)

// accessLog writes one line per request in the log format. A JSON line is
// shaped like slog's: it is the one log on the hot path, so it appends its
// few fixed fields into a pooled buffer instead of going through slog's
// generic attribute handling. Text lines (a developer's terminal) go
// through slog's own text handler.
type accessLog struct {
	w      io.Writer
	pool   sync.Pool
	text   *slog.Logger          // set for the text format
	second atomic.Pointer[stamp] // the current second, formatted
}

// stamp is one second of UTC time formatted to RFC 3339, shared by the
// lines of that second: formatting a date is a fifth of a line's cost.
type stamp struct {
	unix int64
	text []byte
}

func newAccessLog(w io.Writer, format string) *accessLog {
	l := &accessLog{w: w, pool: sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}}
	if format == "text" {
		l.text = slog.New(slog.NewTextHandler(w, nil))
	}
	return l
}

// write logs the request c, named rid, that began at start and ended at
// end, from the client at ip.
func (l *accessLog) write(c *fiber.Ctx, rid string, start, end time.Time, ip netip.Addr) {
	if l.text != nil {
		l.text.LogAttrs(context.Background(), slog.LevelInfo, "request", slog.String("request_id", rid),
			slog.String("method", c.Method()), slog.String("path", c.Path()), slog.Int("status", c.Response().StatusCode()),
			slog.Int64("duration_us", end.Sub(start).Microseconds()), slog.String("ip", ip.String()),
			slog.Int("bytes", responseSize(c)))
		return
	}
	bp := l.pool.Get().(*[]byte)
	b := (*bp)[:0]
	b = append(b, `{"time":"`...)
	b = l.appendTime(b, end)
	b = append(b, `","level":"INFO","msg":"request","request_id":`...)
	b = append(append(append(b, '"'), rid...), '"') // sane: frame's or checked by saneRequestID
	b = append(b, `,"method":`...)
	if m := method(c); m != "OTHER" {
		b = append(append(append(b, '"'), m...), '"') // a constant: nothing to escape
	} else {
		b = jsonstr.Append(b, c.Method(), false)
	}
	b = append(b, `,"path":`...)
	b = jsonstr.Append(b, c.Path(), false)
	b = append(b, `,"status":`...)
	b = strconv.AppendInt(b, int64(c.Response().StatusCode()), 10)
	b = append(b, `,"duration_us":`...)
	b = strconv.AppendInt(b, end.Sub(start).Microseconds(), 10)
	b = append(b, `,"ip":"`...)
	if ip.IsValid() {
		b = ip.AppendTo(b) // digits, dots and colons: nothing to escape
	} else {
		b = append(b, ip.String()...)
	}
	b = append(b, '"')
	b = append(b, `,"bytes":`...)
	b = strconv.AppendInt(b, int64(responseSize(c)), 10)
	b = append(b, "}\n"...)
	_, _ = l.w.Write(b)
	*bp = b
	l.pool.Put(bp)
}

// appendTime appends t as time.RFC3339Nano in UTC, as slog writes it.
func (l *accessLog) appendTime(b []byte, t time.Time) []byte {
	t = t.UTC()
	s := l.second.Load()
	if s == nil || s.unix != t.Unix() {
		s = &stamp{unix: t.Unix(), text: t.AppendFormat(nil, "2006-01-02T15:04:05")}
		l.second.Store(s)
	}
	b = append(b, s.text...)
	if ns := t.Nanosecond(); ns > 0 { // nine digits, trailing zeros dropped
		var d [10]byte
		d[0] = '.'
		for i := 9; i > 0; i-- {
			d[i] = byte('0' + ns%10)
			ns /= 10
		}
		n := 10
		for d[n-1] == '0' {
			n--
		}
		b = append(b, d[:n]...)
	}
	return append(b, 'Z')
}

// responseSize is the body's length. A streamed body (a media file, a CSV
// export) is not read to measure it: that would load it whole into memory
// before it is sent. Its Content-Length is used, or -1 when chunked.
func responseSize(c *fiber.Ctx) int {
	if c.Response().IsBodyStream() {
		return c.Response().Header.ContentLength()
	}
	return len(c.Response().Body())
}
