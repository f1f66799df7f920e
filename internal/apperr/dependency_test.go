package apperr_test

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/verdict-cms/verdict/internal/apperr"
)

func TestDependency(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want string // "" means not a dependency failure
	}{
		{"unexpected EOF mid-query", fmt.Errorf("store: find guide: %w", io.ErrUnexpectedEOF), "the database is unavailable"},
		{"connection reset", &wrapped{syscall.ECONNRESET}, "the database is unavailable"},
		{"bad connection", driver.ErrBadConn, "the database is unavailable"},
		{"request deadline", fmt.Errorf("query: %w", context.DeadlineExceeded), "the database did not answer in time"},
		{"admin shutdown 57P01", &pgconn.PgError{Code: "57P01"}, "the database is unavailable"},
		{"connection failure 08006", &pgconn.PgError{Code: "08006"}, "the database is unavailable"},
		{"too many connections 53300", &pgconn.PgError{Code: "53300"}, "the database is unavailable"},
		{"disk full 53100", &pgconn.PgError{Code: "53100"}, "the database disk is full"},
		{"statement timeout 57014", &pgconn.PgError{Code: "57014"}, "the database did not answer in time"},
		{"read-only transaction 25006", &pgconn.PgError{Code: "25006"}, "the database is read-only"},
		{"no space left", fmt.Errorf("write: %w", syscall.ENOSPC), "the database disk is full"},
		{"unique violation", &pgconn.PgError{Code: "23505"}, ""},
		{"plain error", errors.New("boom"), ""},
		{"client error", apperr.New(apperr.Invalid, "bad"), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := apperr.Dependency(tc.err)
			if tc.want == "" {
				if e != nil {
					t.Fatalf("Dependency(%v) = %v, want nil", tc.err, e)
				}
				return
			}
			if e == nil || e.Kind != apperr.Unavailable || e.Message != tc.want || e.RetryAfter <= 0 || !errors.Is(e, tc.err) {
				t.Fatalf("Dependency(%v) = %+v, want Unavailable %q with Retry-After", tc.err, e, tc.want)
			}
		})
	}
}

type wrapped struct{ err error }

func (w *wrapped) Error() string { return "read tcp: " + w.err.Error() }
func (w *wrapped) Unwrap() error { return w.err }
