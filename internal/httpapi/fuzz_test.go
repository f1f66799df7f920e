package httpapi_test

import (
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/verdict-cms/verdict/internal/auth"
	"github.com/verdict-cms/verdict/internal/dbtest"
	"github.com/verdict-cms/verdict/internal/seed"
)

// Fuzz targets for every decoder of untrusted input, through the whole HTTP
// stack on a real (SQLite) database: whatever the bytes, the answer is never
// a 5xx, and every error is a problem document. `make test` runs the seeds;
// `make fuzz` explores each target for FUZZTIME.

// fuzzEnv is a seeded Verdict with an admin and limits out of the way.
type fuzzEnv struct {
	*testEnv
	admin string
}

func newFuzzEnv(f *testing.F) *fuzzEnv {
	f.Helper()
	db := dbtest.SQLite(f)
	if os.Getenv("VERDICT_FUZZ_POSTGRES") == "true" { // PostgreSQL refuses more than SQLite
		db = dbtest.Postgres(f)
	}
	e := newEnv(f, db, func(_ *httpapiOptions, c *auth.Config) {
		c.LoginMaxFailuresPerAccount, c.LoginMaxFailuresPerIP = 1<<30, 1<<30
	})
	if _, err := seed.Load(f.Context(), e.guides, ""); err != nil {
		f.Fatal(err)
	}
	e.user("root@example.com", auth.RoleAdmin)
	return &fuzzEnv{testEnv: e, admin: e.login("root@example.com").AccessToken}
}

// send makes one request and fails t on a 5xx or a bare error.
func (e *fuzzEnv) send(t *testing.T, method, path, token, body string) response {
	res := e.sub(t).do(method, path, token, body)
	if res.status >= 500 {
		t.Fatalf("%s %s → %d: %s\nbody: %q", method, path, res.status, res.body, body)
	}
	if res.status >= 400 && !strings.HasPrefix(res.header.Get("Content-Type"), "application/problem+json") {
		t.Fatalf("%s %s → %d without a problem document: %s", method, path, res.status, res.body)
	}
	return res
}

func seedJSON(f *testing.F, values ...any) {
	f.Helper()
	for _, v := range values {
		if s, ok := v.(string); ok {
			f.Add(s)
			continue
		}
		b, err := json.Marshal(v)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
}

// nastyJSON are seeds every body target starts from.
var nastyJSON = []any{``, `{}`, `[]`, `null`, `"x"`, `{"a":`, `{"email":"\u0000"}`, `{"x":1e999}`,
	`{"answers":{"\u0000":["\ud800"]}}`, strings.Repeat(`[`, 200), `{"name":"` + strings.Repeat("é", 300) + `"}`}

func FuzzLogin(f *testing.F) {
	e := newFuzzEnv(f)
	seedJSON(f, append(nastyJSON,
		map[string]any{"email": "root@example.com", "password": "correct horse battery"},
		map[string]any{"email": "ROOT@example.com ", "password": "wrong"},
		map[string]any{"email": 42, "password": []int{1}},
	)...)
	f.Fuzz(func(t *testing.T, body string) {
		e.send(t, "POST", "/api/v1/auth/login", "", body)
	})
}

func FuzzConsultation(f *testing.F) {
	e := newFuzzEnv(f)
	withAnswers := submission("Ada Lovelace")
	withAnswers["answers"] = map[string]any{"realtime": []string{"yes", "no"}, "team-language": 7, "free": "text"}
	seedJSON(f, append(nastyJSON, submission("Ada Lovelace"), withAnswers,
		map[string]any{"name": "x", "email": "a@b", "consent": "yes", "preferred_technologies": map[string]int{"a": 1}},
	)...)
	f.Fuzz(func(t *testing.T, body string) {
		e.send(t, "POST", "/api/v1/consultations", "", body)
	})
}

func FuzzRecommendation(f *testing.F) {
	e := newFuzzEnv(f)
	seedJSON(f, append(nastyJSON,
		map[string]any{"answers": map[string]any{"realtime": "yes", "team-language": "python"}},
		map[string]any{"answers": map[string]any{"databases": []string{"mongodb", "mongodb"}}},
		map[string]any{"answers": map[string]any{"realtime": map[string]any{}}},
	)...)
	f.Fuzz(func(t *testing.T, body string) {
		e.send(t, "POST", "/api/v1/guides/node-vs-django/recommendation", "", body)
	})
}

func FuzzGuideDocument(f *testing.F) {
	e := newFuzzEnv(f)
	g := doc("fuzz-guide", "Fuzz guide")
	g["checklist"] = []any{map[string]any{"text": "Q?", "kind": "single", "choices": []any{
		map[string]any{"label": "A", "weights": map[string]int{"nodejs": 3}}, map[string]any{"label": "B"}}}}
	bad := doc("bad-guide", "Bad")
	bad["summary"] = "[x][1]\n\n[1]: javascript:alert(1)"
	seedJSON(f, append(nastyJSON, g, bad, map[string]any{"options": "nodejs", "related": []any{nil, 3}})...)
	f.Fuzz(func(t *testing.T, body string) {
		e.send(t, "POST", "/api/v1/admin/guides", e.admin, body)
	})
}

func FuzzImport(f *testing.F) {
	e := newFuzzEnv(f)
	exported := e.do("GET", "/api/v1/admin/export", e.admin, nil).wantStatus(http.StatusOK)
	seedJSON(f, append(nastyJSON, string(exported.body),
		map[string]any{"categories": []any{map[string]any{"slug": "x", "name": "X"}}, "guides": []any{map[string]any{}}},
	)...)
	f.Fuzz(func(t *testing.T, body string) {
		e.send(t, "POST", "/api/v1/admin/import?dry_run=true", e.admin, body)
	})
}

func FuzzQueryParameters(f *testing.F) {
	e := newFuzzEnv(f)
	for _, q := range []string{"", "category=backend&sort=-published_at&limit=5", "limit=0", "limit=99999999999999999999",
		"cursor=%%%", "cursor=AAAA", "q=%00", "category=%FF", "include_total=maybe", "sort=title&sort=-title", "a=1&a=2", "=&&=", "from=2026-13-45"} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		if strings.ContainsFunc(q, func(r rune) bool { return r <= ' ' || r == 0x7f || r == '#' }) {
			return // not a query string a client can send in a request line
		}
		e.send(t, "GET", "/api/v1/guides?"+q, "", "")
		e.send(t, "GET", "/api/v1/admin/leads?"+q, e.admin, "")
		e.send(t, "GET", "/api/v1/admin/audit?"+q, e.admin, "")
		e.send(t, "GET", "/api/v1/admin/users?"+q, e.admin, "")
		e.send(t, "GET", "/api/v1/technologies?"+q, "", "")
	})
}
