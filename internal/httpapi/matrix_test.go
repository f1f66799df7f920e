package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/verdict-cms/verdict/internal/auth"
	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
)

// TestAuthMatrix sends every protected route every kind of credential and
// checks the status: only a valid token of an allowed role gets through.
func TestAuthMatrix(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		admin := e.user("admin@example.com", auth.RoleAdmin)
		e.user("editor@example.com", auth.RoleEditor)
		disabled := e.user("gone@example.com", auth.RoleAdmin)
		target := e.user("target@example.com", auth.RoleConsultant)

		adminTok := e.login("admin@example.com").AccessToken
		editorTok := e.login("editor@example.com").AccessToken
		disabledTok := e.login("gone@example.com").AccessToken
		if _, err := e.auth.UpdateUser(t.Context(), disabled.ID, auth.UserUpdate{Role: auth.RoleAdmin, Disabled: true}, disabled.Version); err != nil {
			t.Fatal(err)
		}
		_, apiTok, err := e.auth.CreateAPIToken(t.Context(), auth.NewAPIToken{Name: "site", Scope: auth.ScopeContentPreview, CreatedBy: admin.ID})
		if err != nil {
			t.Fatal(err)
		}
		tokenID := func() string {
			tk, _, err := e.auth.CreateAPIToken(t.Context(), auth.NewAPIToken{Name: "x", Scope: auth.ScopeContentRead})
			if err != nil {
				t.Fatal(err)
			}
			return tk.ID
		}

		creds := map[string]string{
			"none":          "",
			"garbage":       "not-a-token",
			"expired":       sign(t, testKey, jwt.SigningMethodHS256, admin.ID, time.Now().Add(-time.Hour)),
			"wrong-sig":     sign(t, []byte("another-key-0123456789abcdef0123456789"), jwt.SigningMethodHS256, admin.ID, time.Now().Add(time.Hour)),
			"alg-none":      sign(t, jwt.UnsafeAllowNoneSignatureType, jwt.SigningMethodNone, admin.ID, time.Now().Add(time.Hour)),
			"alg-hs512":     sign(t, testKey, jwt.SigningMethodHS512, admin.ID, time.Now().Add(time.Hour)),
			"unknown-user":  sign(t, testKey, jwt.SigningMethodHS256, "0190c0de-0000-7000-8000-000000000000", time.Now().Add(time.Hour)),
			"revoked-api":   "vdt_revokedrevokedrevokedrevokedrevoked12345",
			"disabled-user": disabledTok,
			"wrong-role":    editorTok,
			"api-token":     apiTok,
			"valid":         adminTok,
		}
		routes := []struct {
			method, path string
			body         any
			headers      []string
			allowEditor  bool
			valid        int
		}{
			{"GET", "/api/v1/auth/me", nil, nil, true, http.StatusOK},
			{"GET", "/api/v1/admin/users", nil, nil, false, http.StatusOK},
			{"POST", "/api/v1/admin/users", map[string]any{"email": "new-%d@example.com", "role": "editor"}, nil, false, http.StatusCreated},
			{"GET", "/api/v1/admin/users/" + target.ID, nil, nil, false, http.StatusOK},
			{"PUT", "/api/v1/admin/users/" + target.ID, map[string]any{"name": "T", "role": "consultant"}, []string{"If-Match", `"1"`}, false, http.StatusOK},
			{"POST", "/api/v1/admin/users/" + target.ID + "/password", map[string]any{}, nil, false, http.StatusOK},
			{"GET", "/api/v1/admin/api-tokens", nil, nil, false, http.StatusOK},
			{"POST", "/api/v1/admin/api-tokens", map[string]any{"name": "ci", "scope": "content:read"}, nil, false, http.StatusCreated},
			{"DELETE", "/api/v1/admin/api-tokens/{id}", nil, nil, false, http.StatusNoContent},
		}
		n := 0
		for _, r := range routes {
			for name, cred := range creds {
				want := http.StatusUnauthorized
				switch name {
				case "wrong-role":
					want = http.StatusForbidden
					if r.allowEditor {
						want = http.StatusOK
					}
				case "api-token":
					want = http.StatusForbidden
				case "valid":
					want = r.valid
				}
				path, body := r.path, r.body
				if path == "/api/v1/admin/api-tokens/{id}" {
					path = "/api/v1/admin/api-tokens/" + tokenID()
				}
				if m, ok := body.(map[string]any); ok && m["email"] != nil {
					n++
					body = map[string]any{"email": "new" + itoa(n) + "@example.com", "role": "editor"}
				}
				res := e.do(r.method, path, cred, body, r.headers...)
				if res.status != want {
					t.Errorf("%s %s with %s: status=%d, want %d; body: %s", r.method, r.path, name, res.status, want, res.body)
				}
				if want == http.StatusUnauthorized && res.header.Get("WWW-Authenticate") == "" {
					t.Errorf("%s %s with %s: 401 without WWW-Authenticate", r.method, r.path, name)
				}
				if r.method == "PUT" && want == http.StatusOK {
					// keep If-Match current for the next valid PUT
					u, _ := e.auth.User(t.Context(), target.ID)
					r.headers = []string{"If-Match", `"` + itoa(u.Version) + `"`}
				}
			}
		}
	})
}

func sign(t *testing.T, key any, m jwt.SigningMethod, sub string, exp time.Time) string {
	t.Helper()
	claims := jwt.MapClaims{"iss": "verdict", "sub": sub, "role": "admin", "iat": exp.Add(-15 * time.Minute).Unix(), "exp": exp.Unix()}
	s, err := jwt.NewWithClaims(m, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestEveryAdminRouteRequiresAuth walks every registered /api/v1/admin
// route: without valid user credentials each one answers 401, and to an API
// token 403. A route added without its guard fails here.
func TestEveryAdminRouteRequiresAuth(t *testing.T) {
	e := newEnv(t, dbtest.SQLite(t))
	admin := e.user("admin@example.com", auth.RoleAdmin)
	gone := e.user("gone@example.com", auth.RoleAdmin)
	disabledTok := e.login("gone@example.com").AccessToken
	if _, err := e.auth.UpdateUser(t.Context(), gone.ID, auth.UserUpdate{Role: auth.RoleAdmin, Disabled: true}, gone.Version); err != nil {
		t.Fatal(err)
	}
	_, apiTok, _ := e.auth.CreateAPIToken(t.Context(), auth.NewAPIToken{Name: "site", Scope: auth.ScopeContentPreview})
	bad := map[string]string{
		"none":     "",
		"garbage":  "garbage",
		"expired":  sign(t, testKey, jwt.SigningMethodHS256, admin.ID, time.Now().Add(-time.Hour)),
		"alg-none": sign(t, jwt.UnsafeAllowNoneSignatureType, jwt.SigningMethodNone, admin.ID, time.Now().Add(time.Hour)),
		"disabled": disabledTok,
	}
	n := 0
	for _, r := range e.app.GetRoutes(true) {
		if !strings.HasPrefix(r.Path, "/api/v1/admin") || r.Method == "HEAD" {
			continue
		}
		n++
		path := strings.NewReplacer(":id", "0190c0de-0000-7000-8000-000000000000", ":number", "1").Replace(r.Path)
		for name, tok := range bad {
			if got := e.do(r.Method, path, tok, nil).status; got != http.StatusUnauthorized {
				t.Errorf("%s %s with %s token: %d, want 401", r.Method, r.Path, name, got)
			}
		}
		if got := e.do(r.Method, path, apiTok, nil).status; got != http.StatusForbidden {
			t.Errorf("%s %s with an API token: %d, want 403", r.Method, r.Path, got)
		}
	}
	if n < 40 {
		t.Fatalf("only %d admin routes found", n)
	}
}
