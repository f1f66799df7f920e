package database

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"syscall"

	"gorm.io/gorm"
)

// errProbeRollback ends the readiness write probe without committing it.
var errProbeRollback = errors.New("database: readiness probe rolled back")

// Ready reports whether the database can serve requests, writes included:
// a SQLite file that is full or read-only still answers pings, so readiness
// also tries a write (in a transaction that is rolled back) and checks the
// free space beside the file. On PostgreSQL it pings and refuses a
// read-only session (a standby, or default_transaction_read_only).
func (db *DB) Ready(ctx context.Context) error {
	if err := db.Ping(ctx); err != nil {
		return fmt.Errorf("database: ping: %w", err)
	}
	if db.Dialect == Postgres {
		var ro string
		if err := db.WithContext(ctx).Raw("SHOW transaction_read_only").Scan(&ro).Error; err != nil {
			return fmt.Errorf("database: read-only check: %w", err)
		}
		if ro == "on" {
			return fmt.Errorf("database: session is read-only: %w", syscall.EROFS)
		}
		return nil
	}
	if db.path != "" {
		if err := diskSpace(filepath.Dir(db.path)); err != nil {
			return err
		}
	}
	// Creating a table allocates a page, so a database at its page limit
	// fails here as it would on the next real write; a read-only file
	// fails on any write.
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec("CREATE TABLE verdict_ready_probe (b BLOB)").Error; err != nil {
			return err
		}
		if err := tx.Exec("INSERT INTO verdict_ready_probe (b) VALUES (zeroblob(8192))").Error; err != nil {
			return err
		}
		return errProbeRollback
	})
	if err != nil && !errors.Is(err, errProbeRollback) {
		return fmt.Errorf("database: write probe: %w", err)
	}
	return nil
}
