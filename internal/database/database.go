// Package database opens Verdict's database: an embedded SQLite file (pure Go,
// no cgo) by default, PostgreSQL for postgres:// URLs.
package database

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialect names the SQL dialect of an open database.
type Dialect string

// The supported dialects; they name the migrations/ directories too.
const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// Options configures Open.
type Options struct {
	// URL is a postgres:// URL; empty means SQLite at SQLitePath.
	URL             string
	SQLitePath      string
	MaxOpenConns    int
	MaxIdleConns    int
	ConnMaxLifetime time.Duration
	// ConnectTimeout bounds dialing PostgreSQL (default 5s), so that a
	// frozen server fails a request instead of hanging it.
	ConnectTimeout time.Duration
	// BusyTimeout is how long a SQLite write waits for the write lock
	// (default 10s); a transaction waits no longer than its context's deadline.
	BusyTimeout time.Duration
	// StatementTimeout is PostgreSQL's statement_timeout; 0 leaves the
	// server's. It stops queries that no client waits for any more.
	StatementTimeout time.Duration
}

// DB is an open database and its dialect.
type DB struct {
	*gorm.DB
	Dialect Dialect
	// Schema is PostgreSQL's current schema ("" on SQLite). Instances that
	// share it share content; it names their notification channel.
	Schema string
	path   string // the SQLite file, for readiness checks
}

// ContentChannel is the LISTEN/NOTIFY channel on which instances of one
// schema announce published-content changes.
func (db *DB) ContentChannel() string {
	return "verdict_content_" + db.Schema
}

// Open connects and pings the database.
func Open(ctx context.Context, o Options) (*DB, error) {
	var (
		dial    gorm.Dialector
		dialect Dialect
	)
	if o.URL != "" {
		dial, dialect = postgres.Open(withTimeouts(o)), Postgres
	} else {
		if err := os.MkdirAll(filepath.Dir(o.SQLitePath), 0o750); err != nil {
			return nil, fmt.Errorf("database: create data dir: %w", err)
		}
		busy := o.BusyTimeout
		if busy <= 0 {
			busy = 10 * time.Second
		}
		sqlDB, err := sql.Open(sqlite.DriverName, SQLiteDSN(o.SQLitePath, busy))
		if err != nil {
			return nil, fmt.Errorf("database: open sqlite: %w", err)
		}
		dial, dialect = sqlite.Dialector{Conn: immediatePool{DB: sqlDB, busy: busy}}, SQLite
	}
	gdb, err := gorm.Open(dial, &gorm.Config{
		Logger:                 logger.Discard,
		NowFunc:                func() time.Time { return time.Now().UTC() },
		TranslateError:         true,
		SkipDefaultTransaction: true,
		PrepareStmt:            false,
	})
	if err != nil {
		return nil, fmt.Errorf("database: open %s: %w", dialect, err)
	}
	sqlDB, err := gdb.DB()
	if err != nil {
		return nil, fmt.Errorf("database: pool: %w", err)
	}
	sqlDB.SetMaxOpenConns(o.MaxOpenConns)
	sqlDB.SetMaxIdleConns(o.MaxIdleConns)
	sqlDB.SetConnMaxLifetime(o.ConnMaxLifetime)
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pingCtx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("database: ping %s: %w", dialect, err)
	}
	d := &DB{DB: gdb, Dialect: dialect}
	if dialect == SQLite {
		d.path = o.SQLitePath
	}
	if dialect == Postgres {
		if err := gdb.WithContext(ctx).Raw("SELECT current_schema()").Scan(&d.Schema).Error; err != nil {
			_ = sqlDB.Close()
			return nil, fmt.Errorf("database: current schema: %w", err)
		}
	}
	return d, nil
}

// withTimeouts adds connect_timeout and statement_timeout to a PostgreSQL
// URL unless it sets them itself. pgx sends unknown parameters such as
// statement_timeout to the server as session settings.
func withTimeouts(o Options) string {
	u, err := url.Parse(o.URL)
	if err != nil {
		return o.URL // pgx reports the bad URL
	}
	q := u.Query()
	connect := o.ConnectTimeout
	if connect <= 0 {
		connect = 5 * time.Second
	}
	if !q.Has("connect_timeout") {
		q.Set("connect_timeout", strconv.Itoa(max(1, int(connect.Seconds()))))
	}
	if o.StatementTimeout > 0 && !q.Has("statement_timeout") {
		q.Set("statement_timeout", strconv.FormatInt(o.StatementTimeout.Milliseconds(), 10))
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// SQLiteDSN is the connection string for a SQLite file. WAL lets readers run
// beside the one writer; busy_timeout makes writers wait instead of failing;
// the sqlite time format with UTC everywhere keeps stored times in
// chronological string order. Transactions begin IMMEDIATE (immediatePool):
// the driver ignores _txlock after _time_format.
func SQLiteDSN(path string, busy time.Duration) string {
	return "file:" + path +
		"?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(" + strconv.FormatInt(busy.Milliseconds(), 10) + ")" +
		"&_pragma=synchronous(NORMAL)&_time_format=sqlite"
}

// Close closes the pool.
func (db *DB) Close() error {
	sqlDB, err := db.DB.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	sqlDB, err := db.DB.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}
