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
