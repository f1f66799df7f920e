// Package apperr defines the errors a client can cause. Domain and storage
// code return them; the HTTP layer maps each Kind to one status in one place.
package apperr

import (
	"errors"
	"fmt"
	"time"
)

// Kind classifies an error by what the client should do about it.
type Kind int

// The kinds. Anything that is not an *Error is an internal error.
const (
	Invalid Kind = iota + 1
	NotFound
	Conflict
	Unauthenticated
	Forbidden
	RateLimited
	Unavailable
	TooLarge
	UnsupportedMediaType
	PreconditionRequired
)

// FieldError names one invalid field: a path into the request body or a
// query parameter name, a machine code and a human message.
type FieldError struct {
	Field   string
	Code    string
	Message string
}

// Error is a client-visible error. Message is safe to show to the client.
type Error struct {
	Kind       Kind
	Message    string
	Fields     []FieldError
	RetryAfter time.Duration
	// Extra carries kind-specific members for the problem body, such as the
	// current version on a conflict. Values must be safe to show.
	Extra map[string]any
	// Err is the underlying cause, logged but never shown.
	Err error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %v", e.Message, e.Err)
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// New returns an error of kind k with a client-safe message.
func New(k Kind, format string, args ...any) *Error {
	return &Error{Kind: k, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an error of kind k with a client-safe message and a hidden cause.
func Wrap(k Kind, err error, format string, args ...any) *Error {
	return &Error{Kind: k, Message: fmt.Sprintf(format, args...), Err: err}
}

// As returns the *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// IsKind reports whether err's chain holds an *Error of kind k.
func IsKind(err error, k Kind) bool {
	e, ok := As(err)
	return ok && e.Kind == k
}

// Fields collects field errors so validation reports every problem at once.
type Fields []FieldError

// Add records one invalid field.
func (f *Fields) Add(field, code, message string) {
	*f = append(*f, FieldError{Field: field, Code: code, Message: message})
}

// Err returns nil when no field is invalid, else an Invalid error listing them.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	msg := "1 field is invalid"
	if len(f) > 1 {
		msg = fmt.Sprintf("%d fields are invalid", len(f))
	}
	return &Error{Kind: Invalid, Message: msg, Fields: f}
}
