package httpapi_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
)

type auditPage struct {
	Data []struct {
		ActorID   *string `json:"actor_id"`
		Action    string  `json:"action"`
		SubjectID string  `json:"subject_id"`
		Detail    string  `json:"detail"`
	} `json:"data"`
	NextCursor *string `json:"next_cursor"`
}

// TestAuditLog checks that sign-ins, user changes, publishing and lead
// erasures are recorded with who did them, newest first, for admins only.
func TestAuditLog(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		in := newIntake(t, db) // admin signs in, sets two consultants' expertise
		var list struct{ Data []adminGuide }
		in.do("GET", "/api/v1/admin/guides?q=React", in.tok, nil).wantStatus(200).decode(&list)
		in.act(list.Data[0], "unpublish", nil)
		l := in.ownedLead("Ada Lovelace")
		in.do("DELETE", "/api/v1/admin/leads/"+l.ID, in.admin, nil).wantStatus(204)
		in.do("PUT", "/api/v1/admin/users/"+in.ben.ID, in.admin, map[string]any{"name": "", "role": "editor"}, "If-Match", `"1"`).wantStatus(200)

		var got auditPage
		in.do("GET", "/api/v1/admin/audit?limit=100", in.admin, nil).wantStatus(200).decode(&got)
		var actions []string
		for _, e := range got.Data {
			actions = append(actions, e.Action)
		}
		for _, want := range []string{"auth.login", "guide.unpublished", "lead.erased", "user.updated"} {
			if !slices.Contains(actions, want) {
				t.Errorf("no %s entry in %v", want, actions)
			}
		}
		if got.Data[0].Action != "user.updated" || got.Data[0].Detail != "role consultant→editor, disabled false→false" {
			t.Fatalf("newest entry %+v", got.Data[0])
		}
		if got.Data[0].ActorID == nil || got.Data[0].SubjectID != in.ben.ID {
			t.Fatalf("entry without its actor or subject: %+v", got.Data[0])
		}

		// Filters and keyset pages.
		in.do("GET", "/api/v1/admin/audit?action=guide.unpublished", in.admin, nil).wantStatus(200).decode(&got)
		if len(got.Data) != 1 || got.Data[0].SubjectID != list.Data[0].ID {
			t.Fatalf("action filter %+v", got.Data)
		}
		in.do("GET", "/api/v1/admin/audit?limit=2", in.admin, nil).wantStatus(200).decode(&got)
		first := slices.Clone(got.Data) // the next decode reuses the backing array
		in.do("GET", "/api/v1/admin/audit?limit=2&cursor="+*got.NextCursor, in.admin, nil).wantStatus(200).decode(&got)
		if len(got.Data) != 2 || got.Data[0].Action == first[0].Action && got.Data[0].SubjectID == first[0].SubjectID {
			t.Fatalf("second page repeats the first: %+v", got.Data)
		}
		in.do("GET", "/api/v1/admin/audit", in.tok, nil).problem(http.StatusForbidden)
		in.do("GET", "/api/v1/admin/audit?sort=asc", in.admin, nil).problem(http.StatusBadRequest)
	})
}
