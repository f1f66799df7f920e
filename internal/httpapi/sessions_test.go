package httpapi_test

import (
	"net/http"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/verdict-cms/verdict/internal/auth"
	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
)

func (e *testEnv) refresh(tok string) response {
	e.t.Helper()
	return e.do("POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": tok})
}

func (e *testEnv) changePassword(access, current, next string) response {
	e.t.Helper()
	return e.do("POST", "/api/v1/auth/password", access, map[string]string{"current_password": current, "new_password": next})
}

func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		other := newEnv(t, db) // a second instance on the same database
		e.user("ada@example.com", auth.RoleEditor)
		admin := e.user("root@example.com", auth.RoleAdmin)
		here, there := e.login("ada@example.com"), e.login("ada@example.com")

		var fresh tokens
		e.changePassword(here.AccessToken, "correct horse battery", "a much better passphrase").wantStatus(200).decode(&fresh)
		if fresh.TokenType != "Bearer" || fresh.ExpiresIn != 900 || fresh.AccessToken == "" || fresh.RefreshToken == "" {
			t.Fatalf("token response = %+v", fresh)
		}
		// Every earlier token is refused, on this instance and the other,
		// though the clock has not moved.
		for _, env := range []*testEnv{e, other} {
			for _, old := range []tokens{here, there} {
				env.do("GET", "/api/v1/auth/me", old.AccessToken, nil).problem(http.StatusUnauthorized)
			}
			env.do("GET", "/api/v1/auth/me", fresh.AccessToken, nil).wantStatus(200)
		}
		e.refresh(here.RefreshToken).problem(http.StatusUnauthorized)
		e.refresh(there.RefreshToken).problem(http.StatusUnauthorized)
		e.refresh(fresh.RefreshToken).wantStatus(200)

		e.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "ada@example.com", "password": "correct horse battery"}).problem(401)
		e.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "ada@example.com", "password": "a much better passphrase"}).wantStatus(200)

		var audit struct {
			Data []struct {
				ActorID *string `json:"actor_id"`
			} `json:"data"`
		}
		e.do("GET", "/api/v1/admin/audit?action=auth.password_changed", e.login(admin.Email).AccessToken, nil).wantStatus(200).decode(&audit)
		if len(audit.Data) != 1 || audit.Data[0].ActorID == nil {
			t.Fatalf("audit = %+v, want one entry with its actor", audit.Data)
		}
	})
}

func TestPasswordChange400(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		e.user("ada@example.com", auth.RoleEditor)
		tk := e.login("ada@example.com")
		for _, tc := range []struct {
			name   string
			body   any
			fields []string
			codes  []string
		}{
			{"wrong current", map[string]string{"current_password": "not my password", "new_password": "a much better passphrase"}, []string{"current_password"}, []string{"incorrect"}},
			{"weak new", map[string]string{"current_password": "correct horse battery", "new_password": "short"}, []string{"new_password"}, []string{"invalid"}},
			{"too long new", map[string]string{"current_password": "correct horse battery", "new_password": string(make([]byte, 73))}, []string{"new_password"}, []string{"invalid"}},
			{"same as current", map[string]string{"current_password": "correct horse battery", "new_password": "correct horse battery"}, []string{"new_password"}, []string{"unchanged"}},
			{"missing both", map[string]string{}, []string{"current_password", "new_password"}, []string{"required", "invalid"}},
			{"unknown field", map[string]any{"current_password": "x", "new_password": "y", "confirm": "y"}, []string{"confirm"}, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p := e.sub(t).do("POST", "/api/v1/auth/password", tk.AccessToken, tc.body).problem(400)
				if !slices.Equal(p.fields(), tc.fields) {
					t.Fatalf("fields=%v, want %v", p.fields(), tc.fields)
				}
				for i, code := range tc.codes {
					if p.Errors[i].Code != code {
						t.Fatalf("errors=%+v, want codes %v", p.Errors, tc.codes)
					}
				}
			})
		}
		// Nothing changed: the session and the old password still work.
		e.do("GET", "/api/v1/auth/me", tk.AccessToken, nil).wantStatus(200)
		e.login("ada@example.com")
		e.changePassword("", "correct horse battery", "a much better passphrase").problem(401)
	})
}

// Wrong current passwords are limited like sign-ins, so a stolen access
// token cannot be used to guess the password.
func TestPasswordChangeThrottled(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db, func(_ *httpapiOptions, c *auth.Config) { c.LoginMaxFailuresPerAccount = 3 })
		e.user("ada@example.com", auth.RoleEditor)
		tk := e.login("ada@example.com")
		for range 3 {
			e.changePassword(tk.AccessToken, "a wrong guess!!", "a much better passphrase").problem(400)
		}
		res := e.changePassword(tk.AccessToken, "correct horse battery", "a much better passphrase").problem(http.StatusTooManyRequests)
		if res.Detail == "" {
			t.Fatal("429 without detail")
		}
	})
}

func TestLogoutEndsEverySession(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		e.user("ada@example.com", auth.RoleEditor)
		a, b := e.login("ada@example.com"), e.login("ada@example.com")
		e.do("POST", "/api/v1/auth/logout", "", map[string]string{"refresh_token": a.RefreshToken}).wantStatus(204)
		for _, tk := range []tokens{a, b} {
			e.do("GET", "/api/v1/auth/me", tk.AccessToken, nil).problem(http.StatusUnauthorized)
			e.refresh(tk.RefreshToken).problem(http.StatusUnauthorized)
		}
		// A revoked refresh token cannot sign out a later login.
		later := e.login("ada@example.com")
		e.do("POST", "/api/v1/auth/logout", "", map[string]string{"refresh_token": a.RefreshToken}).wantStatus(204)
		e.do("GET", "/api/v1/auth/me", later.AccessToken, nil).wantStatus(200)
	})
}

func TestAdminPasswordResetEndsSessions(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		u := e.user("ada@example.com", auth.RoleEditor)
		root := e.user("root@example.com", auth.RoleAdmin)
		live := e.login(u.Email)
		admin := e.login(root.Email)
		e.do("POST", "/api/v1/admin/users/"+u.ID+"/password", admin.AccessToken, map[string]string{"password": "a much better passphrase"}).wantStatus(204)
		e.do("GET", "/api/v1/auth/me", live.AccessToken, nil).problem(http.StatusUnauthorized)
		e.refresh(live.RefreshToken).problem(http.StatusUnauthorized)
		e.do("GET", "/api/v1/auth/me", admin.AccessToken, nil).wantStatus(200) // the admin's own session is untouched
	})
}

// An API token stops working when the admin who made it is disabled, and the
// list says why.
func TestAPITokenDiesWithItsCreator(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		maker := e.user("maker@example.com", auth.RoleAdmin)
		e.user("root@example.com", auth.RoleAdmin)
		mk, root := e.login(maker.Email), e.login("root@example.com")
		var created struct {
			ID    string `json:"id"`
			Token string `json:"token"`
		}
		e.do("POST", "/api/v1/admin/api-tokens", mk.AccessToken, map[string]any{"name": "site", "scope": "content:preview"}).wantStatus(201).decode(&created)
		e.do("GET", "/api/v1/guides", created.Token, nil).wantStatus(200)

		e.do("PUT", "/api/v1/admin/users/"+maker.ID, root.AccessToken, map[string]any{"name": "", "role": "admin", "disabled": true},
			"If-Match", strconv.Quote(strconv.Itoa(maker.Version))).wantStatus(200)
		e.do("GET", "/api/v1/guides", created.Token, nil).problem(http.StatusUnauthorized)
		var list struct {
			Data []struct {
				ID              string  `json:"id"`
				CreatedByID     *string `json:"created_by_id"`
				CreatorDisabled bool    `json:"creator_disabled"`
			} `json:"data"`
		}
		e.do("GET", "/api/v1/admin/api-tokens", root.AccessToken, nil).wantStatus(200).decode(&list)
		if len(list.Data) != 1 || !list.Data[0].CreatorDisabled || list.Data[0].CreatedByID == nil || *list.Data[0].CreatedByID != maker.ID {
			t.Fatalf("list = %+v, want the token marked creator_disabled", list.Data)
		}
	})
}

// TestRefreshFromAnEarlierEpochRefused: a refresh token that escaped a
// sign-out's revocation (issued by a refresh racing it) carries the old
// epoch and is refused at its next use.
func TestRefreshFromAnEarlierEpochRefused(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		u := e.user("ada@example.com", auth.RoleEditor)
		tk := e.login(u.Email)
		// The sign-out's epoch bump lands, its revocation misses this token.
		if err := db.Exec("UPDATE users SET token_epoch = token_epoch + 1 WHERE id = ?", u.ID).Error; err != nil {
			t.Fatal(err)
		}
		e.refresh(tk.RefreshToken).problem(http.StatusUnauthorized)
		e.do("GET", "/api/v1/auth/me", tk.AccessToken, nil).problem(http.StatusUnauthorized)
		e.login(u.Email) // a new sign-in works in the new epoch
	})
}

// TestConcurrentSignOuts: logouts of several sessions of one user, a
// password change and an admin reset all at once finish without a 5xx (no
// lock-order deadlock), and leave every earlier session ended.
func TestConcurrentSignOuts(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		u := e.user("ada@example.com", auth.RoleEditor)
		root := e.user("root@example.com", auth.RoleAdmin)
		admin := e.login(root.Email)
		for round := range 5 {
			var sessions []tokens
			for range 6 {
				sessions = append(sessions, e.login(u.Email))
			}
			var (
				wg       sync.WaitGroup
				mu       sync.Mutex
				statuses []int
				start    = make(chan struct{})
			)
			run := func(f func() response) {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					res := f()
					mu.Lock()
					statuses = append(statuses, res.status)
					mu.Unlock()
				}()
			}
			for _, s := range sessions[1:] {
				run(func() response {
					return e.do("POST", "/api/v1/auth/logout", "", map[string]string{"refresh_token": s.RefreshToken})
				})
				run(func() response { return e.refresh(s.RefreshToken) })
			}
			run(func() response {
				return e.do("POST", "/api/v1/admin/users/"+u.ID+"/password", admin.AccessToken, map[string]string{"password": "correct horse battery"})
			})
			close(start)
			wg.Wait()
			for _, st := range statuses {
				if st >= 500 {
					t.Fatalf("round %d: statuses %v", round, statuses)
				}
			}
			for _, s := range sessions {
				e.do("GET", "/api/v1/auth/me", s.AccessToken, nil).problem(http.StatusUnauthorized)
			}
		}
	})
}
