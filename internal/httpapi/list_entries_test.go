package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
)

// listPaths are the public list pages whose entries are stored.
var listPaths = []string{
	"/api/v1/guides?limit=50",
	"/api/v1/guides?limit=2&include_total=true",
	"/api/v1/guides?sort=title&limit=3",
	"/api/v1/guides?q=django&include_total=true",
	"/api/v1/guides?q=vs&limit=2",
	"/api/v1/guides?q=vs&sort=-title&limit=2",
	"/api/v1/guides?limit=50&locale=de",
}

// listBodies reads every list page, past the response cache.
func (c *content) listBodies() map[string]string {
	c.t.Helper()
	c.cache.Invalidate()
	out := map[string]string{}
	for _, p := range listPaths {
		out[p] = string(c.do("GET", p, "", nil).wantStatus(200).body)
	}
	return out
}

func (c *content) renderAll() {
	c.t.Helper()
	if _, err := c.renderer.RenderPending(c.t.Context()); err != nil {
		c.t.Fatal(err)
	}
	var missing int
	if err := c.db.DB.Raw("SELECT COUNT(*) FROM published_guides WHERE list_json IS NULL").Row().Scan(&missing); err != nil {
		c.t.Fatal(err)
	}
	if missing != 0 {
		c.t.Fatalf("%d guides without a stored list entry after rendering", missing)
	}
}

// TestListEntriesStored checks that list pages served from the stored list
// entries are the pages built from the guides, after every change an entry
// shows: a stale entry left stored would differ from the built one.
func TestListEntriesStored(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		c := newContent(t, db)
		c.renderAll()
		// Pages are made of the stored bytes.
		if err := db.DB.Exec("UPDATE published_guides SET list_json = ? WHERE slug = ?", []byte(`{"stored":true}`), "node-vs-django").Error; err != nil {
			t.Fatal(err)
		}
		c.cache.Invalidate()
		if body := string(c.do("GET", "/api/v1/guides?limit=50", "", nil).wantStatus(200).body); !strings.Contains(body, `{"stored":true}`) {
			t.Fatalf("the list did not serve the stored entry: %.200s", body)
		}
		if err := db.DB.Exec("UPDATE published_guides SET list_json = NULL, public_json = NULL").Error; err != nil {
			t.Fatal(err)
		}

		var g adminGuide
		techID := func(slug string) string {
			var l struct{ Data []technologyDoc }
			c.do("GET", "/api/v1/admin/technologies?limit=100", c.tok, nil).wantStatus(200).decode(&l)
			for _, tc := range l.Data {
				if tc.Slug == slug {
					return tc.ID
				}
			}
			t.Fatalf("no technology %s", slug)
			return ""
		}
		for _, step := range []struct {
			name   string
			change func()
			shows  string // in the default list after the change
		}{
			{"seeded", func() {}, `"slug":"node-vs-django"`},
			{"published", func() { g = c.act(c.create(doc("x-vs-y", "X vs Y")), "publish", nil) }, `"title":"X vs Y"`},
			{"retitled", func() {
				d := doc("x-vs-y", "X versus Y")
				d["summary"] = "A longer summary."
				g = c.act(c.put(g, d), "publish", nil)
			}, `"title":"X versus Y","summary":"A longer summary."`},
			{"technology renamed", func() {
				c.do("PUT", "/api/v1/admin/technologies/"+techID("django"), c.tok,
					map[string]any{"slug": "django", "name": "Django Web", "description": "Batteries included"}, "If-Match", `"1"`).wantStatus(200)
			}, `"name":"Django Web","description":"Batteries included"`},
			{"category renamed", func() {
				var cats struct {
					Data []struct {
						ID, Slug string
						Version  int
					}
				}
				c.do("GET", "/api/v1/admin/categories", c.tok, nil).wantStatus(200).decode(&cats)
				for _, cat := range cats.Data {
					if cat.Slug == "backend" {
						c.do("PUT", "/api/v1/admin/categories/"+cat.ID, c.tok, map[string]any{"slug": "backend", "name": "Server side"},
							"If-Match", fmt.Sprintf(`"%d"`, cat.Version)).wantStatus(200)
					}
				}
			}, `"category":{"slug":"backend","name":"Server side"}`},
			{"translated", func() {
				tr := c.translate(g.ID, "de", 0, germanTexts("x-oder-y", "X oder Y"))
				c.translationAct(g.ID, tr, "publish", nil)
			}, `"title":"X versus Y"`},
			{"unpublished", func() { g = c.act(g, "unpublish", nil) }, `"slug":"node-vs-django"`},
		} {
			c.renderAll()
			step.change()
			served := c.listBodies() // stored entries, those the change cleared built
			// Both go together: the renderer stores what has no public JSON.
			if err := db.DB.Exec("UPDATE published_guides SET list_json = NULL, public_json = NULL").Error; err != nil {
				t.Fatal(err)
			}
			built := c.listBodies()
			if !strings.Contains(built[listPaths[0]], step.shows) {
				t.Fatalf("%s: the list lacks %s: %.300s", step.name, step.shows, built[listPaths[0]])
			}
			c.renderAll()
			rendered := c.listBodies()
			for _, p := range listPaths {
				if served[p] != built[p] {
					t.Errorf("%s: %s served a stale entry:\n%s\nbuilt:\n%s", step.name, p, served[p], built[p])
				}
				if rendered[p] != built[p] {
					t.Errorf("%s: %s from entries rendered again:\n%s\nbuilt:\n%s", step.name, p, rendered[p], built[p])
				}
			}
		}
		if strings.Contains(c.listBodies()[listPaths[0]], `"x-vs-y"`) {
			t.Fatal("an unpublished guide is still listed")
		}
	})
}
