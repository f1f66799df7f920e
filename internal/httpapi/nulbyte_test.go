package httpapi_test

import (
	"encoding/base64"
	"net/http"
	"slices"
	"testing"

	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
)

// TestNULRefused: strings that PostgreSQL cannot store (NUL anywhere, query
// parameters that are not UTF-8) are a 400 naming the field on both
// databases, never a 500 on one of them.
func TestNULRefused(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		in := newIntake(t, db)
		consultation := submission("Ada Lovelace")
		consultation["name"] = "Ada\x00"
		withAnswerKey := submission("Ada Lovelace")
		withAnswerKey["answers"] = map[string]any{"realtime\x00": "yes"}
		withTech := submission("Ada Lovelace")
		withTech["preferred_technologies"] = []string{"nodejs", "\x00"}
		for _, tc := range []struct {
			name, method, path, token string
			body                      any
			headers                   []string
			field                     string
		}{
			{"login email", "POST", "/api/v1/auth/login", "", map[string]string{"email": "\x00", "password": "x"}, nil, "email"},
			{"login password", "POST", "/api/v1/auth/login", "", map[string]string{"email": "a@example.com", "password": "pass\x00word"}, nil, "password"},
			{"query parameter", "GET", "/api/v1/guides?category=%00", "", nil, nil, "category"},
			{"query parameter not UTF-8", "GET", "/api/v1/guides?category=%FF", "", nil, nil, "category"},
			{"unknown query parameter with NUL", "GET", "/api/v1/guides?x%00y=1", "", nil, nil, `x\u0000y`},
			{"search", "GET", "/api/v1/admin/users?q=%00", in.admin, nil, nil, "q"},
			{"forged lead cursor", "GET", "/api/v1/admin/leads?cursor=AAAA", in.admin, nil, nil, "cursor"},
			{"forged user cursor", "GET", "/api/v1/admin/users?cursor=_w", in.admin, nil, nil, "cursor"},
			{"forged guide cursor", "GET", "/api/v1/guides?cursor=AAAA", "", nil, nil, "cursor"},
			{"forged guide cursor time", "GET", "/api/v1/guides?cursor=" + base64.RawURLEncoding.EncodeToString([]byte("soon\x0001a213cc-523b-7669-b77d-d1b8f44aca8c")), "", nil, nil, "cursor"},
			{"consultation name", "POST", "/api/v1/consultations", "", consultation, nil, "name"},
			{"answer key", "POST", "/api/v1/consultations", "", withAnswerKey, nil, `answers.realtime\u0000`},
			{"array item", "POST", "/api/v1/consultations", "", withTech, nil, "preferred_technologies[1]"},
			{"header", "POST", "/api/v1/consultations", "", submission("Ada Lovelace"), []string{"User-Agent", "curl\x00"}, "User-Agent"},
			{"header of a GET without query", "GET", "/healthz", "", nil, []string{"X-Trace", "a\x00b"}, "X-Trace"},
			{"category", "POST", "/api/v1/admin/categories", in.admin, map[string]any{"slug": "x", "name": "N\x00"}, nil, "name"},
			{"import", "POST", "/api/v1/admin/import", in.admin, map[string]any{"categories": []any{map[string]any{"slug": "x\x00", "name": "X"}}}, nil, "categories[0].slug"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p := in.sub(t).do(tc.method, tc.path, tc.token, tc.body, tc.headers...).problem(http.StatusBadRequest)
				if !slices.Equal(p.fields(), []string{tc.field}) {
					t.Fatalf("fields=%v, want [%s]", p.fields(), tc.field)
				}
			})
		}
		// The same requests without the NUL still work.
		in.do("GET", "/api/v1/guides?category=backend", "", nil).wantStatus(200)
		in.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "nobody@example.com", "password": "x"}).problem(401)
	})
}
