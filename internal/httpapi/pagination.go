package httpapi

import (
	"encoding/base64"
	"slices"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/verdict-cms/verdict/internal/apperr"
)

const (
	defaultLimit = 20
	maxLimit     = 100
)

// listResponse is the envelope of every list.
type listResponse[T any] struct {
	Data       []T     `json:"data"`
	NextCursor *string `json:"next_cursor"`
	Total      *int    `json:"total,omitempty"`
}

// query reads a list's query parameters and refuses any it does not know.
type query struct {
	c      *fiber.Ctx
	fields apperr.Fields
	known  []string   // a handful of names: a slice beats a map per request
	names  [12]string // known's first backing array: no regrowing on a list's hot path
}

func newQuery(c *fiber.Ctx) *query {
	q := &query{c: c}
	q.known = q.names[:0]
	return q
}

func (q *query) str(name string) string {
	q.known = append(q.known, name)
	return q.c.Query(name)
}

func (q *query) boolean(name string) *bool {
	v := q.str(name)
	if v == "" {
		return nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		q.fields.Add(name, "invalid", "must be true or false")
		return nil
	}
	return &b
}

// date reads a date (2026-11-24) or an RFC 3339 time.
func (q *query) date(name string) *time.Time {
	v := q.str(name)
	if v == "" {
		return nil
	}
	t, err := parseDateOrTime(v)
	if err != nil {
		q.fields.Add(name, "invalid", "must be a date (2026-11-24) or an RFC 3339 time")
		return nil
	}
	return &t
}

func (q *query) limit() int {
	v := q.str("limit")
	if v == "" {
		return defaultLimit
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxLimit {
		q.fields.Add("limit", "invalid", "must be a whole number from 1 to 100")
		return defaultLimit
	}
	return n
}

// cursor decodes the opaque cursor back to the last key of the previous page:
// an ID or a slug, so anything else (a forged cursor) is refused here rather
// than sent to the database.
func (q *query) cursor() string {
	k := q.rawCursor()
	for i := 0; i < len(k); i++ {
		if k[i] <= ' ' || k[i] >= 0x7f {
			q.fields.Add("cursor", "invalid", "is not a cursor this API returned")
			return ""
		}
	}
	return k
}

// rawCursor decodes a cursor whose key the caller checks itself.
func (q *query) rawCursor() string {
	v := q.str("cursor")
	if v == "" {
		return ""
	}
	b, err := base64.RawURLEncoding.DecodeString(v)
	if err != nil || len(b) == 0 {
		q.fields.Add("cursor", "invalid", "is not a cursor this API returned")
		return ""
	}
	return string(b)
}

// err reports unknown parameters and every invalid one together.
func (q *query) err() error {
	q.c.Context().QueryArgs().VisitAll(func(k, _ []byte) {
		if !slices.Contains(q.known, string(k)) {
			q.fields.Add(string(k), "unknown", "is not a known query parameter")
		}
	})
	return q.fields.Err()
}

// addTotal counts the list's whole selection into resp when the client asked
// for it (include_total=true); the count costs a query, so only then.
func addTotal[R any](want *bool, resp *listResponse[R], count func() (int, error)) error {
	if want == nil || !*want {
		return nil
	}
	n, err := count()
	if err != nil {
		return err
	}
	resp.Total = &n
	return nil
}

func encodeCursor(key string) *string {
	s := base64.RawURLEncoding.EncodeToString([]byte(key))
	return &s
}

// page turns items, fetched with one extra to tell whether more follow, into
// a list response of at most limit entries. key gives an item's cursor;
// updated, when not nil, its modification time, the latest of which is
// returned for Last-Modified.
func page[T, R any](items []T, limit int, key func(T) string, conv func(T) R, updated func(T) time.Time) (listResponse[R], time.Time) {
	resp := listResponse[R]{Data: make([]R, 0, min(len(items), limit))}
	if len(items) > limit {
		items = items[:limit]
		resp.NextCursor = encodeCursor(key(items[limit-1]))
	}
	var modified time.Time
	for _, it := range items {
		resp.Data = append(resp.Data, conv(it))
		if updated != nil && updated(it).After(modified) {
			modified = updated(it)
		}
	}
	return resp, modified
}
