// Package store implements the domain stores with GORM on SQLite and
// PostgreSQL, converting between models rows and domain types.
package store

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/database"
)

// Store is the GORM-backed store. Its zero transaction state is the pool;
// InTx hands callbacks a Store bound to one transaction.
type Store struct {
	db      *gorm.DB
	dialect database.Dialect
	channel string
	// inTxn marks a Store bound to a transaction.
	inTxn bool
	// rare remembers PostgreSQL searches too rare for the newest guides.
	rare rareSearches
}

// New returns a Store on db.
func New(db *database.DB) *Store {
	return &Store{db: db.DB, dialect: db.Dialect, channel: db.ContentChannel(), rare: newRareSearches()}
}

func (s *Store) withTx(tx *gorm.DB) *Store {
	return &Store{db: tx, dialect: s.dialect, channel: s.channel, inTxn: true, rare: s.rare}
}

// inTx runs fn in a transaction, or inside the current one.
func (s *Store) inTx(ctx context.Context, fn func(*Store) error) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(s.withTx(tx))
	})
	if _, ok := apperr.As(err); ok {
		return err
	}
	return dbError("transaction", err)
}

// forUpdate locks selected rows on PostgreSQL. SQLite needs no row lock:
// its transactions begin IMMEDIATE and so already hold the write lock.
func (s *Store) forUpdate(q *gorm.DB) *gorm.DB {
	if s.dialect == database.Postgres {
		return q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	return q
}

// dbError maps driver errors to what the client can act on: missing rows are
// NotFound, unique violations Conflict, a database that cannot be reached,
// is full or read-only Unavailable (apperr.Dependency knows which).
// Everything else stays an internal error with context.
func dbError(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return apperr.Wrap(apperr.NotFound, err, "not found")
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return apperr.Wrap(apperr.Conflict, err, "already exists")
	case errors.Is(err, gorm.ErrForeignKeyViolated):
		return apperr.Wrap(apperr.Conflict, err, "still referenced")
	}
	if _, ok := apperr.As(err); ok {
		return err
	}
	if e := apperr.Dependency(err); e != nil {
		e.Err = fmt.Errorf("store: %s: %w", op, err)
		return e
	}
	return fmt.Errorf("store: %s: %w", op, err)
}

// notFound turns a missing row into a NotFound error that names the thing.
func notFound(err error, what string) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return apperr.Wrap(apperr.NotFound, err, "no such %s", what)
	}
	return dbError("find "+what, err)
}

// versioned completes a version-guarded UPDATE of a what: no row touched
// means it is gone (NotFound) or was saved by someone else since it was
// read (Conflict carrying the current version).
func (s *Store) versioned(ctx context.Context, res *gorm.DB, what string, model any, id string) error {
	if res.Error != nil {
		return dbError("update "+what, res.Error)
	}
	if res.RowsAffected > 0 {
		return nil
	}
	var cur struct{ Version int }
	if err := s.db.WithContext(ctx).Model(model).Select("version").Where("id = ?", id).Take(&cur).Error; err != nil {
		return notFound(err, what)
	}
	c := apperr.New(apperr.Conflict, "the %s was changed by someone else since you loaded it; reload and try again", what)
	c.Extra = map[string]any{"current_version": cur.Version}
	return c
}

// mustAffect returns a NotFound error when an update touched no row.
func mustAffect(res *gorm.DB, op, what string) error {
	if res.Error != nil {
		return dbError(op, res.Error)
	}
	if res.RowsAffected == 0 {
		return apperr.New(apperr.NotFound, "no such %s", what)
	}
	return nil
}

// scanColumn runs q, a query of one column, and reads it (size is a
// capacity hint).
func scanColumn[T any](q *gorm.DB, size int) ([]T, error) {
	return scanRows(q, size, func(v *T) []any { return []any{v} })
}

// scanRows runs q and reads each row into a T, through the destinations
// dest gives for it: by hand, as GORM's reflection costs more than the
// query on the paths that use it (size is a capacity hint).
func scanRows[T any](q *gorm.DB, size int, dest func(*T) []any) ([]T, error) {
	rows, err := q.Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]T, 0, size)
	for rows.Next() {
		var v T
		if err := rows.Scan(dest(&v)...); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
