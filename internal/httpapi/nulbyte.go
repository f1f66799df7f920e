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
// text, before any handler sees it: NUL characters in a header, a query
// parameter or a JSON body, and query parameters that are not UTF-8. SQLite
// would take them, so checking here keeps both databases alike and every
// route covered, not only the ones that remember to check.
func refuseUnstorable(c *fiber.Ctx) error {
	var fe apperr.Fields
	c.Request().Header.VisitAll(func(k, v []byte) {
		if bytes.IndexByte(v, 0) >= 0 {
			fe.Add(string(k), "invalid", nulMessage)
		}
	})
	c.Context().QueryArgs().VisitAll(func(k, v []byte) {
		switch name := printableName(k); {
		case bytes.IndexByte(k, 0) >= 0 || bytes.IndexByte(v, 0) >= 0:
			fe.Add(name, "invalid", nulMessage)
		case !utf8.Valid(k) || !utf8.Valid(v):
			fe.Add(name, "invalid", "must be UTF-8")
		}
	})
	if len(fe) == 0 && isJSON(c.Get(fiber.HeaderContentType)) {
		if path, found := nulbyte.JSONPath(c.Body()); found {
			if path == "" {
				return apperr.New(apperr.Invalid, "the request body %s", nulMessage)
			}
			fe.Add(path, "invalid", nulMessage)
		}
	}
	return fe.Err()
}

// printableName is a parameter name fit to echo in a problem document.
func printableName(k []byte) string {
	return strings.ReplaceAll(strings.ToValidUTF8(string(k), "\uFFFD"), "\x00", `\u0000`)
}
