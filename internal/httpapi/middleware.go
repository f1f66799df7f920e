package httpapi

import (
	"regexp"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/auth"
	"github.com/verdict-cms/verdict/internal/id"
)

const (
	localRequestID = "request_id"
	localPrincipal = "principal"
)

// saneRequestID bounds what a client may pass as X-Request-ID, so that the
// value is safe to echo and to log.
var saneRequestID = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,64}$`)

// withRequestID takes the client's X-Request-ID when sane, else makes one.
func withRequestID(c *fiber.Ctx) error {
	rid := c.Get(fiber.HeaderXRequestID)
	if !saneRequestID.MatchString(rid) {
		rid = id.New()
	}
	c.Locals(localRequestID, rid)
	c.Set(fiber.HeaderXRequestID, rid)
	return c.Next()
}

func requestID(c *fiber.Ctx) string {
	rid, _ := c.Locals(localRequestID).(string)
	return rid
}

// accessLog writes one line per request. It logs the path without the query
// string and never a header, so no token or password can reach the log.
func (a *API) accessLog(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	if err != nil {
		// Render now so the logged status is the one the client gets.
		if herr := a.handleError(c, err); herr != nil {
			a.log.Error("error handler failed", "err", herr)
		}
	}
	a.log.Info("request",
		"request_id", requestID(c), "method", c.Method(), "path", c.Path(),
		"status", c.Response().StatusCode(), "duration_ms", time.Since(start).Milliseconds(),
		"ip", c.IP(), "bytes", len(c.Response().Body()))
	return nil
}

// securityHeaders sets headers every API response should carry.
func securityHeaders(c *fiber.Ctx) error {
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("X-Frame-Options", "DENY")
	c.Set("Referrer-Policy", "no-referrer")
	c.Set("Cross-Origin-Opener-Policy", "same-origin")
	c.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
	return c.Next()
}

// noStore marks admin and auth responses as never cacheable.
func noStore(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Next()
}

// authenticate resolves the bearer token, if any, to a principal. A request
// without Authorization passes through anonymous; a bad token is a 401 even
// on routes that allow anonymous access, so a client learns its token failed.
func (a *API) authenticate(c *fiber.Ctx) error {
	h := c.Get(fiber.HeaderAuthorization)
	if h == "" {
		return c.Next()
	}
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return apperr.New(apperr.Unauthenticated, "the Authorization header must be: Bearer <token>")
	}
	p, err := a.auth.Authenticate(c.UserContext(), strings.TrimSpace(token))
	if err != nil {
		return err
	}
	c.Locals(localPrincipal, p)
	return c.Next()
}

func principal(c *fiber.Ctx) (auth.Principal, bool) {
	p, ok := c.Locals(localPrincipal).(auth.Principal)
	return p, ok
}

// requireUser admits signed-in users with one of roles (any role when none
// are given). API tokens are not users and are refused here.
func requireUser(roles ...auth.Role) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, ok := principal(c)
		if !ok {
			return apperr.New(apperr.Unauthenticated, "sign in to use this route")
		}
		if p.User == nil {
			return apperr.New(apperr.Forbidden, "API tokens cannot use this route")
		}
		if len(roles) > 0 && !p.HasRole(roles...) {
			return apperr.New(apperr.Forbidden, "your role may not use this route")
		}
		return c.Next()
	}
}

// currentUser returns the signed-in user; requireUser has run before it.
func currentUser(c *fiber.Ctx) *auth.User {
	p, _ := principal(c)
	return p.User
}
