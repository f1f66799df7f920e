package apperr

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"syscall"
	"time"
)

// RetryAfterDependency is the Retry-After sent when a dependency is down:
// long enough for a restarted database or a drained pool to come back.
const RetryAfterDependency = 5 * time.Second

// Dependency returns err as an Unavailable error when its chain says that a
// dependency (the database, the network to it) is unreachable, exhausted,
// full, read-only or too slow, and nil otherwise. It is the one place that
// knows these causes, so that the store and the HTTP error handler agree
// that they are 503s and never 500s. The drivers are recognised by the
// methods their errors carry, so this package imports none of them.
func Dependency(err error) *Error {
	if err == nil {
		return nil
	}
	if e, ok := As(err); ok {
		if e.Kind == Unavailable {
			return e
		}
		return nil
	}
	reason := dependencyReason(err)
	if reason == "" {
		return nil
	}
	return &Error{Kind: Unavailable, Message: reason, RetryAfter: RetryAfterDependency, Err: err}
}

// Client-safe reasons, also what /readyz reports.
const (
	reasonDown     = "the database is unavailable"
	reasonTimeout  = "the database did not answer in time"
	reasonBusy     = "the database is busy"
	reasonFull     = "the database disk is full"
	reasonReadOnly = "the database is read-only"
)

func dependencyReason(err error) string {
	var (
		sqlState  interface{ SQLState() string }
		liteCode  interface{ Code() int }
		retryable interface{ SafeToRetry() bool }
		netErr    net.Error
	)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return reasonTimeout
	case errors.Is(err, context.Canceled):
		return reasonDown // the client left or the server is stopping
	case errors.As(err, &sqlState):
		return pgReason(sqlState.SQLState())
	case errors.As(err, &liteCode):
		return sqliteReason(liteCode.Code())
	case errors.Is(err, syscall.ENOSPC):
		return reasonFull
	case errors.Is(err, syscall.EROFS):
		return reasonReadOnly
	case errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF), errors.Is(err, net.ErrClosed),
		errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.EPIPE):
		return reasonDown
	case errors.As(err, &netErr):
		if netErr.Timeout() {
			return reasonTimeout
		}
		return reasonDown
	case errors.As(err, &retryable) && retryable.SafeToRetry():
		return reasonDown // pgconn: the connection was closed or never sent the query
	}
	return ""
}

// pgReason classifies a PostgreSQL SQLSTATE.
func pgReason(code string) string {
	if len(code) != 5 {
		return ""
	}
	switch {
	case code == "53100": // disk_full
		return reasonFull
	case code == "25006": // read_only_sql_transaction: a standby or a read-only default
		return reasonReadOnly
	case code == "57014", code == "55P03": // statement_timeout, lock_timeout
		return reasonTimeout
	case code == "40001", code == "40P01": // serialization failure, deadlock: retrying succeeds
		return reasonBusy
	case code[:2] == "08", code[:4] == "57P0", code[:2] == "53":
		// Connection exceptions; admin shutdown, crash shutdown, cannot
		// connect now; insufficient resources such as too many connections.
		return reasonDown
	}
	return ""
}

// sqliteReason classifies a SQLite result code by its primary code.
func sqliteReason(code int) string {
	switch code & 0xff {
	case 5, 6: // SQLITE_BUSY after the busy timeout, SQLITE_LOCKED
		return reasonBusy
	case 13: // SQLITE_FULL: the disk, or max_page_count
		return reasonFull
	case 8: // SQLITE_READONLY
		return reasonReadOnly
	case 10, 14: // SQLITE_IOERR, SQLITE_CANTOPEN
		return reasonDown
	}
	return ""
}
