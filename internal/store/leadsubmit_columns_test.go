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
// a model is never silently left at its default on PostgreSQL's batch path.
func TestInsertSQLNamesEveryColumn(t *testing.T) {
	list := regexp.MustCompile(`(?s)INSERT INTO \w+ \((.*?)\)`)
	for _, tc := range []struct {
		sql   string
		model any
	}{{insertLeadSQL, models.Lead{}}, {insertOutboxSQL, models.OutboxMessage{}}} {
		s, err := schema.Parse(tc.model, &sync.Map{}, schema.NamingStrategy{})
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
		for _, c := range strings.Split(list.FindStringSubmatch(tc.sql)[1], ",") {
			got = append(got, strings.TrimSpace(c))
		}
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: insert names %v, the model has %v", s.Table, got, want)
		}
	}
}
