package httpapi_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/verdict-cms/verdict/internal/auth"
	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
)

type tokenDoc struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Scope      string     `json:"scope"`
	Prefix     string     `json:"prefix"`
	Token      string     `json:"token"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
}

func TestAPITokenLifecycle(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		e.user("root@example.com", auth.RoleAdmin)
		tok := e.login("root@example.com").AccessToken

		var created tokenDoc
		e.do("POST", "/api/v1/admin/api-tokens", tok, map[string]any{"name": "marketing site", "scope": "content:preview"}).wantStatus(201).decode(&created)
		if !strings.HasPrefix(created.Token, "vdt_") || !strings.HasPrefix(created.Token, created.Prefix) {
			t.Fatalf("created %+v", created)
		}

		// The secret works, is never listed again, and records its use.
		p, err := e.auth.Authenticate(t.Context(), created.Token)
		if err != nil || p.Token == nil || !p.CanPreview() {
			t.Fatalf("authenticate: %+v, %v", p, err)
		}
		var list struct{ Data []tokenDoc }
		res := e.do("GET", "/api/v1/admin/api-tokens", tok, nil).wantStatus(200)
		res.decode(&list)
		if strings.Contains(string(res.body), created.Token) {
			t.Fatal("the list shows a token's secret")
		}
		if len(list.Data) != 1 || list.Data[0].LastUsedAt == nil {
			t.Fatalf("list %+v", list.Data)
		}

		// Revoking takes effect at once.
		e.do("DELETE", "/api/v1/admin/api-tokens/"+created.ID, tok, nil).wantStatus(204)
		if _, err := e.auth.Authenticate(t.Context(), created.Token); err == nil {
			t.Fatal("a revoked token still authenticates")
		}
		e.do("GET", "/api/v1/auth/me", created.Token, nil).problem(401)
		e.do("DELETE", "/api/v1/admin/api-tokens/"+created.ID, tok, nil).wantStatus(204)
		e.do("DELETE", "/api/v1/admin/api-tokens/0190c0de-0000-7000-8000-000000000000", tok, nil).problem(404)

		// An expiring token stops at its expiry.
		exp := e.clock.Now().Add(time.Hour)
		e.do("POST", "/api/v1/admin/api-tokens", tok, map[string]any{"name": "ci", "scope": "content:read", "expires_at": exp}).wantStatus(201).decode(&created)
		if p, err := e.auth.Authenticate(t.Context(), created.Token); err != nil || p.CanPreview() {
			t.Fatalf("read token: %+v, %v", p, err)
		}
		e.clock.Advance(2 * time.Hour)
		if _, err := e.auth.Authenticate(t.Context(), created.Token); err == nil {
			t.Fatal("an expired token still authenticates")
		}
	})
}

func TestAPITokenBadInput(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		e.user("root@example.com", auth.RoleAdmin)
		tok := e.login("root@example.com").AccessToken
		past := e.clock.Now().Add(-time.Minute)
		for _, tc := range []struct {
			name   string
			body   any
			fields []string
		}{
			{"empty", map[string]any{}, []string{"name", "scope"}},
			{"bad scope", map[string]any{"name": "x", "scope": "content:write"}, []string{"scope"}},
			{"past expiry", map[string]any{"name": "x", "scope": "content:read", "expires_at": past}, []string{"expires_at"}},
			{"bad time", map[string]any{"name": "x", "scope": "content:read", "expires_at": "tomorrow"}, nil},
			{"long name", map[string]any{"name": strings.Repeat("x", 201), "scope": "content:read"}, []string{"name"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.sub(t)
				p := e.do("POST", "/api/v1/admin/api-tokens", tok, tc.body).problem(http.StatusBadRequest)
				if tc.fields != nil && !slices.Equal(p.fields(), tc.fields) {
					t.Fatalf("fields=%v, want %v", p.fields(), tc.fields)
				}
			})
		}
	})
}
