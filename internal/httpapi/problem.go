package httpapi

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/verdict-cms/verdict/internal/apperr"
)

const problemBase = "https://verdict.dev/problems/"

// problem is an RFC 9457 problem document.
type problem struct {
	Type     string         `json:"type"`
	Title    string         `json:"title"`
	Status   int            `json:"status"`
	Detail   string         `json:"detail,omitempty"`
	Instance string         `json:"instance,omitempty"`
	Errors   []fieldProblem `json:"errors,omitempty"`
	// Extension members, such as current_version on a conflict.
	Extra map[string]any `json:"-"`
}

type fieldProblem struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// kindStatus is the one table from error kinds to HTTP.
var kindStatus = map[apperr.Kind]struct {
	status int
	slug   string
	title  string
}{
	apperr.Invalid:              {http.StatusBadRequest, "validation", "Invalid request"},
	apperr.NotFound:             {http.StatusNotFound, "not-found", "Not found"},
	apperr.Conflict:             {http.StatusConflict, "conflict", "Conflict"},
	apperr.Unauthenticated:      {http.StatusUnauthorized, "unauthenticated", "Authentication required"},
	apperr.Forbidden:            {http.StatusForbidden, "forbidden", "Forbidden"},
	apperr.RateLimited:          {http.StatusTooManyRequests, "rate-limited", "Too many requests"},
	apperr.Unavailable:          {http.StatusServiceUnavailable, "unavailable", "Service unavailable"},
	apperr.TooLarge:             {http.StatusRequestEntityTooLarge, "too-large", "Request too large"},
	apperr.UnsupportedMediaType: {http.StatusUnsupportedMediaType, "unsupported-media-type", "Unsupported media type"},
	apperr.PreconditionRequired: {http.StatusPreconditionRequired, "precondition-required", "Precondition required"},
}

// fiberSlugs names the problem types of errors Fiber raises itself.
var fiberSlugs = map[int]string{
	http.StatusNotFound:              "not-found",
	http.StatusMethodNotAllowed:      "method-not-allowed",
	http.StatusRequestEntityTooLarge: "too-large",
	http.StatusBadRequest:            "bad-request",
	http.StatusRequestTimeout:        "timeout",
	http.StatusUnsupportedMediaType:  "unsupported-media-type",
	http.StatusTooManyRequests:       "rate-limited",
}

// handleError is Fiber's ErrorHandler: the one place where errors become
// HTTP responses. Internal errors are logged with the request ID and answered
// with a generic 500; their text never reaches the client.
func (a *API) handleError(c *fiber.Ctx, err error) error {
	p := problem{Instance: requestID(c)}
	var fe *fiber.Error
	if d := apperr.Dependency(err); d != nil {
		err = d // a database or network failure that no store call classified
	}
	if e, ok := apperr.As(err); ok {
		m := kindStatus[e.Kind]
		p.Type, p.Title, p.Status, p.Detail, p.Extra = problemBase+m.slug, m.title, m.status, e.Message, e.Extra
		for _, f := range e.Fields {
			p.Errors = append(p.Errors, fieldProblem(f))
		}
		if e.Kind == apperr.Unavailable && e.RetryAfter <= 0 {
			e.RetryAfter = apperr.RetryAfterDependency // every 503 says when to come back
		}
		if e.RetryAfter > 0 {
			c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(math.Ceil(e.RetryAfter.Seconds()))))
		}
		if e.Kind == apperr.Unauthenticated {
			c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="verdict"`)
		}
		if e.Kind == apperr.Unavailable {
			a.log.Warn("dependency unavailable", "request_id", p.Instance, "err", err)
		}
	} else if errors.As(err, &fe) && fe.Code < 500 {
		slug, ok := fiberSlugs[fe.Code]
		if !ok {
			slug = "bad-request"
		}
		p.Type, p.Title, p.Status, p.Detail = problemBase+slug, http.StatusText(fe.Code), fe.Code, fe.Message
	} else {
		a.log.Error("internal error", "request_id", p.Instance, "method", c.Method(), "path", c.Path(), "err", err)
		p.Type, p.Title, p.Status = problemBase+"internal", "Internal server error", http.StatusInternalServerError
		p.Detail = "An unexpected error occurred. Quote the request ID when reporting it."
	}
	return writeProblem(c, p)
}

func writeProblem(c *fiber.Ctx, p problem) error {
	body := map[string]any{"type": p.Type, "title": p.Title, "status": p.Status, "instance": p.Instance}
	if p.Detail != "" {
		body["detail"] = p.Detail
	}
	if len(p.Errors) > 0 {
		body["errors"] = p.Errors
	}
	for k, v := range p.Extra {
		if _, taken := body[k]; !taken {
			body[k] = v
		}
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Status(p.Status)
	if err := c.JSON(body, "application/problem+json"); err != nil {
		return fmt.Errorf("httpapi: write problem: %w", err)
	}
	return nil
}
