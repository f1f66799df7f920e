package httpapi_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
	"github.com/verdict-cms/verdict/internal/transfer"
)

func TestExportImportAPI(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		in := newIntake(t, db)
		res := in.do("GET", "/api/v1/admin/export?status=published", in.tok, nil).wantStatus(200)
		var file map[string]any
		res.decode(&file)
		if file["format"] != "verdict-export" || file["version"] != float64(2) || len(file["guides"].([]any)) != 4 {
			t.Fatalf("export: version %v, %d guides", file["version"], len(file["guides"].([]any)))
		}
		in.do("POST", "/api/v1/admin/import", in.tok, file).problem(http.StatusForbidden) // editors export only

		// Re-importing the same content changes nothing; a changed title is an update.
		var rep struct {
			DryRun  bool     `json:"dry_run"`
			Created []string `json:"created"`
			Updated []string `json:"updated"`
			Same    int      `json:"unchanged"`
		}
		in.do("POST", "/api/v1/admin/import", in.admin, file).wantStatus(200).decode(&rep)
		if len(rep.Created)+len(rep.Updated) != 0 || rep.Same != 14 {
			t.Fatalf("re-import %+v", rep)
		}
		raw, _ := json.Marshal(file)
		changed := strings.Replace(string(raw), `"title":"React vs Next.js"`, `"title":"React vs Next.js (2027)"`, 1)
		in.do("POST", "/api/v1/admin/import?dry_run=true", in.admin, changed).wantStatus(200).decode(&rep)
		if !rep.DryRun || len(rep.Updated) != 1 || rep.Updated[0] != "guide react-vs-nextjs" {
			t.Fatalf("dry run %+v", rep)
		}
		if g, _ := in.public("react-vs-nextjs"); g.Title != "React vs Next.js" {
			t.Fatal("a dry run changed content")
		}
		in.do("POST", "/api/v1/admin/import", in.admin, changed).wantStatus(200)
		if g, _ := in.public("react-vs-nextjs"); g.Title != "React vs Next.js (2027)" {
			t.Fatalf("import did not publish the change: %q", g.Title)
		}
		p := in.do("POST", "/api/v1/admin/import", in.admin, map[string]any{"format": "verdict-export", "version": 3}).problem(http.StatusBadRequest)
		if len(p.fields()) != 1 || p.fields()[0] != "version" {
			t.Fatalf("fields %v", p.fields())
		}
	})
}

// TestImportNamesEveryBadItem: a dry run reports each invalid item by its
// path, not just the first, and changes nothing.
func TestImportNamesEveryBadItem(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		in := newIntake(t, db)
		bad := doc("imported-bad", "Imported bad")
		bad["category"] = "no-such-category"
		worse := doc("imported-worse", "Imported worse")
		worse["summary"] = ""
		file := map[string]any{"version": 1,
			"categories":   []any{map[string]any{"slug": "data", "name": "Data"}, map[string]any{"slug": "Not A Slug", "name": ""}},
			"technologies": []any{},
			"guides": []any{
				map[string]any{"status": "draft", "document": doc("imported-ok", "Imported OK")},
				map[string]any{"status": "draft", "document": bad},
				map[string]any{"status": "draft", "document": worse},
			}}
		for _, path := range []string{"/api/v1/admin/import?dry_run=true", "/api/v1/admin/import"} {
			p := in.do("POST", path, in.admin, file).problem(http.StatusBadRequest)
			if p.Detail != "3 items are invalid" {
				t.Errorf("%s: detail %q", path, p.Detail)
			}
			got := strings.Join(p.fields(), " ")
			for _, want := range []string{"categories[1].slug", "categories[1].name", "guides[1].document.category", "guides[2].document.summary"} {
				if !strings.Contains(got, want) {
					t.Errorf("%s: fields %s, missing %s", path, got, want)
				}
			}
			if strings.Contains(got, "guides[0]") || strings.Contains(got, "categories[0]") {
				t.Errorf("%s: a good item named: %s", path, got)
			}
		}
		var left struct{ Data []any }
		in.do("GET", "/api/v1/admin/guides?q=Imported", in.admin, nil).wantStatus(200).decode(&left)
		if len(left.Data) != 0 {
			t.Fatalf("an invalid import left %d guides behind", len(left.Data))
		}
	})
}

// TestExportImportPublicRoundTrip exports the seeded site, imports the
// file into a fresh database of the same kind and reads every published
// guide back with the same public JSON (the publish time aside).
func TestExportImportPublicRoundTrip(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		src := newContent(t, db)
		file := src.do("GET", "/api/v1/admin/export", src.tok, nil).wantStatus(200).body
		other := dbtest.SQLite
		if db.Dialect == database.Postgres {
			other = dbtest.Postgres
		}
		dst := newEnv(t, other(t))
		if _, err := transfer.Import(t.Context(), dst.guides, "", bytes.NewReader(file), transfer.Options{}); err != nil {
			t.Fatal(err)
		}
		var page summaryPage
		src.do("GET", "/api/v1/guides?limit=100", "", nil).wantStatus(200).decode(&page)
		slugs := page.slugs()
		if !slices.Contains(slugs, "node-vs-django") || len(slugs) != 4 {
			t.Fatalf("seeded guides %v", slugs)
		}
		public := func(e *testEnv, slug string) string {
			var v map[string]any
			e.do("GET", "/api/v1/guides/"+slug, "", nil).wantStatus(200).decode(&v)
			delete(v, "published_at")
			b, _ := json.Marshal(v)
			return string(b)
		}
		for _, slug := range slugs {
			if a, b := public(src.testEnv, slug), public(dst, slug); a != b {
				t.Errorf("%s: public JSON differs after the round trip:\n%s\n%s", slug, a, b)
			}
		}
	})
}
