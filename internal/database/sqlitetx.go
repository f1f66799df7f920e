package database

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// immediatePool is the SQLite pool GORM uses. It begins every transaction
// with BEGIN IMMEDIATE, taking the write lock up front, so that two
// read-then-write transactions queue on busy_timeout instead of one failing
// with SQLITE_BUSY when it tries to upgrade its read lock. The driver's own
// _txlock=immediate is unusable with _time_format: glebarez/go-sqlite v1.21
// stops reading DSN parameters after _time_format.
type immediatePool struct {
	*sql.DB
	busy time.Duration // the longest wait for the write lock
}

var _ gorm.ConnPoolBeginner = immediatePool{}

// GetDBConn lets gorm.DB.DB() return the pool.
func (p immediatePool) GetDBConn() (*sql.DB, error) { return p.DB, nil }

// BeginTx implements gorm.ConnPoolBeginner on one connection of the pool.
// SQLite's wait for the write lock ignores the context, so the wait is
// bounded by the context's deadline through busy_timeout instead.
func (p immediatePool) BeginTx(ctx context.Context, _ *sql.TxOptions) (gorm.ConnPool, error) {
	conn, err := p.DB.Conn(ctx)
	if err != nil {
		return nil, err
	}
	wait := p.busy
	if d, ok := ctx.Deadline(); ok {
		wait = max(min(wait, time.Until(d)), time.Millisecond)
	}
	if _, err := conn.ExecContext(ctx, "PRAGMA busy_timeout = "+strconv.FormatInt(wait.Milliseconds(), 10)); err != nil {
		_ = conn.Close()
		return nil, err
	}
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		_ = conn.Close() // a failed BEGIN leaves no transaction behind
		return nil, err
	}
	return &immediateTx{Conn: conn, busy: p.busy}, nil
}

// immediateTx is a transaction on one connection; it implements
// gorm.ConnPool and gorm.TxCommitter.
type immediateTx struct {
	*sql.Conn
	busy time.Duration // restored when the transaction ends
}

// endTimeout bounds COMMIT and ROLLBACK, which run even when the request's
// context is already done: a connection must never go back to the pool in
// the middle of a transaction.
const endTimeout = 5 * time.Second

func (t *immediateTx) Commit() error {
	ctx, cancel := context.WithTimeout(context.Background(), endTimeout)
	defer cancel()
	if _, err := t.Conn.ExecContext(ctx, "COMMIT"); err != nil {
		// A failed COMMIT (SQLITE_BUSY, SQLITE_FULL) leaves the transaction open.
		return errors.Join(err, t.Rollback())
	}
	return t.release(ctx)
}

func (t *immediateTx) Rollback() error {
	ctx, cancel := context.WithTimeout(context.Background(), endTimeout)
	defer cancel()
	if _, err := t.Conn.ExecContext(ctx, "ROLLBACK"); err != nil && !strings.Contains(err.Error(), "no transaction is active") {
		discard(t.Conn)
		return err
	}
	// SQLite itself rolls back on SQLITE_FULL, SQLITE_IOERR and the like;
	// the connection is then fine without a transaction.
	return t.release(ctx)
}

// release restores the pool's busy_timeout, which BeginTx shortened to the
// deadline, and returns the connection to the pool.
func (t *immediateTx) release(ctx context.Context) error {
	if _, err := t.Conn.ExecContext(ctx, "PRAGMA busy_timeout = "+strconv.FormatInt(t.busy.Milliseconds(), 10)); err != nil {
		discard(t.Conn)
		return nil // the transaction itself ended; a fresh connection gets the DSN's timeout
	}
	return t.Conn.Close()
}

// discard closes conn's driver connection instead of returning it to the
// pool, whatever state it is in.
func discard(conn *sql.Conn) {
	_ = conn.Raw(func(any) error { return driver.ErrBadConn })
	_ = conn.Close()
}
