package httpapi_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/verdict-cms/verdict/internal/auth"
	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
	"github.com/verdict-cms/verdict/internal/seed"
)

// content is a test env with the demo content and a signed-in editor.
type content struct {
	*testEnv
	tok string
}

func newContent(t *testing.T, db *database.DB) *content {
	t.Helper()
	e := newEnv(t, db)
	if _, err := seed.Load(t.Context(), e.guides, ""); err != nil {
		t.Fatal(err)
	}
	e.drain() // the seed's publish events: start each test with an empty outbox
	e.user("ed@example.com", auth.RoleEditor)
	return &content{testEnv: e, tok: e.login("ed@example.com").AccessToken}
}

type adminGuide struct {
	ID                    string         `json:"id"`
	Status                string         `json:"status"`
	Version               int            `json:"version"`
	Revision              int            `json:"revision"`
	HasUnpublishedChanges bool           `json:"has_unpublished_changes"`
	Document              map[string]any `json:"document"`
	ScheduledAt           *string        `json:"scheduled_at"`
}

// doc is a small valid guide document.
func doc(slug, title string) map[string]any {
	return map[string]any{
		"title": title, "slug": slug, "category": "backend", "summary": "A short summary.",
		"options": []any{
			map[string]any{"technology": "nodejs", "choose_if": []string{"You know JavaScript"}},
			map[string]any{"technology": "django", "choose_if": []string{"You know Python"}},
		},
		"comparison":      []any{map[string]any{"feature": "Language", "values": []string{"JavaScript", "Python"}}},
		"checklist":       []any{map[string]any{"text": "What does your team know?"}},
		"tradeoffs":       []any{map[string]any{"text": "Churn", "technology": "nodejs"}},
		"recommendations": []any{map[string]any{"technology": "django", "scenario": "for admin panels"}},
		"faq":             []any{map[string]any{"question": "Which is faster?", "answer": "It depends."}},
		"related":         []string{"react-vs-nextjs"},
	}
}

func (c *content) create(d map[string]any) adminGuide {
	c.t.Helper()
	var g adminGuide
	c.do("POST", "/api/v1/admin/guides", c.tok, d).wantStatus(201).decode(&g)
	return g
}

// act runs a workflow action at the guide's version and returns the new state.
func (c *content) act(g adminGuide, action string, body any) adminGuide {
	c.t.Helper()
	var out adminGuide
	c.do("POST", "/api/v1/admin/guides/"+g.ID+"/"+action, c.tok, body, "If-Match", fmt.Sprintf(`"%d"`, g.Version)).wantStatus(200).decode(&out)
	return out
}

func (c *content) put(g adminGuide, d map[string]any) adminGuide {
	c.t.Helper()
	var out adminGuide
	c.do("PUT", "/api/v1/admin/guides/"+g.ID, c.tok, d, "If-Match", fmt.Sprintf(`"%d"`, g.Version)).wantStatus(200).decode(&out)
	return out
}

func (c *content) public(slug string) (pageGuide, int) {
	c.t.Helper()
	res := c.do("GET", "/api/v1/guides/"+slug, "", nil)
	var g pageGuide
	if res.status == 200 {
		res.decode(&g)
	}
	return g, res.status
}

func TestGuideValidation(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		c := newContent(t, db)
		with := func(edit func(d map[string]any)) map[string]any {
			d := doc("new-guide", "New guide")
			edit(d)
			return d
		}
		for _, tc := range []struct {
			name   string
			body   map[string]any
			fields []string
		}{
			{"empty", map[string]any{}, []string{"title", "slug", "summary", "category", "options"}},
			{"bad slug", with(func(d map[string]any) { d["slug"] = "Node vs Django" }), []string{"slug"}},
			{"taken slug", with(func(d map[string]any) { d["slug"] = "node-vs-django" }), []string{"slug"}},
			{"unknown category", with(func(d map[string]any) { d["category"] = "mobile" }), []string{"category"}},
			{"one option", with(func(d map[string]any) {
				d["options"] = d["options"].([]any)[:1]
				d["comparison"] = []any{}
				d["tradeoffs"] = []any{}
				d["recommendations"] = []any{}
			}), []string{"options"}},
			{"unknown and duplicate options", with(func(d map[string]any) {
				d["options"] = []any{map[string]any{"technology": "nodejs"}, map[string]any{"technology": "nodejs"}, map[string]any{"technology": "cobol"}}
				d["comparison"] = []any{}
				d["recommendations"] = []any{}
			}), []string{"options[1].technology", "options[2].technology"}},
			{"row value count", with(func(d map[string]any) {
				d["comparison"] = []any{map[string]any{"feature": "ORM", "values": []string{"Choose your own"}}}
			}), []string{"comparison[0].values"}},
			{"recommendation not an option", with(func(d map[string]any) {
				d["recommendations"] = []any{map[string]any{"technology": "react", "scenario": "for UIs"}}
			}), []string{"recommendations[0].technology"}},
			{"tradeoff unknown technology", with(func(d map[string]any) {
				d["tradeoffs"] = []any{map[string]any{"text": "x", "technology": "cobol"}}
			}), []string{"tradeoffs[0].technology"}},
			{"related missing and self", with(func(d map[string]any) { d["related"] = []string{"nope", "new-guide"} }), []string{"related[0]", "related[1]"}},
			{"empty texts", with(func(d map[string]any) {
				d["faq"] = []any{map[string]any{"question": " ", "answer": ""}}
				d["checklist"] = []any{map[string]any{"text": ""}}
			}), []string{"checklist[0].text", "faq[0].question", "faq[0].answer"}},
			{"over-long title", with(func(d map[string]any) { d["title"] = strings.Repeat("t", 201) }), []string{"title"}},
			{"html", with(func(d map[string]any) { d["summary"] = `Hi <script>alert(1)</script>` }), []string{"summary"}},
			{"img onerror", with(func(d map[string]any) {
				d["faq"] = []any{map[string]any{"question": "Q", "answer": `<img src=x onerror=alert(1)>`}}
			}), []string{"faq[0].answer"}},
			{"javascript link", with(func(d map[string]any) {
				d["faq"] = []any{map[string]any{"question": "Q", "answer": "[click](javascript:alert(1))"}}
			}), []string{"faq[0].answer"}},
			{"markdown links a regex misses", with(func(d map[string]any) {
				d["summary"] = "See [the docs][1].\n\n[1]: javascript:alert(1)"
				d["faq"] = []any{
					map[string]any{"question": "Q", "answer": `[x](javascript\:alert(1))`},
					map[string]any{"question": "Q", "answer": "[x](&#106;avascript:alert(1))"},
					map[string]any{"question": "Q", "answer": "![x](data:image/svg+xml,AAAA)"},
					map[string]any{"question": "Q", "answer": "[x](javascript&colon;alert(1))"},
				}
			}), []string{"summary", "faq[0].answer", "faq[1].answer", "faq[2].answer", "faq[3].answer"}},
			{"control character", with(func(d map[string]any) { d["title"] = "Title\x07" }), []string{"title"}},
			{"duplicate question ids", with(func(d map[string]any) {
				d["checklist"] = []any{map[string]any{"id": "q", "text": "A?"}, map[string]any{"id": "q", "text": "B?"}}
			}), []string{"checklist[1].id"}},
			{"unknown field", with(func(d map[string]any) { d["body_html"] = "x" }), []string{"body_html"}},
			{"question kind", with(func(d map[string]any) {
				d["checklist"] = []any{map[string]any{"text": "Q?", "kind": "ranking"}}
			}), []string{"checklist[0].kind"}},
			{"choices on an open question", with(func(d map[string]any) {
				d["checklist"] = []any{map[string]any{"text": "Q?", "choices": []any{map[string]any{"label": "A"}}}}
			}), []string{"checklist[0].choices"}},
			{"choice weights", with(func(d map[string]any) {
				d["checklist"] = []any{map[string]any{"text": "Q?", "kind": "single", "choices": []any{
					map[string]any{"label": "A", "weights": map[string]int{"react": 1, "nodejs": 500}},
					map[string]any{"label": "A", "supports": "nope"},
				}}}
			}), []string{"checklist[0].choices[0].weights.nodejs", "checklist[0].choices[0].weights.react", "checklist[0].choices[1].id", "checklist[0].choices[1].supports", "checklist[0].choices"}},
			{"yes/no needs two choices", with(func(d map[string]any) {
				d["checklist"] = []any{map[string]any{"text": "Q?", "kind": "yes_no", "choices": []any{
					map[string]any{"id": "yes", "label": "Yes", "weights": map[string]int{"nodejs": 1}},
				}}}
			}), []string{"checklist[0].choices"}},
			{"wrong type", with(func(d map[string]any) { d["options"] = "nodejs,django" }), []string{"options"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c := &content{testEnv: c.sub(t), tok: c.tok}
				p := c.do("POST", "/api/v1/admin/guides", c.tok, tc.body).problem(http.StatusBadRequest)
				if !slices.Equal(p.fields(), tc.fields) {
					t.Fatalf("fields=%v, want %v", p.fields(), tc.fields)
				}
			})
		}
		// Markdown and angle brackets in prose are fine.
		ok := doc("md-guide", "Markdown guide")
		ok["summary"] = "Use **bold**, `code`, [links](https://example.com), [mail](mailto:a@example.com), [ref][r], " +
			"[relative](../other), ![logo](/media/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.png) and a < b comparisons.\n\n[r]: https://example.com/ref"
		c.create(ok)
	})
}

func TestGuideWorkflow(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		c := newContent(t, db)
		g := c.create(doc("bun-vs-deno", "Bun vs Deno"))
		if g.Status != "draft" || g.Revision != 1 || !g.HasUnpublishedChanges {
			t.Fatalf("created %+v", g)
		}
		if _, st := c.public("bun-vs-deno"); st != 404 {
			t.Fatalf("a draft is public: %d", st)
		}
		g = c.act(g, "publish", nil)
		if g.Status != "published" || g.HasUnpublishedChanges {
			t.Fatalf("published %+v", g)
		}
		pub, st := c.public("bun-vs-deno")
		if st != 200 || pub.Title != "Bun vs Deno" || len(pub.Related) != 1 || pub.Related[0].Slug != "react-vs-nextjs" {
			t.Fatalf("public %d %+v", st, pub)
		}
		if pub.CallToAction.Title != "Need help deciding?" {
			t.Fatalf("no site default call to action: %+v", pub.CallToAction)
		}

		// Editing changes the draft only; the public sees the snapshot.
		d := doc("bun-vs-deno", "Bun vs Deno, revised")
		g = c.put(g, d)
		if !g.HasUnpublishedChanges || g.Revision != 2 {
			t.Fatalf("after edit %+v", g)
		}
		if pub, _ := c.public("bun-vs-deno"); pub.Title != "Bun vs Deno" {
			t.Fatalf("the public sees the draft: %q", pub.Title)
		}
		// Drafts show to editors and preview tokens, not to the public.
		var prev pageGuide
		c.do("GET", "/api/v1/guides/bun-vs-deno?preview=true", c.tok, nil).wantStatus(200).decode(&prev)
		if prev.Title != "Bun vs Deno, revised" {
			t.Fatalf("preview shows %q", prev.Title)
		}
		c.do("GET", "/api/v1/guides/bun-vs-deno?preview=true", "", nil).problem(401)
		_, readTok, _ := c.auth.CreateAPIToken(t.Context(), auth.NewAPIToken{Name: "site", Scope: auth.ScopeContentRead})
		c.do("GET", "/api/v1/guides/bun-vs-deno?preview=true", readTok, nil).problem(403)
		_, previewTok, _ := c.auth.CreateAPIToken(t.Context(), auth.NewAPIToken{Name: "preview", Scope: auth.ScopeContentPreview})
		c.do("GET", "/api/v1/guides/bun-vs-deno?preview=true", previewTok, nil).wantStatus(200)

		g = c.act(g, "publish", nil)
		if pub, _ := c.public("bun-vs-deno"); pub.Title != "Bun vs Deno, revised" {
			t.Fatalf("republish not visible: %q", pub.Title)
		}

		// A related guide that is unpublished drops out of reads, and comes
		// back when it is published again, with nobody editing this guide.
		var list struct {
			Data []adminGuide `json:"data"`
		}
		c.do("GET", "/api/v1/admin/guides?q=React", c.tok, nil).wantStatus(200).decode(&list)
		react := list.Data[0]
		// Totals count every guide the filter selects, past the page.
		var counted struct {
			Data  []adminGuide `json:"data"`
			Total *int         `json:"total"`
		}
		c.do("GET", "/api/v1/admin/guides?include_total=true&limit=1", c.tok, nil).wantStatus(200).decode(&counted)
		if counted.Total == nil || *counted.Total < 2 || len(counted.Data) != 1 {
			t.Fatalf("all guides: total %v, page %d", counted.Total, len(counted.Data))
		}
		c.do("GET", "/api/v1/admin/guides?include_total=true&q=React", c.tok, nil).wantStatus(200).decode(&counted)
		if counted.Total == nil || *counted.Total != len(list.Data) {
			t.Fatalf("searched guides: total %v, want %d", counted.Total, len(list.Data))
		}
		react = c.act(react, "unpublish", nil)
		if pub, _ := c.public("bun-vs-deno"); len(pub.Related) != 0 {
			t.Fatalf("an unpublished guide is still linked: %+v", pub.Related)
		}
		c.act(react, "publish", nil)
		if pub, _ := c.public("bun-vs-deno"); len(pub.Related) != 1 {
			t.Fatalf("the republished link did not come back: %+v", pub.Related)
		}

		g = c.act(g, "unpublish", nil)
		if _, st := c.public("bun-vs-deno"); st != 404 || g.Status != "draft" {
			t.Fatalf("after unpublish: %d %s", st, g.Status)
		}
		g = c.act(g, "archive", nil)
		if g.Status != "archived" {
			t.Fatalf("archive: %s", g.Status)
		}
		c.do("POST", "/api/v1/admin/guides/"+g.ID+"/unpublish", c.tok, nil, "If-Match", fmt.Sprintf(`"%d"`, g.Version)).problem(409)
		c.do("POST", "/api/v1/admin/guides/"+g.ID+"/publish", c.tok, nil).problem(428)
	})
}

func TestGuideSchedule(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		c := newContent(t, db)
		g := c.create(doc("later", "Later"))
		at := c.clock.Now().Add(time.Hour)
		c.do("POST", "/api/v1/admin/guides/"+g.ID+"/schedule", c.tok, map[string]any{"publish_at": c.clock.Now().Add(-time.Minute)},
			"If-Match", fmt.Sprintf(`"%d"`, g.Version)).problem(400)
		// Cancelling a schedule returns the draft to draft, and only a scheduled one.
		g = c.act(g, "schedule", map[string]any{"publish_at": at})
		var back adminGuide
		c.do("DELETE", "/api/v1/admin/guides/"+g.ID+"/schedule", c.tok, nil, "If-Match", fmt.Sprintf(`"%d"`, g.Version)).wantStatus(200).decode(&back)
		if back.Status != "draft" || back.ScheduledAt != nil {
			t.Fatalf("after cancel: %s %v", back.Status, back.ScheduledAt)
		}
		c.do("DELETE", "/api/v1/admin/guides/"+g.ID+"/schedule", c.tok, nil, "If-Match", fmt.Sprintf(`"%d"`, back.Version)).problem(409)
		g = c.act(back, "schedule", map[string]any{"publish_at": at})
		if g.Status != "scheduled" {
			t.Fatalf("status %s", g.Status)
		}
		if n, err := c.guides.PublishDue(t.Context()); err != nil || n != 0 {
			t.Fatalf("published %d early (%v)", n, err)
		}
		c.clock.Advance(2 * time.Hour)
		if n, err := c.guides.PublishDue(t.Context()); err != nil || n != 1 {
			t.Fatalf("PublishDue=%d, %v", n, err)
		}
		if _, st := c.public("later"); st != 200 {
			t.Fatalf("scheduled guide not public: %d", st)
		}
		if n, _ := c.guides.PublishDue(t.Context()); n != 0 {
			t.Fatalf("published twice")
		}
	})
}

func TestGuideConcurrentEditsConflict(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		c := newContent(t, db)
		g := c.create(doc("two-editors", "Two editors"))
		first := doc("two-editors", "First editor's title")
		second := doc("two-editors", "Second editor's title")
		c.put(g, first)
		p := c.do("PUT", "/api/v1/admin/guides/"+g.ID, c.tok, second, "If-Match", fmt.Sprintf(`"%d"`, g.Version)).problem(409)
		if p.CurrentVersion != g.Version+1 {
			t.Fatalf("current_version=%d, want %d", p.CurrentVersion, g.Version+1)
		}
		var now adminGuide
		c.do("GET", "/api/v1/admin/guides/"+g.ID, c.tok, nil).wantStatus(200).decode(&now)
		if now.Document["title"] != "First editor's title" {
			t.Fatalf("the second save overwrote the first: %v", now.Document["title"])
		}
		c.do("PUT", "/api/v1/admin/guides/"+g.ID, c.tok, second).problem(428)
		// A rejected save leaves nothing behind: no revision, no change.
		bad := doc("two-editors", "")
		c.do("PUT", "/api/v1/admin/guides/"+g.ID, c.tok, bad, "If-Match", fmt.Sprintf(`"%d"`, now.Version)).problem(400)
		var revs struct{ Data []map[string]any }
		c.do("GET", "/api/v1/admin/guides/"+g.ID+"/revisions", c.tok, nil).wantStatus(200).decode(&revs)
		if len(revs.Data) != 2 {
			t.Fatalf("%d revisions, want 2", len(revs.Data))
		}
	})
}

func TestGuideRevisionsAndRestore(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		c := newContent(t, db)
		g := c.create(doc("history", "Version one"))
		g = c.put(g, doc("history", "Version two"))
		g = c.put(g, doc("history", "Version three"))
		var revs struct {
			Data []struct {
				Number int    `json:"number"`
				Action string `json:"action"`
			}
		}
		c.do("GET", "/api/v1/admin/guides/"+g.ID+"/revisions", c.tok, nil).wantStatus(200).decode(&revs)
		if len(revs.Data) != 3 || revs.Data[0].Number != 3 || revs.Data[2].Action != "created" {
			t.Fatalf("revisions %+v", revs.Data)
		}
		var one struct {
			Document map[string]any `json:"document"`
		}
		c.do("GET", "/api/v1/admin/guides/"+g.ID+"/revisions/1", c.tok, nil).wantStatus(200).decode(&one)
		if one.Document["title"] != "Version one" {
			t.Fatalf("revision 1 reads %v", one.Document["title"])
		}
		var restored adminGuide
		c.do("POST", "/api/v1/admin/guides/"+g.ID+"/revisions/1/restore", c.tok, nil, "If-Match", fmt.Sprintf(`"%d"`, g.Version)).
			wantStatus(200).decode(&restored)
		if restored.Revision != 4 || restored.Document["title"] != "Version one" {
			t.Fatalf("restore made %+v", restored)
		}
		c.do("GET", "/api/v1/admin/guides/"+g.ID+"/revisions", c.tok, nil).wantStatus(200).decode(&revs)
		if len(revs.Data) != 4 || revs.Data[0].Action != "restored from 1" {
			t.Fatalf("history after restore %+v", revs.Data)
		}
		c.do("GET", "/api/v1/admin/guides/"+g.ID+"/revisions/9", c.tok, nil).problem(404)
		c.do("GET", "/api/v1/admin/guides/"+g.ID+"/revisions/x", c.tok, nil).problem(404)
	})
}

func TestGuideDeleteRefusedWhileLinked(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		c := newContent(t, db)
		var list struct{ Data []adminGuide }
		c.do("GET", "/api/v1/admin/guides?q=Firebase", c.tok, nil).wantStatus(200).decode(&list)
		target := list.Data[0]
		res := c.do("DELETE", "/api/v1/admin/guides/"+target.ID, c.tok, nil)
		res.problem(409)
		var body struct {
			LinkedFrom []struct {
				Slug string `json:"slug"`
			} `json:"linked_from"`
		}
		res.decode(&body)
		if len(body.LinkedFrom) != 1 || body.LinkedFrom[0].Slug != "node-vs-django" {
			t.Fatalf("linked_from=%+v", body.LinkedFrom)
		}
		g := c.create(doc("lonely", "Lonely"))
		g = c.act(g, "publish", nil)
		c.do("DELETE", "/api/v1/admin/guides/"+g.ID, c.tok, nil).wantStatus(204)
		if _, st := c.public("lonely"); st != 404 {
			t.Fatalf("a deleted guide is still public: %d", st)
		}
		c.do("DELETE", "/api/v1/admin/guides/"+g.ID, c.tok, nil).problem(404)
	})
}

func seedContent(e *testEnv) (any, error) { return seed.Load(e.t.Context(), e.guides, "") }
