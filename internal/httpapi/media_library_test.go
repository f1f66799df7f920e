package httpapi_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/verdict-cms/verdict/internal/auth"
	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
)

type mediaUse struct {
	Kind  string `json:"kind"`
	Slug  string `json:"slug"`
	Where string `json:"where"`
}

// TestMediaLibrary: search by name, where a file is shown (draft,
// published, logo), and delete only once nothing shows it.
func TestMediaLibrary(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		c := newContent(t, db)
		upload := func(name string, red uint8) (id, url string) {
			img := pngBytes(t)
			img = append(img, red) // distinct bytes: distinct hashes, still a PNG to the sniffer
			body, ct := multipartFile(t, name, img)
			var item struct{ ID, URL string }
			c.do("POST", "/api/v1/admin/media", c.tok, body, "Content-Type", ct).wantStatus(201).decode(&item)
			return item.ID, item.URL
		}
		diagramID, diagramURL := upload("Architecture-Diagram.png", 1)
		logoID, logoURL := upload("bun-logo.png", 2)
		freeID, freeURL := upload("unused_100%.png", 3)

		search := func(q string) []string {
			var l struct {
				Data []struct {
					OriginalName string `json:"original_name"`
				}
			}
			c.do("GET", "/api/v1/admin/media?q="+q, c.tok, nil).wantStatus(200).decode(&l)
			var names []string
			for _, m := range l.Data {
				names = append(names, m.OriginalName)
			}
			slices.Sort(names) // one upload second: the order is by hash
			return names
		}
		for _, tc := range []struct {
			q    string
			want []string
		}{
			{"diagram", []string{"Architecture-Diagram.png"}},
			{"LOGO", []string{"bun-logo.png"}},
			{"100%25", []string{"unused_100%.png"}}, // % is literal, not a wildcard
			{"_", []string{"unused_100%.png"}},
			{"png", []string{"Architecture-Diagram.png", "bun-logo.png", "unused_100%.png"}},
			{"nothing", nil},
		} {
			if diff := cmp.Diff(tc.want, search(tc.q)); diff != "" {
				t.Errorf("q=%s (-want +got):\n%s", tc.q, diff)
			}
		}

		// A published guide shows the diagram; then its draft drops it.
		d := doc("with-diagram", "With a diagram")
		d["summary"] = "See ![architecture](" + diagramURL + ")"
		g := c.create(d)
		g = c.act(g, "publish", nil)
		d["summary"] = "No picture any more."
		c.put(g, d)
		var tech struct{ Data []technologyDoc }
		c.do("GET", "/api/v1/admin/technologies?limit=1", c.tok, nil).wantStatus(200).decode(&tech)
		c.do("PUT", "/api/v1/admin/technologies/"+tech.Data[0].ID, c.tok, map[string]any{"slug": tech.Data[0].Slug, "name": tech.Data[0].Name, "logo_url": logoURL},
			"If-Match", `"1"`).wantStatus(200)

		uses := func(id string) []mediaUse {
			var l struct{ Data []mediaUse }
			c.do("GET", "/api/v1/admin/media/"+id+"/uses", c.tok, nil).wantStatus(200).decode(&l)
			return l.Data
		}
		for _, tc := range []struct {
			id   string
			want []mediaUse
		}{
			{diagramID, []mediaUse{{"guide", "with-diagram", "published"}}},
			{logoID, []mediaUse{{"technology", tech.Data[0].Slug, "logo"}}},
			{strings.TrimPrefix(logoURL, "/media/"), []mediaUse{{"technology", tech.Data[0].Slug, "logo"}}}, // the public name works too
			{freeID, []mediaUse{}},
		} {
			if diff := cmp.Diff(tc.want, uses(tc.id)); diff != "" {
				t.Errorf("uses of %s (-want +got):\n%s", tc.id, diff)
			}
		}

		// In use: 409 naming the places; the file is still served.
		res := c.do("DELETE", "/api/v1/admin/media/"+diagramID, c.tok, nil)
		p := res.problem(http.StatusConflict)
		var body struct {
			UsedBy []mediaUse `json:"used_by"`
		}
		if err := json.Unmarshal(res.body, &body); err != nil || len(body.UsedBy) != 1 || body.UsedBy[0].Slug != "with-diagram" {
			t.Fatalf("409 %s: %+v %v", res.body, body, err)
		}
		if !strings.Contains(p.Detail, "used by 1 place") {
			t.Errorf("detail %q", p.Detail)
		}
		c.do("GET", diagramURL, "", nil).wantStatus(200)

		// Unused: deleted, gone from list and URL; a second delete is 404.
		c.do("DELETE", "/api/v1/admin/media/"+freeID, c.tok, nil).wantStatus(http.StatusNoContent)
		c.do("GET", freeURL, "", nil).problem(http.StatusNotFound)
		if got := search("unused"); got != nil {
			t.Errorf("deleted file still listed: %v", got)
		}
		c.do("DELETE", "/api/v1/admin/media/"+freeID, c.tok, nil).problem(http.StatusNotFound)
		for _, bad := range []string{"zz", strings.Repeat("%25", 64), strings.Repeat("A", 64)} {
			c.do("GET", "/api/v1/admin/media/"+bad+"/uses", c.tok, nil).problem(http.StatusNotFound)
		}

		// Editors only: a consultant is refused.
		c.user("con@example.com", auth.RoleConsultant)
		con := c.login("con@example.com").AccessToken
		c.do("DELETE", "/api/v1/admin/media/"+logoID, con, nil).problem(http.StatusForbidden)
	})
}
