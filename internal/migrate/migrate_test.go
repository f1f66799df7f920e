package migrate_test

import (
	"context"
	"testing"

	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
	"github.com/verdict-cms/verdict/internal/migrate"
)

// TestUpDownUp applies every migration to an empty database, rolls all of
// them back, and applies them again, on both dialects.
func TestUpDownUp(t *testing.T) {
	for _, tc := range []struct {
		name string
		open func(t *testing.T) *database.DB
	}{
		{"sqlite", func(t *testing.T) *database.DB {
			db, err := database.Open(context.Background(), database.Options{SQLitePath: t.TempDir() + "/m.db", MaxOpenConns: 1, MaxIdleConns: 1})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		}},
		{"postgres", func(t *testing.T) *database.DB {
			db, err := database.Open(context.Background(), database.Options{URL: dbtest.PostgresURL(t, false), MaxOpenConns: 2, MaxIdleConns: 1})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			db := tc.open(t)
			m, err := migrate.New(db)
			if err != nil {
				t.Fatal(err)
			}
			st, err := m.Status(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(st) == 0 {
				t.Fatal("no migrations found")
			}
			for _, s := range st {
				if s.Applied {
					t.Fatalf("migration %d applied on an empty database", s.Version)
				}
			}
			up, err := m.Up(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(up) != len(st) {
				t.Fatalf("applied %d migrations, want %d", len(up), len(st))
			}
			assertTable(t, db, "users", true)
			if err := m.DownTo(ctx, 0); err != nil {
				t.Fatal(err)
			}
			assertTable(t, db, "users", false)
			if _, err := m.Up(ctx); err != nil {
				t.Fatalf("up after down: %v", err)
			}
			st, err = m.Status(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range st {
				if !s.Applied {
					t.Fatalf("migration %d pending after up", s.Version)
				}
			}
		})
	}
}

func assertTable(t *testing.T, db *database.DB, name string, want bool) {
	t.Helper()
	if got := db.Migrator().HasTable(name); got != want {
		t.Fatalf("table %s exists=%v, want %v", name, got, want)
	}
}

// TestConcurrentUp starts two migrators on one PostgreSQL schema at once, as
// two Verdict instances would: the advisory lock serialises them and both
// finish with every migration applied exactly once.
func TestConcurrentUp(t *testing.T) {
	u := dbtest.PostgresURL(t, false)
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			db, err := database.Open(context.Background(), database.Options{URL: u, MaxOpenConns: 2, MaxIdleConns: 1})
			if err != nil {
				errs <- err
				return
			}
			defer db.Close()
			m, err := migrate.New(db)
			if err != nil {
				errs <- err
				return
			}
			_, err = m.Up(context.Background())
			errs <- err
		}()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	db, err := database.Open(context.Background(), database.Options{URL: u, MaxOpenConns: 1, MaxIdleConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var dupes int64
	if err := db.Raw("SELECT COUNT(*) FROM (SELECT version_id FROM goose_db_version GROUP BY version_id HAVING COUNT(*) > 1) d").Scan(&dupes).Error; err != nil {
		t.Fatal(err)
	}
	if dupes != 0 {
		t.Fatalf("%d migrations were recorded twice", dupes)
	}
}
