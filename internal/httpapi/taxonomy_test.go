package httpapi_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/verdict-cms/verdict/internal/auth"
	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
)

func TestTaxonomyCRUD(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		c := newContent(t, db)
		type item struct {
			ID      string `json:"id"`
			Slug    string `json:"slug"`
			Name    string `json:"name"`
			Version int    `json:"version"`
		}
		for _, kind := range []struct {
			path    string
			valid   map[string]any
			updated map[string]any
			bad     map[string]any
			fields  []string
			inUse   string // slug of an item the seed's guides use
		}{
			{"categories", map[string]any{"slug": "mobile", "name": "Mobile", "position": 3},
				map[string]any{"slug": "mobile-apps", "name": "Mobile apps", "position": 3},
				map[string]any{"slug": "Mobile!", "name": "", "description": "<b>x</b>"}, []string{"slug", "name", "description"}, "backend"},
			{"technologies", map[string]any{"slug": "flutter", "name": "Flutter", "language": "Dart", "website_url": "https://flutter.dev"},
				map[string]any{"slug": "flutter", "name": "Flutter SDK", "language": "Dart"},
				map[string]any{"slug": "flutter", "name": "Flutter", "website_url": "javascript:alert(1)", "logo_url": "ftp://x"}, []string{"website_url", "logo_url"}, "nodejs"},
		} {
			t.Run(kind.path, func(t *testing.T) {
				c := &content{testEnv: c.sub(t), tok: c.tok}
				base := "/api/v1/admin/" + kind.path
				p := c.do("POST", base, c.tok, kind.bad).problem(400)
				if !slices.Equal(p.fields(), kind.fields) {
					t.Fatalf("fields=%v, want %v", p.fields(), kind.fields)
				}
				var it item
				res := c.do("POST", base, c.tok, kind.valid).wantStatus(201)
				res.decode(&it)
				if res.header.Get("Location") != base+"/"+it.ID {
					t.Fatalf("Location=%q", res.header.Get("Location"))
				}
				p = c.do("POST", base, c.tok, kind.valid).problem(400)
				if !slices.Equal(p.fields(), []string{"slug"}) {
					t.Fatalf("duplicate slug: fields=%v", p.fields())
				}
				var up item
				c.do("PUT", base+"/"+it.ID, c.tok, kind.updated, "If-Match", `"1"`).wantStatus(200).decode(&up)
				if up.Version != 2 || up.Name != kind.updated["name"] {
					t.Fatalf("updated %+v", up)
				}
				p = c.do("PUT", base+"/"+it.ID, c.tok, kind.valid, "If-Match", `"1"`).problem(409)
				if p.CurrentVersion != 2 {
					t.Fatalf("current_version=%d", p.CurrentVersion)
				}
				c.do("DELETE", base+"/"+it.ID, c.tok, nil).wantStatus(204)
				c.do("GET", base+"/"+it.ID, c.tok, nil).problem(404)

				// Items that guides use cannot be deleted.
				var list struct{ Data []item }
				c.do("GET", base+"?limit=100", c.tok, nil).wantStatus(200).decode(&list)
				i := slices.IndexFunc(list.Data, func(x item) bool { return x.Slug == kind.inUse })
				if i < 0 {
					t.Fatalf("%s not listed", kind.inUse)
				}
				c.do("DELETE", base+"/"+list.Data[i].ID, c.tok, nil).problem(409)
			})
		}

		// Renaming a technology shows in published guides at once.
		var techs struct {
			Data []struct {
				ID      string `json:"id"`
				Slug    string `json:"slug"`
				Version int    `json:"version"`
			}
		}
		c.do("GET", "/api/v1/admin/technologies?limit=100", c.tok, nil).wantStatus(200).decode(&techs)
		i := slices.IndexFunc(techs.Data, func(x struct {
			ID      string `json:"id"`
			Slug    string `json:"slug"`
			Version int    `json:"version"`
		}) bool {
			return x.Slug == "django"
		})
		c.public("node-vs-django") // fill the cache
		c.do("PUT", "/api/v1/admin/technologies/"+techs.Data[i].ID, c.tok, map[string]any{"slug": "django", "name": "Django 5", "language": "Python"},
			"If-Match", fmt.Sprintf(`"%d"`, techs.Data[i].Version)).wantStatus(200)
		if g, _ := c.public("node-vs-django"); g.Options[1].Technology.Name != "Django 5" {
			t.Fatalf("rename not visible: %q", g.Options[1].Technology.Name)
		}
	})
}

// TestContentRoutesRoles checks who may use the editorial routes.
func TestContentRoutesRoles(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		c := newContent(t, db)
		c.user("cy@example.com", auth.RoleConsultant)
		c.user("root@example.com", auth.RoleAdmin)
		consultant := c.login("cy@example.com").AccessToken
		admin := c.login("root@example.com").AccessToken
		_, apiTok, _ := c.auth.CreateAPIToken(t.Context(), auth.NewAPIToken{Name: "p", Scope: auth.ScopeContentPreview})
		for _, path := range []string{"/api/v1/admin/guides", "/api/v1/admin/categories", "/api/v1/admin/technologies"} {
			for _, tc := range []struct {
				name, tok string
				want      int
			}{
				{"none", "", http.StatusUnauthorized},
				{"consultant", consultant, http.StatusForbidden},
				{"api token", apiTok, http.StatusForbidden},
				{"editor", c.tok, http.StatusOK},
				{"admin", admin, http.StatusOK},
			} {
				if got := c.do("GET", path, tc.tok, nil).status; got != tc.want {
					t.Errorf("GET %s as %s: %d, want %d", path, tc.name, got, tc.want)
				}
			}
		}
		c.do("POST", "/api/v1/admin/guides", consultant, doc("x", "X")).problem(http.StatusForbidden)
	})
}
