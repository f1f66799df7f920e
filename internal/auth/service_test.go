package auth_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/auth"
	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
	"github.com/verdict-cms/verdict/internal/store"
)

// env is the auth service on a real database with a clock the test moves.
type env struct {
	svc *auth.Service
	now time.Time
	ctx context.Context
}

func newEnv(t *testing.T, db *database.DB) *env {
	t.Helper()
	e := &env{now: time.Date(2026, 11, 24, 20, 0, 0, 0, time.UTC), ctx: t.Context()}
	clock := func() time.Time { return e.now }
	hasher, err := auth.NewHasher(4)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := auth.NewSigner([]byte(strings.Repeat("k", 32)), 15*time.Minute, clock)
	if err != nil {
		t.Fatal(err)
	}
	st := store.New(db)
	e.svc = auth.NewService(store.AuthStore{Store: st}, store.NewThrottle(st, clock), hasher, signer, auth.Config{
		RefreshTTL: time.Hour, LoginMaxFailuresPerAccount: 3, LoginMaxFailuresPerIP: 5, LoginWindow: 15 * time.Minute,
	}, clock)
	return e
}

func (e *env) user(t *testing.T, email string, role auth.Role) *auth.User {
	t.Helper()
	u, _, err := e.svc.CreateUser(e.ctx, auth.NewUser{Email: email, Name: "N", Role: role, Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// fieldsOf returns the sorted names of err's invalid fields.
func fieldsOf(err error) []string {
	e, ok := apperr.As(err)
	if !ok {
		return nil
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field)
	}
	slices.Sort(out)
	return out
}

func wantKind(t *testing.T, err error, kind apperr.Kind) {
	t.Helper()
	if !apperr.IsKind(err, kind) {
		t.Fatalf("err = %v, want kind %v", err, kind)
	}
}

func TestLogin(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		ada := e.user(t, "ada@example.com", auth.RoleEditor)
		off := e.user(t, "off@example.com", auth.RoleEditor)
		if _, err := e.svc.UpdateUser(e.ctx, off.ID, auth.UserUpdate{Name: "N", Role: auth.RoleEditor, Disabled: true}, off.Version); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name, email, password string
			ok                    bool
		}{
			{"right", "ada@example.com", "correct horse battery", true},
			{"case and spaces in the email", "  ADA@Example.com ", "correct horse battery", true},
			{"wrong password", "ada@example.com", "wrong", false},
			{"unknown user", "nobody@example.com", "correct horse battery", false},
			{"disabled user", "off@example.com", "correct horse battery", false},
		} {
			t.Run(c.name, func(t *testing.T) {
				tok, err := e.svc.Login(e.ctx, c.email, c.password, "192.0.2."+c.name[:1])
				if !c.ok {
					wantKind(t, err, apperr.Unauthenticated)
					return
				}
				if err != nil || tok.UserID != ada.ID || tok.AccessToken == "" || tok.RefreshToken == "" {
					t.Fatalf("tokens %+v, err %v", tok, err)
				}
				p, err := e.svc.Authenticate(e.ctx, tok.AccessToken)
				if err != nil || p.User == nil || p.User.ID != ada.ID || !p.HasRole(auth.RoleEditor) {
					t.Fatalf("principal %+v, err %v", p, err)
				}
			})
		}
	})
}

// TestLoginThrottle: the account-and-address limit answers 429 before the
// password is checked, even the right one, until the window passes; other
// addresses are not locked out.
func TestLoginThrottle(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		e.user(t, "ada@example.com", auth.RoleEditor)
		for range 3 {
			_, err := e.svc.Login(e.ctx, "ada@example.com", "wrong", "192.0.2.1")
			wantKind(t, err, apperr.Unauthenticated)
		}
		_, err := e.svc.Login(e.ctx, "ada@example.com", "correct horse battery", "192.0.2.1")
		wantKind(t, err, apperr.RateLimited)
		if _, err := e.svc.Login(e.ctx, "ada@example.com", "correct horse battery", "192.0.2.2"); err != nil {
			t.Fatalf("from another address (a stranger cannot lock the account): %v", err)
		}
		e.now = e.now.Add(16 * time.Minute)
		if _, err := e.svc.Login(e.ctx, "ada@example.com", "correct horse battery", "192.0.2.1"); err != nil {
			t.Fatalf("after the window: %v", err)
		}
	})
}

// TestRefreshRotation: a refresh token works once; reusing a rotated one
// revokes its whole family, the newest token included.
func TestRefreshRotation(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		e.user(t, "ada@example.com", auth.RoleAdmin)
		first, err := e.svc.Login(e.ctx, "ada@example.com", "correct horse battery", "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		second, err := e.svc.Refresh(e.ctx, first.RefreshToken)
		if err != nil || second.RefreshToken == first.RefreshToken {
			t.Fatalf("refresh: %+v %v", second, err)
		}
		_, err = e.svc.Refresh(e.ctx, first.RefreshToken)
		wantKind(t, err, apperr.Unauthenticated)
		_, err = e.svc.Refresh(e.ctx, second.RefreshToken)
		wantKind(t, err, apperr.Unauthenticated)

		third, err := e.svc.Login(e.ctx, "ada@example.com", "correct horse battery", "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Logout(e.ctx, third.RefreshToken); err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.Refresh(e.ctx, third.RefreshToken)
		wantKind(t, err, apperr.Unauthenticated)
		e.now = e.now.Add(2 * time.Hour)
		fourth, err := e.svc.Login(e.ctx, "ada@example.com", "correct horse battery", "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		e.now = e.now.Add(2 * time.Hour) // past RefreshTTL
		_, err = e.svc.Refresh(e.ctx, fourth.RefreshToken)
		wantKind(t, err, apperr.Unauthenticated)
	})
}

func TestAuthenticate(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		ada := e.user(t, "ada@example.com", auth.RoleAdmin)
		tok, err := e.svc.Login(e.ctx, "ada@example.com", "correct horse battery", "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		soon := e.now.Add(time.Hour)
		api, secret, err := e.svc.CreateAPIToken(e.ctx, auth.NewAPIToken{Name: "site", Scope: auth.ScopeContentPreview, ExpiresAt: &soon, CreatedBy: ada.ID})
		if err != nil {
			t.Fatal(err)
		}
		_, revoked, err := e.svc.CreateAPIToken(e.ctx, auth.NewAPIToken{Name: "old", Scope: auth.ScopeContentRead})
		if err != nil {
			t.Fatal(err)
		}
		list, _ := e.svc.APITokens(e.ctx)
		for _, l := range list {
			if l.Name == "old" {
				if err := e.svc.RevokeAPIToken(e.ctx, l.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
		if !strings.HasPrefix(secret, auth.APITokenPrefix) {
			t.Fatalf("secret %q lacks the prefix", secret)
		}
		for _, c := range []struct {
			name, bearer string
			after        time.Duration
			preview, ok  bool
		}{
			{"access token", tok.AccessToken, 0, true, true},
			{"expired access token", tok.AccessToken, 16 * time.Minute, false, false},
			{"API token", secret, 0, true, true},
			{"expired API token", secret, 2 * time.Hour, false, false},
			{"revoked API token", revoked, 0, false, false},
			{"garbage", "vdt_nope", 0, false, false},
			{"empty", "", 0, false, false},
		} {
			t.Run(c.name, func(t *testing.T) {
				e.now = time.Date(2026, 11, 24, 20, 0, 0, 0, time.UTC).Add(c.after)
				p, err := e.svc.Authenticate(e.ctx, c.bearer)
				if !c.ok {
					wantKind(t, err, apperr.Unauthenticated)
					return
				}
				if err != nil || p.CanPreview() != c.preview {
					t.Fatalf("principal %+v, err %v", p, err)
				}
				if p.Token != nil && p.Token.ID != api.ID {
					t.Fatalf("token %s, want %s", p.Token.ID, api.ID)
				}
			})
		}
	})
}

// TestUserRules: field errors are collected; versions guard updates; the
// last admin cannot be demoted or disabled.
func TestUserRules(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		root := e.user(t, "root@example.com", auth.RoleAdmin)
		_, _, err := e.svc.CreateUser(e.ctx, auth.NewUser{Email: "not-an-email", Role: "boss", Password: "short"})
		if got := fieldsOf(err); !slices.Equal(got, []string{"email", "password", "role"}) {
			t.Fatalf("invalid fields %v (err %v), want email, password and role at once", got, err)
		}
		_, _, err = e.svc.CreateUser(e.ctx, auth.NewUser{Email: "ROOT@example.com", Role: auth.RoleEditor})
		if got := fieldsOf(err); !slices.Equal(got, []string{"email"}) {
			t.Fatalf("same email in other case: %v", err)
		}
		_, pw, err := e.svc.CreateUser(e.ctx, auth.NewUser{Email: "gen@example.com", Role: auth.RoleEditor})
		if err != nil || len(pw) < 16 {
			t.Fatalf("generated password %q, err %v", pw, err)
		}
		_, err = e.svc.UpdateUser(e.ctx, root.ID, auth.UserUpdate{Name: "R", Role: auth.RoleEditor}, root.Version)
		wantKind(t, err, apperr.Conflict) // the last admin
		_, err = e.svc.UpdateUser(e.ctx, root.ID, auth.UserUpdate{Name: "R", Role: auth.RoleAdmin}, root.Version+7)
		wantKind(t, err, apperr.Conflict) // stale version
		_, err = e.svc.User(e.ctx, "nope")
		wantKind(t, err, apperr.NotFound)
	})
}
