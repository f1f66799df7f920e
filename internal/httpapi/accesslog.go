package httpapi

import (
	"context"
	"io"
	"log/slog"
	"net/netip"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
)

// accessLog writes one line per request in the log format. A JSON line is
// shaped like slog's: it is the one log on the hot path, so it appends its
// few fixed fields into a pooled buffer instead of going through slog's
// generic attribute handling. Text lines (a developer's terminal) go
// through slog's own text handler.
type accessLog struct {
	w    io.Writer
	pool sync.Pool
	text *slog.Logger // set for the text format
}

func newAccessLog(w io.Writer, format string) *accessLog {
	l := &accessLog{w: w, pool: sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}}
	if format == "text" {
		l.text = slog.New(slog.NewTextHandler(w, nil))
	}
	return l
}

// write logs the request c that began at start and ended at end, from the
// client at ip.
func (l *accessLog) write(c *fiber.Ctx, start, end time.Time, ip netip.Addr) {
	if l.text != nil {
		l.text.LogAttrs(context.Background(), slog.LevelInfo, "request", slog.String("request_id", requestID(c)),
			slog.String("method", c.Method()), slog.String("path", c.Path()), slog.Int("status", c.Response().StatusCode()),
			slog.Int64("duration_us", end.Sub(start).Microseconds()), slog.String("ip", ip.String()),
			slog.Int("bytes", responseSize(c)))
		return
	}
	bp := l.pool.Get().(*[]byte)
	b := (*bp)[:0]
	b = append(b, `{"time":"`...)
	b = end.UTC().AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","level":"INFO","msg":"request","request_id":`...)
	b = appendJSONString(b, requestID(c))
	b = append(b, `,"method":`...)
	b = appendJSONString(b, c.Method())
	b = append(b, `,"path":`...)
	b = appendJSONString(b, c.Path())
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

// appendJSONString appends s as a JSON string: quotes, backslashes and
// control characters escaped, invalid UTF-8 replaced.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
			i++
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			i++
		case c < utf8.RuneSelf:
			b = append(b, c)
			i++
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				b = append(b, `\ufffd`...)
			} else {
				b = append(b, s[i:i+size]...)
			}
			i += size
		}
	}
	return append(b, '"')
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
