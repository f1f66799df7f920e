package httpapi_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
)

// TestNumbersBeyond32Bits: numbers that fit Go's int but not PostgreSQL's
// integer columns are client errors on both databases, not a driver error.
func TestNumbersBeyond32Bits(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		in := newIntake(t, db)
		var guides, cats struct{ Data []struct{ ID string } }
		in.do("GET", "/api/v1/admin/guides", in.admin, nil).wantStatus(200).decode(&guides)
		in.do("GET", "/api/v1/admin/categories", in.admin, nil).wantStatus(200).decode(&cats)
		for _, tc := range []struct {
			name, method, path string
			body               any
			headers            []string
			status             int
			field              string
		}{
			{"user If-Match", "PUT", "/api/v1/admin/users/" + in.nora.ID, map[string]any{"name": "", "role": "consultant"}, []string{"If-Match", `"2147483648"`}, 400, "If-Match"},
			{"category If-Match", "PUT", "/api/v1/admin/categories/" + cats.Data[0].ID, map[string]any{"slug": "backend", "name": "Backend"}, []string{"If-Match", `"9999999999"`}, 400, "If-Match"},
			{"category position", "POST", "/api/v1/admin/categories", map[string]any{"slug": "big", "name": "Big", "position": 9999999999}, nil, 400, "position"},
			{"revision number", "GET", "/api/v1/admin/guides/" + guides.Data[0].ID + "/revisions/9999999999", nil, nil, 404, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p := in.sub(t).do(tc.method, tc.path, in.admin, tc.body, tc.headers...).problem(tc.status)
				if tc.field != "" && !slices.Equal(p.fields(), []string{tc.field}) {
					t.Fatalf("fields=%v, want [%s]", p.fields(), tc.field)
				}
			})
		}
		in.do("GET", "/api/v1/admin/guides/"+guides.Data[0].ID+"/revisions/1", in.admin, nil).wantStatus(http.StatusOK)
	})
}
