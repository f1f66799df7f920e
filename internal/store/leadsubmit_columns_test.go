package store

import (
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm/schema"

	"github.com/verdict-cms/verdict/models"
)

// TestInsertSQLNamesEveryColumn: the intake's hand-written inserts name
// every column of their row structs, so a column added by a migration and
// a model is never silently left at its default on PostgreSQL's fast paths.
func TestInsertSQLNamesEveryColumn(t *testing.T) {
	list := regexp.MustCompile(`(?s)INSERT INTO (\w+) \((.*?)\)`)
	models := map[string]any{"leads": models.Lead{}, "outbox": models.OutboxMessage{}}
	checked := 0
	for _, sql := range []string{insertLeadSQL, insertOutboxSQL, insertLimitedSQL} {
		for _, m := range list.FindAllStringSubmatch(sql, -1) {
			model, ok := models[m[1]]
			if !ok {
				continue // the throttle's upsert
			}
			checked++
			s, err := schema.Parse(model, &sync.Map{}, schema.NamingStrategy{})
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, f := range s.Fields {
				if f.DBName != "" {
					want = append(want, f.DBName)
				}
			}
			var got []string
			for _, c := range strings.Split(m[2], ",") {
				got = append(got, strings.TrimSpace(c))
			}
			slices.Sort(want)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("%s: insert names %v, the model has %v", s.Table, got, want)
			}
		}
	}
	if checked != 4 {
		t.Fatalf("checked %d inserts, want 4", checked)
	}
}
