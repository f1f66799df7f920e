package httpapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
)

func TestExportImportAPI(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		in := newIntake(t, db)
		res := in.do("GET", "/api/v1/admin/export?status=published", in.tok, nil).wantStatus(200)
		var file map[string]any
		res.decode(&file)
		if file["version"] != float64(1) || len(file["guides"].([]any)) != 4 {
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
		p := in.do("POST", "/api/v1/admin/import", in.admin, map[string]any{"version": 2}).problem(http.StatusBadRequest)
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
