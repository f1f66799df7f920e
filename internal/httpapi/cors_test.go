package httpapi_test

import (
	"strings"
	"testing"

	"github.com/verdict-cms/verdict/internal/auth"
	"github.com/verdict-cms/verdict/internal/dbtest"
)

// TestCORSByRouteClass: reads, the widget's two writes and everything else
// each answer cross-origin calls by their own rule.
func TestCORSByRouteClass(t *testing.T) {
	const site, evil = "https://site.example", "https://evil.example"
	db := dbtest.SQLite(t)
	listed := newEnv(t, db, func(o *httpapiOptions, _ *auth.Config) { o.CORSOrigins = []string{site} })
	seedInto(t, listed)
	wildcard := newEnv(t, db, func(o *httpapiOptions, _ *auth.Config) { o.CORSOrigins = []string{"*", site} })
	for _, c := range []struct {
		name         string
		env          *testEnv
		method, path string
		origin       string
		preflight    bool
		status       int
		allowOrigin  string
	}{
		{"read, listed origin", listed, "GET", "/api/v1/guides/node-vs-django", site, true, 204, site},
		{"read, other origin", listed, "GET", "/api/v1/guides/node-vs-django", evil, true, 403, ""},
		{"intake, listed origin", listed, "POST", "/api/v1/consultations", site, true, 204, site},
		{"recommendation, listed origin", listed, "POST", "/api/v1/guides/node-vs-django/recommendation", site, true, 204, site},
		{"recommendation, other origin", listed, "POST", "/api/v1/guides/node-vs-django/recommendation", evil, true, 403, ""},
		{"admin, listed origin", listed, "GET", "/api/v1/admin/leads", site, true, 204, site},
		{"actual read, listed origin", listed, "GET", "/api/v1/guides/node-vs-django", site, false, 200, site},
		{"actual read, other origin gets no grant", listed, "GET", "/api/v1/guides/node-vs-django", evil, false, 200, ""},
		{"wildcard read, any origin", wildcard, "GET", "/api/v1/guides", evil, true, 204, "*"},
		{"wildcard actual read", wildcard, "GET", "/api/v1/categories", evil, false, 200, "*"},
		{"wildcard does not open intake", wildcard, "POST", "/api/v1/consultations", evil, true, 403, ""},
		{"wildcard does not open recommendation", wildcard, "POST", "/api/v1/guides/x/recommendation", evil, true, 403, ""},
		{"wildcard does not open admin", wildcard, "GET", "/api/v1/admin/leads", evil, true, 403, ""},
		{"wildcard does not open sign-in", wildcard, "POST", "/api/v1/auth/login", evil, true, 403, ""},
		{"wildcard, listed origin writes", wildcard, "POST", "/api/v1/consultations", site, true, 204, site},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := c.env.sub(t)
			var res response
			if c.preflight {
				res = e.do("OPTIONS", c.path, "", nil, "Origin", c.origin, "Access-Control-Request-Method", c.method,
					"Access-Control-Request-Headers", "content-type,idempotency-key")
			} else {
				res = e.do(c.method, c.path, "", nil, "Origin", c.origin)
			}
			if res.status != c.status {
				t.Fatalf("status=%d, want %d; %s", res.status, c.status, res.body)
			}
			if got := res.header.Get("Access-Control-Allow-Origin"); got != c.allowOrigin {
				t.Fatalf("Access-Control-Allow-Origin=%q, want %q", got, c.allowOrigin)
			}
			if c.allowOrigin != "" && c.allowOrigin != "*" && !strings.Contains(res.header.Get("Vary"), "Origin") {
				t.Errorf("Vary=%q, want Origin", res.header.Get("Vary"))
			}
			if c.preflight && c.status == 204 {
				h := res.header.Get("Access-Control-Allow-Headers")
				if !strings.Contains(h, "Idempotency-Key") || !strings.Contains(h, "Content-Type") {
					t.Errorf("Access-Control-Allow-Headers=%q", h)
				}
				if strings.Contains(c.path, "/admin/") != strings.Contains(h, "Authorization") {
					t.Errorf("Authorization allowed %q on %s", h, c.path)
				}
			}
		})
	}
}

func TestEmbedScript(t *testing.T) {
	e := newEnv(t, dbtest.SQLite(t))
	var sizes = map[string]int{}
	for _, enc := range []string{"br", "gzip", ""} {
		res := e.do("GET", "/embed/v1/verdict.js", "", nil, "Accept-Encoding", enc, "Origin", "https://anywhere.example").wantStatus(200)
		if got := res.header.Get("Content-Encoding"); got != enc {
			t.Errorf("Accept-Encoding %q: Content-Encoding=%q", enc, got)
		}
		for h, want := range map[string]string{"Cache-Control": "public, max-age=31536000, immutable", "Access-Control-Allow-Origin": "*",
			"Content-Type": "text/javascript; charset=utf-8", "Vary": "Accept-Encoding"} {
			if got := res.header.Get(h); !strings.Contains(got, want) {
				t.Errorf("%s=%q, want %q", h, got, want)
			}
		}
		sizes[enc] = len(res.body)
		if enc == "" && !strings.Contains(string(res.body), `customElements.define("verdict-decision"`) {
			t.Error("the plain script does not define the element")
		}
		e.do("GET", "/embed/v1/verdict.js", "", nil, "If-None-Match", res.header.Get("ETag")).wantStatus(304)
	}
	if sizes["gzip"] > 20<<10 || sizes["br"] >= sizes[""] {
		t.Fatalf("sizes %v", sizes)
	}
}
