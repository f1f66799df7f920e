package httpapi_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/verdict-cms/verdict/internal/auth"
	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
)

// TestLastAdminSurvivesMutualDemotion: two admins demote (or disable) each
// other at the same moment, many times over; an active admin always remains.
func TestLastAdminSurvivesMutualDemotion(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		for round := range 10 {
			a := e.user(fmt.Sprintf("a%d@example.com", round), auth.RoleAdmin)
			b := e.user(fmt.Sprintf("b%d@example.com", round), auth.RoleAdmin)
			// Leave exactly these two admins active.
			users, err := e.auth.Users(ctx, auth.UserFilter{Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range users {
				if u.ID != a.ID && u.ID != b.ID && u.Role == auth.RoleAdmin && !u.Disabled() {
					if _, err := e.auth.UpdateUser(ctx, u.ID, auth.UserUpdate{Role: auth.RoleEditor}, u.Version); err != nil {
						t.Fatal(err)
					}
				}
			}
			var (
				wg    sync.WaitGroup
				start = make(chan struct{})
			)
			for _, tc := range []struct {
				target *auth.User
				upd    auth.UserUpdate
			}{{a, auth.UserUpdate{Role: auth.RoleEditor}}, {b, auth.UserUpdate{Role: auth.RoleAdmin, Disabled: true}}} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					_, _ = e.auth.UpdateUser(ctx, tc.target.ID, tc.upd, tc.target.Version)
				}()
			}
			close(start)
			wg.Wait()
			if ok, err := e.auth.HasAdmin(ctx); err != nil || !ok {
				t.Fatalf("round %d: no active admin left (err %v)", round, err)
			}
		}
	})
}
