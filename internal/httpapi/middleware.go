package httpapi

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/auth"
	"github.com/verdict-cms/verdict/internal/id"
	"github.com/verdict-cms/verdict/internal/requestid"
)

const (
	localRequestID = "request_id"
	localPrincipal = "principal"
)

// requestIDs makes request IDs: a random per-process prefix and a counter,
// unique across instances and far cheaper than a UUID on every request.
type requestIDs struct {
	prefix string
	n      atomic.Uint64
}

func newRequestIDs() *requestIDs {
	return &requestIDs{prefix: id.Secret("")[:12] + "-"}
}

func (r *requestIDs) next() string {
	var buf [32]byte // one allocation, the string itself
	return string(strconv.AppendUint(append(buf[:0], r.prefix...), r.n.Add(1), 36))
}

// saneRequestID bounds what a client may pass as X-Request-ID, so that the
// value is safe to echo and to log.
func saneRequestID(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch b := s[i]; {
		case b >= 'a' && b <= 'z', b >= 'A' && b <= 'Z', b >= '0' && b <= '9', b == '.', b == '_', b == ':', b == '-':
		default:
			return false
		}
	}
	return true
}

var headerRequestID = []byte(fiber.HeaderXRequestID)

// headerRequestIDIn is X-Request-ID as fasthttp normalises incoming names.
const headerRequestIDIn = "X-Request-Id"

// frame wraps every request: it names it (X-Request-ID, taken from the
// client when sane), sets the security headers, turns a panic into an
// error, renders any error as a problem document, and writes the access-log
// line. One middleware rather than four saves three hops through Fiber's
// handler chain on every request.
func (a *API) frame(c *fiber.Ctx) (err error) {
	start := c.Context().Time() // taken by fasthttp just before the handler
	if start.IsZero() {         // a handler called directly, as benchmarks do
		start = time.Now()
	}
	// fasthttp normalised the request's header names as it parsed them, so
	// a lookup by a name spelt as normalised (X-Request-Id, not X-Request-ID)
	// need not normalise it once more: that was a tenth of a cached read's
	// in-process cost. fasthttp resets the setting for the next request.
	c.Request().Header.DisableNormalizing()
	rid := c.Get(headerRequestIDIn)
	if saneRequestID(rid) {
		rid = strings.Clone(rid) // Fiber reuses the request buffer
	} else {
		rid = a.ids.next()
	}
	// Every database call of the request runs under this deadline, so a
	// frozen database costs a client RequestTimeout, not a hang. The
	// context makes its timer only when something waits on it: a cached
	// read never does. It ends (is cancelled) when the handler returns;
	// see the README's "Deadlines and cancellation" for what that covers.
	ctx := requestid.NewContext(rid, start.Add(a.opts.RequestTimeout))
	defer ctx.End()
	c.Locals(localRequestID, ctx) // a pointer: no allocation, unlike the string
	c.SetUserContext(ctx)
	h := &c.Response().Header
	baseHeader.CopyTo(h) // the response is fresh: nothing set yet is lost
	h.SetCanonical(headerRequestID, []byte(rid))
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v\n%s", p, debug.Stack())
		}
		finishBody(c)
		if err != nil {
			// Render now so the logged status is the one the client gets.
			if herr := a.handleError(c, err); herr != nil {
				a.log.ErrorContext(c.UserContext(), "error handler failed", "err", herr)
			}
			err = nil
		}
		end := time.Now()
		if a.access != nil {
			a.access.write(c, rid, start, end, a.clientAddr(c))
		}
		a.metrics.Request(c.Route().Path, method(c), c.Response().StatusCode(), end.Sub(start))
	}()
	if err := refuseUnstorable(c); err != nil {
		return err
	}
	return c.Next()
}

// maxDrain is the most of a request body left unread by its handler that
// is read and dropped, so that the connection can carry the next request.
const maxDrain = 8 << 20

// finishBody deals with a streamed request body that the handler did not
// read (a 401 before the upload, a 413, a body sent to a GET route): left
// in the connection, it would be parsed as the next request. Up to maxDrain
// bytes are dropped; past that the connection closes after the response.
func finishBody(c *fiber.Ctx) {
	req := c.Request()
	if !req.IsBodyStream() {
		return
	}
	if req.Header.ContentLength() > maxDrain {
		c.Context().SetConnectionClose()
		return
	}
	n, err := io.Copy(io.Discard, io.LimitReader(req.BodyStream(), maxDrain+1))
	if err != nil || n > maxDrain {
		c.Context().SetConnectionClose()
	}
}

// securityHeaders are set on every response.
var securityHeaders = [][2]string{
	{"X-Content-Type-Options", "nosniff"},
	{"X-Frame-Options", "DENY"},
	{"Referrer-Policy", "no-referrer"},
	{"Cross-Origin-Opener-Policy", "same-origin"},
	{"Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"},
}

// baseHeader is what every response starts with: the request ID's slot,
// first so that filling it in matches at once, and the security headers.
// frame copies it in one pass; setting the six headers one by one made
// fasthttp scan the headers already set for each, a tenth of a cached
// read's in-process cost. Only ever read after init, so shared safely.
var baseHeader = func() *fasthttp.ResponseHeader {
	h := new(fasthttp.ResponseHeader)
	h.SetCanonical(headerRequestID, []byte("-")) // as spelt, not normalised to X-Request-Id
	for _, kv := range securityHeaders {
		h.SetCanonical([]byte(kv[0]), []byte(kv[1]))
	}
	return h
}()

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

// RequestID returns the ID of the request whose context ctx is, or "".
func RequestID(ctx context.Context) string { return requestid.From(ctx) }

func requestID(c *fiber.Ctx) string {
	if ctx, ok := c.Locals(localRequestID).(*requestid.Context); ok {
		return ctx.ID()
	}
	return ""
}

// method returns the request method as a constant string. c.Method()
// aliases a buffer Fiber reuses, so it must not be kept (as a metric label
// is) beyond the request.
func method(c *fiber.Ctx) string {
	switch m := c.Method(); m {
	case fiber.MethodGet:
		return fiber.MethodGet
	case fiber.MethodPost:
		return fiber.MethodPost
	case fiber.MethodPut:
		return fiber.MethodPut
	case fiber.MethodDelete:
		return fiber.MethodDelete
	case fiber.MethodHead:
		return fiber.MethodHead
	case fiber.MethodOptions:
		return fiber.MethodOptions
	case fiber.MethodPatch:
		return fiber.MethodPatch
	}
	return "OTHER"
}
