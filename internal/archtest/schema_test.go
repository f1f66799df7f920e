package archtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gorm.io/gorm/schema"

	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
	"github.com/verdict-cms/verdict/models"
)

// rows lists every row struct of models/; TestModelsListed keeps it whole.
var rows = []any{
	models.User{}, models.RefreshToken{}, models.APIToken{}, models.Throttle{}, models.Category{}, models.Technology{},
	models.Guide{}, models.GuideRevision{}, models.GuideTechnology{}, models.GuideLink{}, models.PublishedGuide{},
	models.ConsultantProfile{}, models.ConsultantTechnology{}, models.ConsultantCategory{}, models.Lead{}, models.LeadNote{},
	models.AuditEntry{}, models.OutboxMessage{}, models.Webhook{}, models.WebhookDelivery{}, models.Media{},
	models.MediaChunk{}, models.FunnelDay{}, models.FunnelSource{}, models.FunnelVisitor{}, models.FunnelSalt{},
	models.GuideTranslation{}, models.GuideTranslationRevision{}, models.PublishedTranslation{}, models.CategoryTranslation{},
	models.TechnologyTranslation{},
}

// fullText names the full-text search machinery, which differs by design:
// a table of tsvectors on PostgreSQL, an FTS5 table (and its shadow
// tables) on SQLite. Neither is read through models/.
func fullText(dialect database.Dialect, table, column string) bool {
	if dialect == database.Postgres {
		return table == "published_search"
	}
	return strings.HasPrefix(table, "published_guides_fts")
}

// columns maps each table of a migrated database to its sorted columns,
// without the migration tool's own table.
func columns(t *testing.T, db *database.DB) map[string][]string {
	t.Helper()
	q := `SELECT m.name AS tbl, p.name AS col FROM sqlite_master m JOIN pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY 1, 2`
	if db.Dialect == database.Postgres {
		q = `SELECT table_name AS tbl, column_name AS col FROM information_schema.columns
			WHERE table_schema = current_schema() ORDER BY 1, 2`
	}
	var got []struct{ Tbl, Col string }
	if err := db.Raw(q).Scan(&got).Error; err != nil {
		t.Fatalf("%s: list columns: %v", db.Dialect, err)
	}
	out := map[string][]string{}
	for _, c := range got {
		if c.Tbl != "goose_db_version" && !fullText(db.Dialect, c.Tbl, c.Col) {
			out[c.Tbl] = append(out[c.Tbl], c.Col)
		}
	}
	return out
}

// TestSchemaParity: after every migration, PostgreSQL and SQLite have the
// same tables with the same columns, and each models/ row struct maps to
// exactly the columns of its table.
func TestSchemaParity(t *testing.T) {
	pg, lite := columns(t, dbtest.Postgres(t)), columns(t, dbtest.SQLite(t))
	if diff := cmp.Diff(pg, lite); diff != "" {
		t.Errorf("PostgreSQL (-) and SQLite (+) schemas differ:\n%s", diff)
	}
	cache, modelled := &sync.Map{}, map[string]bool{}
	for _, r := range rows {
		s, err := schema.Parse(r, cache, schema.NamingStrategy{})
		if err != nil {
			t.Fatalf("%T: %v", r, err)
		}
		modelled[s.Table] = true
		fields := slices.Clone(s.DBNames)
		slices.Sort(fields)
		if diff := cmp.Diff(lite[s.Table], fields); diff != "" {
			t.Errorf("%T and table %q differ (-table +model):\n%s", r, s.Table, diff)
		}
	}
	for table := range lite {
		if !modelled[table] {
			t.Errorf("table %s has no row struct in models/", table)
		}
	}
}

// TestModelsListed: rows names every struct type declared in models/.
func TestModelsListed(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(root(t), "models", "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("models/: %v", err)
	}
	listed := map[string]bool{}
	for _, r := range rows {
		listed[reflect.TypeOf(r).Name()] = true
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if ts, ok := n.(*ast.TypeSpec); ok {
				if _, isStruct := ts.Type.(*ast.StructType); isStruct && !listed[ts.Name.Name] {
					t.Errorf("models.%s is not in rows (schema_test.go)", ts.Name.Name)
				}
			}
			return true
		})
	}
}
