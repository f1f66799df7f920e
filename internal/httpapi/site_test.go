package httpapi_test

import (
	"fmt"
	"html"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/verdict-cms/verdict/internal/auth"
	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
	"github.com/verdict-cms/verdict/internal/seed"
)

const testSiteURL = "https://guides.example.com"

func withSite(o *httpapiOptions, _ *auth.Config) { o.SiteURL = testSiteURL }

// seededSite is an API with the seed content and an editor token.
func seededSite(t *testing.T, db *database.DB) (*testEnv, string) {
	t.Helper()
	e := newEnv(t, db, withSite)
	seedInto(t, e)
	e.user("ed@example.com", auth.RoleEditor)
	return e, e.login("ed@example.com").AccessToken
}

func seedInto(t *testing.T, e *testEnv) {
	t.Helper()
	if _, err := seed.Load(t.Context(), e.guides, ""); err != nil {
		t.Fatal(err)
	}
}

var (
	tags       = regexp.MustCompile(`<[^>]*>`)
	scriptData = regexp.MustCompile(`(?s)<script type="application/ld\+json">.*?</script>`)
	numbered   = regexp.MustCompile(`^\d+`)
)

// pageText is what a reader sees: tags and the JSON-LD block removed, one
// line per text run.
func pageText(page string) string {
	page = scriptData.ReplaceAllString(page, "")
	page = tags.ReplaceAllString(page, "\n")
	var lines []string
	for _, l := range strings.Split(html.UnescapeString(page), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

// TestSitePageFollowsTheSeedLayout: every line of the real page appears on
// the hosted page, in the same order.
func TestSitePageFollowsTheSeedLayout(t *testing.T) {
	want, err := os.ReadFile("../seed/testdata/node-vs-django.txt")
	if err != nil {
		t.Fatal(err)
	}
	e, _ := seededSite(t, dbtest.SQLite(t))
	res := e.do("GET", "/g/node-vs-django", "", nil).wantStatus(200)
	text := pageText(string(res.body))
	at := 0
	for i, line := range strings.Split(string(want), "\n") {
		if i == 0 {
			line = "Decision Guide" // "Backend" and "Decision Guide" are one eyebrow
		}
		line = strings.TrimPrefix(numbered.ReplaceAllString(line, ""), "- ") // lists are <ol>/<ul>
		j := strings.Index(text[at:], line)
		if j < 0 {
			t.Fatalf("line %d %q missing after byte %d of the page text:\n%s", i+1, line, at, text[at:min(len(text), at+300)])
		}
		at += j + len(line)
	}
}

// TestSitePageHead checks what browsers, crawlers and the budget need.
func TestSitePageHead(t *testing.T) {
	e, _ := seededSite(t, dbtest.SQLite(t))
	res := e.do("GET", "/g/node-vs-django", "", nil).wantStatus(200)
	page := string(res.body)
	if ct := res.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type=%q", ct)
	}
	if csp := res.header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("Content-Security-Policy=%q", csp)
	}
	for _, want := range []string{
		`<html lang="en">`, `<title>Node.js vs Django: which backend should you choose?</title>`, `<meta name="description" content="Compare Node.js and Django on`,
		`<link rel="canonical" href="` + testSiteURL + `/g/node-vs-django">`,
		`<meta property="og:title" content="Node.js vs Django: which backend should you choose?">`, `<meta property="og:type" content="article">`,
		`<meta property="og:url" content="` + testSiteURL + `/g/node-vs-django">`,
		`<meta property="og:image" content="` + testSiteURL + `/og/node-vs-django.png">`,
		`<meta name="twitter:card" content="summary_large_image">`, `<meta name="twitter:title" content="Node.js vs Django: which backend should you choose?">`,
		`<nav aria-label="Breadcrumb">`, `<th scope="row">Language</th>`, `<verdict-decision guide="node-vs-django">`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if strings.Contains(page, `name="robots"`) {
		t.Error("a published page must be indexable")
	}
	// No render-blocking script: every script is a data block or an async module.
	for _, s := range regexp.MustCompile(`<script[^>]*>`).FindAllString(page, -1) {
		if !strings.Contains(s, `type="application/ld+json"`) && !(strings.Contains(s, `type="module"`) && strings.Contains(s, "async")) {
			t.Errorf("render-blocking script: %s", s)
		}
	}
	css := regexp.MustCompile(`<link rel="stylesheet" href="([^"]+)">`).FindStringSubmatch(page)
	if css == nil {
		t.Fatal("no stylesheet link")
	}
	sheet := e.do("GET", css[1], "", nil).wantStatus(200)
	if cc := sheet.header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Errorf("stylesheet Cache-Control=%q", cc)
	}
	if !strings.HasPrefix(sheet.header.Get("Content-Type"), "text/css") {
		t.Errorf("stylesheet Content-Type=%q", sheet.header.Get("Content-Type"))
	}
	// The budget: the seed guide's HTML and CSS together under 30 KB.
	if total := len(res.body) + len(sheet.body); total >= 30<<10 {
		t.Errorf("HTML %d + CSS %d = %d bytes, budget 30 KB", len(res.body), len(sheet.body), total)
	} else {
		t.Logf("HTML %d + CSS %d = %d bytes", len(res.body), len(sheet.body), total)
	}
	e.do("GET", "/g/assets/site.000000000000.css", "", nil).problem(404)
}

// TestSitePageCaching: the JSON API's validators, and the cache follows
// publishing.
func TestSitePageCaching(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e, tok := seededSite(t, db)
		first := e.do("GET", "/g/node-vs-django", "", nil).wantStatus(200)
		etag := first.header.Get("ETag")
		if etag == "" || first.header.Get("Last-Modified") == "" || !strings.HasPrefix(first.header.Get("Cache-Control"), "public, max-age=") {
			t.Fatalf("validators: %v", first.header)
		}
		if again := e.do("GET", "/g/node-vs-django?utm_source=x", "", nil).wantStatus(200); string(again.body) != string(first.body) {
			t.Fatal("a tracking parameter changed the page")
		}
		e.do("GET", "/g/node-vs-django", "", nil, "If-None-Match", etag).wantStatus(304)
		e.do("GET", "/g/nope", "", nil).problem(404)

		// Publish a new title: the page changes and the old ETag no longer matches.
		d, err := e.guides.GuideBySlug(t.Context(), "node-vs-django")
		if err != nil {
			t.Fatal(err)
		}
		in := *d.Input
		in.Title = "Node.js vs Django <2026>"
		path := "/api/v1/admin/guides/" + d.Guide.ID
		var saved struct{ Version int }
		e.do("PUT", path, tok, toDoc(t, e, path, tok, in.Title), "If-Match", fmt.Sprintf(`"%d"`, d.Guide.Version)).wantStatus(200).decode(&saved)
		if page := e.do("GET", "/g/node-vs-django", "", nil); strings.Contains(string(page.body), "&lt;2026&gt;") {
			t.Fatal("an unpublished draft reached the page")
		}
		e.do("POST", path+"/publish", tok, nil, "If-Match", fmt.Sprintf(`"%d"`, saved.Version)).wantStatus(200)
		res := e.do("GET", "/g/node-vs-django", "", nil, "If-None-Match", etag).wantStatus(200)
		if !strings.Contains(string(res.body), "<h1>Node.js vs Django &lt;2026&gt;</h1>") {
			t.Fatalf("the published title is not on the page (or not escaped)")
		}
		e.do("POST", path+"/unpublish", tok, nil, "If-Match", fmt.Sprintf(`"%d"`, saved.Version+1)).wantStatus(200)
		e.do("GET", "/g/node-vs-django", "", nil).problem(404)
	})
}

// toDoc reads a guide's editor document and changes its title.
func toDoc(t *testing.T, e *testEnv, path, tok, title string) map[string]any {
	t.Helper()
	var g struct{ Document map[string]any }
	e.do("GET", path, tok, nil).wantStatus(200).decode(&g)
	g.Document["title"] = title
	return g.Document
}

func TestSiteIndex(t *testing.T) {
	e, _ := seededSite(t, dbtest.SQLite(t))
	res := e.do("GET", "/g/", "", nil).wantStatus(200)
	text := pageText(string(res.body))
	// Categories in position order, guides by title within each.
	order := []string{"Backend", "Firebase vs Supabase", "Node.js vs Django", "Frontend", "JavaScript vs TypeScript", "React vs Next.js"}
	at := 0
	for _, s := range order {
		j := strings.Index(text[at:], s)
		if j < 0 {
			t.Fatalf("%q missing or out of order in:\n%s", s, text)
		}
		at += j + len(s)
	}
	if !strings.Contains(string(res.body), `<a href="/g/node-vs-django">`) {
		t.Error("no link to the guide page")
	}
	e.do("GET", "/g/", "", nil, "If-None-Match", res.header.Get("ETag")).wantStatus(304)
	e.do("GET", "/g", "", nil).wantStatus(200)
}

// TestGuideDraftPreview: the editor's preview pane renders whatever the
// draft holds, never cached; only undecodable JSON is refused.
func TestGuideDraftPreview(t *testing.T) {
	e, tok := seededSite(t, dbtest.SQLite(t))
	e.user("con@example.com", auth.RoleConsultant)
	con := e.login("con@example.com").AccessToken
	full := map[string]any{"title": "Bun vs Deno", "slug": "bun-vs-deno", "category": "backend", "summary": "Two **fast** runtimes. [x](javascript:alert(1))",
		"options":    []map[string]any{{"technology": "nodejs", "choose_if": []string{"You like npm"}}, {"technology": "deno-new", "choose_if": []string{"You like URLs"}}},
		"comparison": []map[string]any{{"feature": "Speed", "values": []string{"Fast", "Fast"}}},
		"checklist":  []map[string]any{{"text": "Do you need npm?", "kind": "yes_no"}},
		"tradeoffs":  []map[string]any{{"text": "Young ecosystem", "technology": "deno-new"}},
		"faq":        []map[string]any{{"question": "Which is faster?", "answer": "It *depends*."}},
		"related":    []string{"javascript-vs-typescript", "not-published"}}
	for _, c := range []struct {
		name, token string
		body        any
		status      int
		contains    []string
		absent      []string
	}{
		{"full draft", tok, full, 200,
			[]string{"<h1>Bun vs Deno</h1>", "<strong>fast</strong>", "Choose Node.js if...", "Choose deno-new if...", "<td>Fast</td>",
				"Do you need npm?", "<em>depends</em>", "JavaScript vs TypeScript", `<meta name="robots" content="noindex">`, "Draft preview",
				`<link rel="stylesheet" href="/g/assets/site.`},
			[]string{"javascript:", "not-published", "og:image", `<script type="module"`}},
		{"empty draft", tok, map[string]any{}, 200, []string{"<h1>Untitled guide</h1>", "Need help deciding?"}, nil},
		{"unknown fields are shown what is known", tok, map[string]any{"title": "T", "later": true}, 200, []string{"<h1>T</h1>"}, nil},
		{"malformed JSON", tok, `{"title": `, 400, nil, nil},
		{"wrong type", tok, map[string]any{"title": 5}, 400, nil, nil},
		{"not JSON", tok, nil, 415, nil, nil},
		{"anonymous", "", full, 401, nil, nil},
		{"consultant", con, full, 403, nil, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := e.sub(t)
			res := e.do("POST", "/api/v1/admin/guides/preview", c.token, c.body)
			if c.status != 200 {
				res.problem(c.status)
				return
			}
			res.wantStatus(200)
			if cc := res.header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control=%q", cc)
			}
			if ct := res.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("Content-Type=%q", ct)
			}
			for _, s := range c.contains {
				if !strings.Contains(string(res.body), s) {
					t.Errorf("preview lacks %s", s)
				}
			}
			for _, s := range c.absent {
				if strings.Contains(string(res.body), s) {
					t.Errorf("preview has %s", s)
				}
			}
		})
	}
}
