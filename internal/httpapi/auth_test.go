package httpapi_test

import (
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/verdict-cms/verdict/internal/auth"
	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
)

func TestLogin(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		e.user("ada@example.com", auth.RoleEditor)

		tk := e.login("  ADA@example.com ")
		if tk.TokenType != "Bearer" || tk.ExpiresIn != 900 || tk.AccessToken == "" || tk.RefreshToken[:4] != "vdr_" {
			t.Fatalf("unexpected token response: %+v", tk)
		}
		var me struct {
			Email       string     `json:"email"`
			Role        string     `json:"role"`
			LastLoginAt *time.Time `json:"last_login_at"`
		}
		e.do("GET", "/api/v1/auth/me", tk.AccessToken, nil).wantStatus(200).decode(&me)
		if me.Email != "ada@example.com" || me.Role != "editor" || me.LastLoginAt == nil {
			t.Fatalf("me = %+v", me)
		}

		// The access token stops working when it expires.
		e.clock.Advance(16 * time.Minute)
		e.do("GET", "/api/v1/auth/me", tk.AccessToken, nil).problem(http.StatusUnauthorized)
	})
}

func TestLoginBadInput(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		e.user("ada@example.com", auth.RoleEditor)
		for _, tc := range []struct {
			name   string
			body   any
			status int
			fields []string
		}{
			{"wrong password", map[string]any{"email": "ada@example.com", "password": "wrong password!"}, 401, nil},
			{"unknown email", map[string]any{"email": "bob@example.com", "password": "correct horse battery"}, 401, nil},
			{"missing both", map[string]any{}, 400, []string{"email", "password"}},
			{"unknown field", map[string]any{"email": "a", "password": "b", "remember": true}, 400, []string{"remember"}},
			{"wrong type", map[string]any{"email": 42, "password": "b"}, 400, []string{"email"}},
			{"malformed", `{"email": "a",`, 400, nil},
			{"empty body", ``, 400, nil},
			{"two values", `{"email":"a","password":"b"} {}`, 400, nil},
			{"array body", `[]`, 400, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.sub(t)
				p := e.do("POST", "/api/v1/auth/login", "", tc.body).problem(tc.status)
				if tc.fields != nil && !slices.Equal(p.fields(), tc.fields) {
					t.Fatalf("fields=%v, want %v", p.fields(), tc.fields)
				}
			})
		}
		// Wrong content type is refused before the body is read.
		res := e.do("POST", "/api/v1/auth/login", "", nil, "Content-Type", "text/plain")
		res.problem(http.StatusUnsupportedMediaType)
	})
}

func TestRefreshRotationAndReuse(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		e.user("ada@example.com", auth.RoleEditor)
		first := e.login("ada@example.com")

		var second tokens
		e.do("POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": first.RefreshToken}).wantStatus(200).decode(&second)
		if second.RefreshToken == first.RefreshToken || second.AccessToken == "" {
			t.Fatal("refresh did not rotate the token")
		}
		e.do("GET", "/api/v1/auth/me", second.AccessToken, nil).wantStatus(200)

		// Reusing the first token is theft: it fails and revokes the family,
		// so the legitimately rotated second token dies too.
		e.do("POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": first.RefreshToken}).problem(401)
		e.do("POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": second.RefreshToken}).problem(401)

		// Another login's family is untouched.
		other := e.login("ada@example.com")
		e.do("POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": other.RefreshToken}).wantStatus(200)
	})
}

func TestRefreshExpiryLogoutAndDisable(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		u := e.user("ada@example.com", auth.RoleEditor)
		e.user("root@example.com", auth.RoleAdmin)
		refresh := func(tok string) response {
			return e.do("POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": tok})
		}

		old := e.login("ada@example.com")
		e.clock.Advance(25 * time.Hour) // past the 24h refresh TTL
		refresh(old.RefreshToken).problem(401)

		out := e.login("ada@example.com")
		e.do("POST", "/api/v1/auth/logout", "", map[string]string{"refresh_token": out.RefreshToken}).wantStatus(204)
		refresh(out.RefreshToken).problem(401)
		e.do("POST", "/api/v1/auth/logout", "", map[string]string{"refresh_token": "vdr_unknown"}).wantStatus(204)
		e.do("POST", "/api/v1/auth/logout", "", map[string]string{}).problem(400)
		refresh("vdr_garbage").problem(401)

		// Disabling ends every session at once: access and refresh tokens.
		live := e.login("ada@example.com")
		admin := e.login("root@example.com")
		e.do("PUT", "/api/v1/admin/users/"+u.ID, admin.AccessToken, map[string]any{"name": "", "role": "editor", "disabled": true},
			"If-Match", strconv.Quote(strconv.Itoa(u.Version))).wantStatus(200)
		e.do("GET", "/api/v1/auth/me", live.AccessToken, nil).problem(401)
		refresh(live.RefreshToken).problem(401)
		e.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "ada@example.com", "password": "correct horse battery"}).problem(401)
	})
}

func TestLoginThrottling(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db, func(_ *httpapiOptions, c *auth.Config) {
			c.LoginMaxFailuresPerAccount, c.LoginMaxFailuresPerIP = 3, 5
		})
		e.user("ada@example.com", auth.RoleEditor)
		e.user("bob@example.com", auth.RoleEditor)
		bad := func(email string) response {
			return e.do("POST", "/api/v1/auth/login", "", map[string]string{"email": email, "password": "wrong password!"})
		}
		for range 3 {
			bad("ada@example.com").problem(401)
		}
		// The account is locked, even with the right password.
		res := e.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "ada@example.com", "password": "correct horse battery"})
		res.problem(http.StatusTooManyRequests)
		if ra, err := strconv.Atoi(res.header.Get("Retry-After")); err != nil || ra < 1 || ra > 900 {
			t.Fatalf("Retry-After=%q, want 1..900 seconds", res.header.Get("Retry-After"))
		}
		// Another account from the same IP still works until the IP limit.
		e.login("bob@example.com")
		bad("bob@example.com").problem(401)
		bad("carol@example.com").problem(401) // 5th failure from this IP
		e.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "bob@example.com", "password": "correct horse battery"}).
			problem(http.StatusTooManyRequests)

		// Both windows end and sign-in works again.
		e.clock.Advance(16 * time.Minute)
		e.login("ada@example.com")
	})
}

func TestSuccessfulLoginResetsAccountFailures(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db, func(_ *httpapiOptions, c *auth.Config) { c.LoginMaxFailuresPerAccount = 3 })
		e.user("ada@example.com", auth.RoleEditor)
		for range 2 {
			e.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "ada@example.com", "password": "wrong password!"}).problem(401)
		}
		e.login("ada@example.com")
		for range 2 {
			e.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "ada@example.com", "password": "wrong password!"}).problem(401)
		}
		e.login("ada@example.com") // 4 failures in the window, but never 3 in a row
	})
}
