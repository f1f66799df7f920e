package httpapi

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/nulbyte"
)

const nulMessage = "must not contain NUL characters (U+0000)"

// refuseUnstorable answers 400 for input that PostgreSQL cannot store as
// text, before any handler sees it: NUL characters in a header or a query
// parameter, and query parameters that are not UTF-8 (refuseUnstorableBody
// checks JSON bodies). SQLite would take them, so checking here keeps both
// databases alike and every route covered, not only the ones that remember.
//
// Most requests have nothing to refuse, so the common case is made cheap:
// the header block as received is searched for a NUL in one pass, and the
// headers are visited one by one (to name the bad one) only when it has
// one; a request without a query string has no parameters to visit.
func refuseUnstorable(c *fiber.Ctx) error {
	req := c.Request()
	raw := req.Header.RawHeaders() // empty when the request was not parsed from the wire
	noQuery := len(req.URI().QueryString()) == 0
	if len(raw) > 0 && bytes.IndexByte(raw, 0) < 0 && noQuery {
		return nil
	}
	var fe apperr.Fields
	if len(raw) == 0 || bytes.IndexByte(raw, 0) >= 0 {
		req.Header.VisitAll(func(k, v []byte) {
			if bytes.IndexByte(v, 0) >= 0 {
				fe.Add(string(k), "invalid", nulMessage)
			}
		})
	}
	if noQuery {
		return fe.Err()
	}
	c.Context().QueryArgs().VisitAll(func(k, v []byte) {
		switch name := printableName(k); {
		case bytes.IndexByte(k, 0) >= 0 || bytes.IndexByte(v, 0) >= 0:
			fe.Add(name, "invalid", nulMessage)
		case !utf8.Valid(k) || !utf8.Valid(v):
			fe.Add(name, "invalid", "must be UTF-8")
		}
	})
	return fe.Err()
}

// refuseUnstorableBody is the same check for a JSON body. It runs after
// limitJSONBody, so it never reads a body past the limit.
func refuseUnstorableBody(c *fiber.Ctx) error {
	if !isJSON(string(c.Request().Header.ContentType())) { // no header-name normalising, unlike c.Get
		return nil
	}
	path, found := nulbyte.JSONPath(c.Body())
	switch {
	case !found:
		return nil
	case path == "":
		return apperr.New(apperr.Invalid, "the request body %s", nulMessage)
	}
	var fe apperr.Fields
	fe.Add(path, "invalid", nulMessage)
	return fe.Err()
}

// printableName is a parameter name fit to echo in a problem document.
func printableName(k []byte) string {
	return strings.ReplaceAll(strings.ToValidUTF8(string(k), "\uFFFD"), "\x00", `\u0000`)
}
