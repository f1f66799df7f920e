package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/auth"
	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
	"github.com/verdict-cms/verdict/internal/id"
	"github.com/verdict-cms/verdict/internal/store"
)

func TestThrottleWindows(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
		th := store.NewThrottle(store.New(db), func() time.Time { return now })
		const w = time.Minute

		if n, _, err := th.Peek(ctx, "k", w); err != nil || n != 0 {
			t.Fatalf("peek empty: %d, %v", n, err)
		}
		for want := 1; want <= 3; want++ {
			n, end, err := th.Hit(ctx, "k", w)
			if err != nil || n != want || !end.Equal(now.Add(w)) {
				t.Fatalf("hit %d: n=%d end=%v err=%v", want, n, end, err)
			}
		}
		if n, _, _ := th.Peek(ctx, "k", w); n != 3 {
			t.Fatalf("peek=%d, want 3", n)
		}
		if n, _, _ := th.Peek(ctx, "other", w); n != 0 {
			t.Fatalf("keys leak into each other: %d", n)
		}
		now = now.Add(w) // the window has ended: counting starts again
		if n, _, _ := th.Peek(ctx, "k", w); n != 0 {
			t.Fatalf("peek after window=%d, want 0", n)
		}
		if n, end, _ := th.Hit(ctx, "k", w); n != 1 || !end.Equal(now.Add(w)) {
			t.Fatalf("hit after window: n=%d end=%v", n, end)
		}
		if err := th.Reset(ctx, "k"); err != nil {
			t.Fatal(err)
		}
		if n, _, _ := th.Peek(ctx, "k", w); n != 0 {
			t.Fatalf("peek after reset=%d", n)
		}
	})
}

// TestThrottleUndo: a hit is taken back within its window, never below zero,
// and never in a window that has ended.
func TestThrottleUndo(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
		th := store.NewThrottle(store.New(db), func() time.Time { return now })
		const w = time.Minute
		for range 2 {
			if _, _, err := th.Hit(ctx, "k", w); err != nil {
				t.Fatal(err)
			}
		}
		for range 3 {
			if err := th.Undo(ctx, "k", w); err != nil {
				t.Fatal(err)
			}
		}
		if n, _, _ := th.Peek(ctx, "k", w); n != 0 {
			t.Fatalf("after undo: %d, want 0", n)
		}
		if err := th.Undo(ctx, "missing", w); err != nil {
			t.Fatalf("undo of a missing key: %v", err)
		}
		if n, _, _ := th.Hit(ctx, "k", w); n != 1 {
			t.Fatalf("hit after undo = %d, want 1", n)
		}
	})
}

// TestThrottleConcurrentHits checks that hits from many connections at once
// are all counted: the counter is one atomic upsert, not read-then-write.
func TestThrottleConcurrentHits(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		th := store.NewThrottle(store.New(db), func() time.Time { return time.Now().UTC() })
		var wg sync.WaitGroup
		for range 40 {
			wg.Go(func() {
				if _, _, err := th.Hit(context.Background(), "busy", time.Hour); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if n, _, _ := th.Peek(context.Background(), "busy", time.Hour); n != 40 {
			t.Fatalf("counted %d of 40 hits", n)
		}
	})
}

func TestAuthStoreErrors(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		st := store.AuthStore{Store: store.New(db)}
		now := time.Now().UTC()
		u := &auth.User{ID: id.New(), Email: "a@example.com", Role: auth.RoleEditor, PasswordHash: "x", Version: 1, CreatedAt: now, UpdatedAt: now}
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		dup := *u
		dup.ID = id.New()
		if err := st.CreateUser(ctx, &dup); !apperr.IsKind(err, apperr.Conflict) {
			t.Fatalf("duplicate email: %v, want Conflict", err)
		}
		if _, err := st.FindUserByID(ctx, id.New()); !apperr.IsKind(err, apperr.NotFound) {
			t.Fatalf("missing user: %v, want NotFound", err)
		}
		got, err := st.FindUserByEmail(ctx, "a@example.com")
		if err != nil || got.ID != u.ID || got.CreatedAt.Sub(now).Abs() > time.Microsecond {
			t.Fatalf("find: %+v, %v", got, err)
		}
		got.Name = "first"
		if err := st.UpdateUser(ctx, got, 1); err != nil || got.Version != 2 {
			t.Fatalf("update: version=%d err=%v", got.Version, err)
		}
		got.Name = "stale"
		err = st.UpdateUser(ctx, got, 1)
		if e, ok := apperr.As(err); !ok || e.Kind != apperr.Conflict || e.Extra["current_version"] != 2 {
			t.Fatalf("stale update: %v", err)
		}
		// A failed transaction leaves nothing behind.
		err = st.InTx(ctx, func(tx auth.Store) error {
			v := *u
			v.ID, v.Email = id.New(), "b@example.com"
			if err := tx.CreateUser(ctx, &v); err != nil {
				return err
			}
			return apperr.New(apperr.Invalid, "abort")
		})
		if !apperr.IsKind(err, apperr.Invalid) {
			t.Fatalf("InTx returned %v", err)
		}
		if _, err := st.FindUserByEmail(ctx, "b@example.com"); !apperr.IsKind(err, apperr.NotFound) {
			t.Fatal("a rolled-back user was stored")
		}
	})
}
