package httpapi

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/verdict-cms/verdict/internal/apperr"
)

// corsPolicy answers cross-origin requests by route class. Public reads go
// to the listed origins, or to any origin when the list holds "*" (an
// explicit opt-in: the content is public anyway). The recommendation and
// intake routes, which write or cost, and every other route (auth, admin)
// go to listed origins only, whatever "*" says.
type corsPolicy struct {
	origins map[string]bool
	anyRead bool
}

const (
	corsPublicHeaders = "Content-Type, Idempotency-Key, If-None-Match, X-Request-ID"
	corsAdminHeaders  = "Authorization, Content-Type, If-Match, If-None-Match, Idempotency-Key, X-Request-ID"
	corsExpose        = "ETag, Location, Retry-After, X-Request-ID, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Idempotent-Replayed"
)

func newCORS(origins []string) *corsPolicy {
	p := &corsPolicy{origins: map[string]bool{}}
	for _, o := range origins {
		if o == "*" {
			p.anyRead = true
		} else {
			p.origins[strings.TrimSuffix(o, "/")] = true
		}
	}
	return p
}

type corsClass int

const (
	corsRead corsClass = iota
	corsPublicWrite
	corsOther
)

// classify places a route: the widget's reads, its two writes, the rest.
func classify(method, path string) corsClass {
	public := strings.HasPrefix(path, "/api/v1/guides") || strings.HasPrefix(path, "/api/v1/categories") ||
		strings.HasPrefix(path, "/api/v1/technologies")
	switch {
	case (method == fiber.MethodGet || method == fiber.MethodHead) && public:
		return corsRead
	case method == fiber.MethodPost && (path == "/api/v1/consultations" || (strings.HasPrefix(path, "/api/v1/guides/") && strings.HasSuffix(path, "/recommendation"))):
		return corsPublicWrite
	}
	return corsOther
}

// allow returns the Access-Control-Allow-Origin value for origin, or "".
func (p *corsPolicy) allow(origin string, class corsClass) string {
	if p.origins[origin] {
		return origin
	}
	if class == corsRead && p.anyRead {
		return "*"
	}
	return ""
}

func (p *corsPolicy) handle(c *fiber.Ctx) error {
	origin := c.Get(fiber.HeaderOrigin)
	if origin == "" {
		return c.Next()
	}
	c.Vary(fiber.HeaderOrigin)
	preflight := c.Method() == fiber.MethodOptions && c.Get(fiber.HeaderAccessControlRequestMethod) != ""
	method := c.Method()
	if preflight {
		method = strings.ToUpper(c.Get(fiber.HeaderAccessControlRequestMethod))
	}
	class := classify(method, c.Path())
	allowed := p.allow(origin, class)
	if !preflight {
		if allowed != "" {
			c.Set(fiber.HeaderAccessControlAllowOrigin, allowed)
			c.Set(fiber.HeaderAccessControlExposeHeaders, corsExpose)
		}
		return c.Next()
	}
	if allowed == "" {
		return apperr.New(apperr.Forbidden, "the origin %s may not call %s %s: add it to VERDICT_CORS_ORIGINS", origin, method, c.Path())
	}
	headers := corsPublicHeaders
	if class == corsOther {
		headers = corsAdminHeaders
	}
	c.Set(fiber.HeaderAccessControlAllowOrigin, allowed)
	c.Set(fiber.HeaderAccessControlAllowMethods, method)
	c.Set(fiber.HeaderAccessControlAllowHeaders, headers)
	c.Set(fiber.HeaderAccessControlMaxAge, "600")
	return c.SendStatus(fiber.StatusNoContent)
}
