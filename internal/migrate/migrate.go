// Package migrate applies the embedded SQL migrations with goose, each in its
// own transaction. On PostgreSQL a session advisory lock makes concurrent
// starts of several instances safe.
package migrate

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
	"io/fs"
	"time"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/migrations"
)

// Migrator runs migrations against one database.
type Migrator struct {
	p *goose.Provider
}

// New builds a Migrator for db's dialect.
func New(db *database.DB) (*Migrator, error) {
	sqlDB, err := db.DB.DB()
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	fsys, err := fs.Sub(migrations.FS, string(db.Dialect))
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	dialect := goose.DialectSQLite3
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true)}
	if db.Dialect == database.Postgres {
		dialect = goose.DialectPostgres
		lockID, err := schemaLockID(sqlDB)
		if err != nil {
			return nil, err
		}
		// One lock per schema: instances sharing a schema wait for each
		// other; installs in other schemas of the same database do not.
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(lockID), lock.WithLockTimeout(1, 300))
		if err != nil {
			return nil, fmt.Errorf("migrate: locker: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(dialect, sqlDB, fsys, opts...)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	return &Migrator{p: p}, nil
}

func schemaLockID(db *sql.DB) (int64, error) {
	var schema string
	if err := db.QueryRow("SELECT current_schema()").Scan(&schema); err != nil {
		return 0, fmt.Errorf("migrate: current schema: %w", err)
	}
	h := fnv.New64a()
	h.Write([]byte("verdict-migrate:" + schema))
	return int64(h.Sum64() >> 1), nil
}

// Result is one applied or rolled-back migration.
type Result struct {
	Version  int64
	Name     string
	Duration time.Duration
}

// Up applies every pending migration.
func (m *Migrator) Up(ctx context.Context) ([]Result, error) {
	rs, err := m.p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate up: %w", err)
	}
	out := make([]Result, 0, len(rs))
	for _, r := range rs {
		out = append(out, toResult(r))
	}
	return out, nil
}

// Down rolls back the most recent migration.
func (m *Migrator) Down(ctx context.Context) (Result, error) {
	r, err := m.p.Down(ctx)
	if err != nil {
		return Result{}, fmt.Errorf("migrate down: %w", err)
	}
	return toResult(r), nil
}

// DownTo rolls back every migration above version (0: all of them).
func (m *Migrator) DownTo(ctx context.Context, version int64) error {
	if _, err := m.p.DownTo(ctx, version); err != nil {
		return fmt.Errorf("migrate down to %d: %w", version, err)
	}
	return nil
}

// Status is one migration's state.
type Status struct {
	Version   int64
	Name      string
	Applied   bool
	AppliedAt time.Time
}

// Status lists every known migration, applied or pending.
func (m *Migrator) Status(ctx context.Context) ([]Status, error) {
	ss, err := m.p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate status: %w", err)
	}
	out := make([]Status, 0, len(ss))
	for _, s := range ss {
		out = append(out, Status{
			Version:   s.Source.Version,
			Name:      s.Source.Path,
			Applied:   s.State == goose.StateApplied,
			AppliedAt: s.AppliedAt,
		})
	}
	return out, nil
}

func toResult(r *goose.MigrationResult) Result {
	if r == nil || r.Source == nil {
		return Result{}
	}
	return Result{Version: r.Source.Version, Name: r.Source.Path, Duration: r.Duration}
}
