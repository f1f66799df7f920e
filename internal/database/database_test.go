package database_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
)

// TestSQLiteTransactionsAreImmediate: a transaction holds the write lock
// from BEGIN, so a writer on another connection cannot slip in between its
// read and its write (which would fail the transaction with SQLITE_BUSY).
func TestSQLiteTransactionsAreImmediate(t *testing.T) {
	ctx := context.Background()
	db := openSQLite(t)
	if err := db.Exec("CREATE TABLE a (x INTEGER)").Error; err != nil {
		t.Fatal(err)
	}
	sqlDB, err := db.DB.DB()
	if err != nil {
		t.Fatal(err)
	}
	err = db.Transaction(func(tx *gorm.DB) error {
		var n int
		if err := tx.Raw("SELECT count(*) FROM a").Scan(&n).Error; err != nil {
			return err
		}
		other, err := sqlDB.Conn(ctx)
		if err != nil {
			return err
		}
		defer other.Close()
		if _, err := other.ExecContext(ctx, "PRAGMA busy_timeout = 0"); err != nil {
			return err
		}
		if _, err := other.ExecContext(ctx, "INSERT INTO a VALUES (1)"); err == nil {
			t.Error("another connection wrote while a transaction was open: transactions begin DEFERRED")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestSQLiteBusyWaitEndsAtDeadline: a transaction waiting for the write
// lock gives up when its context's deadline passes, not after the 10s
// busy_timeout, so a request's deadline bounds its database time on SQLite too.
func TestSQLiteBusyWaitEndsAtDeadline(t *testing.T) {
	ctx := context.Background()
	db := openSQLite(t)
	held := make(chan struct{})
	release := make(chan struct{})
	go func() {
		_ = db.Transaction(func(tx *gorm.DB) error {
			close(held)
			<-release
			return nil
		})
	}()
	<-held
	defer close(release)
	deadline, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := db.WithContext(deadline).Transaction(func(tx *gorm.DB) error { return nil })
	if took := time.Since(start); err == nil || took > time.Second {
		t.Fatalf("waited %v for the write lock (err %v), want an error within the 300ms deadline", took, err)
	}
	if e := apperr.Dependency(err); e == nil || e.Kind != apperr.Unavailable {
		t.Fatalf("SQLITE_BUSY after the wait is %v, want Unavailable (503)", err)
	}
}

func openSQLite(t *testing.T) *database.DB {
	t.Helper()
	db, err := database.Open(context.Background(), database.Options{SQLitePath: filepath.Join(t.TempDir(), "v.db"), MaxOpenConns: 2, MaxIdleConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// TestPostgresStatementTimeout: the server stops a statement that runs past
// StatementTimeout, and the error is a 503, not a 500.
func TestPostgresStatementTimeout(t *testing.T) {
	db, err := database.Open(context.Background(), database.Options{URL: dbtest.PostgresURL(t, false), MaxOpenConns: 1, MaxIdleConns: 1,
		StatementTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	start := time.Now()
	err = db.Exec("SELECT pg_sleep(5)").Error
	if took := time.Since(start); err == nil || took > 2*time.Second {
		t.Fatalf("pg_sleep(5) under a 100ms statement_timeout: %v after %v", err, took)
	}
	if e := apperr.Dependency(err); e == nil {
		t.Fatalf("statement timeout %v is not a dependency failure", err)
	}
}
