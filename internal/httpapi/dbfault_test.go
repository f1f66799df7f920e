package httpapi_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"testing"

	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
)

// TestSQLiteFullOrReadOnly fills the database (SQLite's max_page_count, the
// way a full disk refuses new pages) and makes it read-only (query_only):
// writes answer 503 problem+json with Retry-After, never 500, reads still
// work, /readyz names the reason, and both recover when the fault clears.
func TestSQLiteFullOrReadOnly(t *testing.T) {
	db := dbtest.SQLite(t)
	c := newContent(t, db)
	sqlDB, err := db.DB.DB()
	if err != nil {
		t.Fatal(err)
	}
	// Pragmas are per connection: one connection makes them hold for every request.
	sqlDB.SetMaxOpenConns(1)
	var pages int
	if err := db.Raw("PRAGMA page_count").Scan(&pages).Error; err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, fault, clear, detail string
	}{
		{"full", "PRAGMA max_page_count = " + itoa(pages), "PRAGMA max_page_count = 1073741823", "the database disk is full"},
		{"read-only", "PRAGMA query_only = 1", "PRAGMA query_only = 0", "the database is read-only"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &content{testEnv: c.sub(t), tok: c.tok}
			if err := db.Exec(tc.fault).Error; err != nil {
				t.Fatal(err)
			}
			// Free room in the last pages takes a few guides; then every write fails.
			refused := 0
			for i := 0; refused < 3; i++ {
				if i == 200 {
					t.Fatalf("200 guides fit into a full database")
				}
				res := c.do("POST", "/api/v1/admin/guides", c.tok, doc(tc.name+"-"+itoa(i), "A guide that may not fit"))
				if res.status == http.StatusCreated && refused == 0 {
					continue
				}
				refused++
				if p := res.problem(http.StatusServiceUnavailable); p.Detail != tc.detail || res.header.Get("Retry-After") == "" {
					t.Fatalf("write: detail %q Retry-After %q, want %q with Retry-After", p.Detail, res.header.Get("Retry-After"), tc.detail)
				}
			}
			c.do("GET", "/api/v1/guides/node-vs-django", "", nil).wantStatus(http.StatusOK)
			res := c.do("GET", "/readyz", "", nil)
			if p := res.problem(http.StatusServiceUnavailable); p.Detail != tc.detail {
				t.Fatalf("/readyz detail %q, want %q", p.Detail, tc.detail)
			}
			if err := db.Exec(tc.clear).Error; err != nil {
				t.Fatal(err)
			}
			c.do("GET", "/readyz", "", nil).wantStatus(http.StatusOK)
			c.do("POST", "/api/v1/admin/guides", c.tok, doc("fits-"+tc.name, "A guide that fits")).wantStatus(http.StatusCreated)
		})
	}
}

// TestLeadExportPastFirstPage: the CSV export streams after its handler
// returned and the request's context ended; later pages still load.
func TestLeadExportPastFirstPage(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		in := newIntake(t, db)
		const n = 501 // one more than a page
		for i := range n {
			in.submit(submission(fmt.Sprintf("Prospect %d", i))).wantStatus(http.StatusCreated)
		}
		res := in.do("GET", "/api/v1/admin/leads/export.csv", in.admin, nil).wantStatus(http.StatusOK)
		rows, err := csv.NewReader(bytes.NewReader(res.body)).ReadAll()
		if err != nil || len(rows) != n+1 {
			t.Fatalf("export: %d rows (want a header and %d), %v", len(rows), n, err)
		}
	})
}
