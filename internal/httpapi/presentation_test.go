package httpapi_test

import (
	"strings"
	"testing"

	"github.com/verdict-cms/verdict/internal/auth"
	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
	"github.com/verdict-cms/verdict/internal/guide"
)

// TestPresentationDefaults: editors read the shared wording from the server,
// and the public API and hosted page say exactly that.
func TestPresentationDefaults(t *testing.T) {
	e := newContent(t, dbtest.SQLite(t))
	var p struct {
		ChecklistIntro     string `json:"checklist_intro"`
		RecommendationVerb string `json:"recommendation_verb"`
		CTA                struct{ Heading, Title, Text string }
	}
	e.do("GET", "/api/v1/admin/presentation", e.tok, nil).wantStatus(200).decode(&p)
	if p.ChecklistIntro != guide.DefaultChecklistIntro || p.RecommendationVerb != "Pick" ||
		p.CTA.Title != testCTA.Title || p.CTA.Heading != testCTA.Heading || p.CTA.Text != testCTA.Text {
		t.Fatalf("presentation %+v", p)
	}
	e.user("con@example.com", auth.RoleConsultant)
	e.do("GET", "/api/v1/admin/presentation", e.login("con@example.com").AccessToken, nil).problem(403)

	var g struct {
		Checklist       struct{ Intro string }
		Recommendations []struct{ Text string }
		CallToAction    struct{ Title string } `json:"call_to_action"`
	}
	e.do("GET", "/api/v1/guides/node-vs-django", "", nil).wantStatus(200).decode(&g)
	if len(g.Recommendations) == 0 {
		t.Fatal("the seed guide has no recommendations")
	}
	for _, r := range g.Recommendations {
		if !strings.HasPrefix(r.Text, p.RecommendationVerb+" ") {
			t.Errorf("recommendation %q does not start with %q", r.Text, p.RecommendationVerb)
		}
	}
	page := string(e.do("GET", "/g/node-vs-django", "", nil).wantStatus(200).body)
	if g.Checklist.Intro == p.ChecklistIntro && !strings.Contains(page, p.ChecklistIntro) {
		t.Error("the hosted page does not show the default checklist intro")
	}
	if g.CallToAction.Title == p.CTA.Title && !strings.Contains(page, p.CTA.Title) {
		t.Error("the hosted page does not show the default call to action")
	}
}

// TestPresentationDefaultsTranslated: a translation of a guide that leaves
// the intro and the call to action to the site shows the same defaults the
// editor reads, and a translated CTA heading over the site's CTA keeps a title.
func TestPresentationDefaultsTranslated(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		c := newContent(t, db)
		var p struct {
			ChecklistIntro string `json:"checklist_intro"`
			CTA            struct{ Title string }
		}
		c.do("GET", "/api/v1/admin/presentation", c.tok, nil).wantStatus(200).decode(&p)
		g := c.act(c.create(doc("node-or-django", "Node or Django")), "publish", nil) // no intro, no CTA of its own
		texts := germanTexts("node-oder-django", "Node oder Django")
		texts["cta"] = map[string]any{"heading": "Bereit?"}
		de := c.translate(g.ID, "de", 0, texts)
		c.translationAct(g.ID, de, "publish", nil)

		type shown struct {
			Checklist    struct{ Intro string }
			CallToAction struct{ Heading, Title string } `json:"call_to_action"`
		}
		for _, tc := range []struct{ name, path, heading string }{
			{"source", "/api/v1/guides/node-or-django", ""},
			{"German", "/api/v1/guides/node-oder-django?locale=de", "Bereit?"},
		} {
			var got shown
			c.do("GET", tc.path, "", nil).wantStatus(200).decode(&got)
			if got.Checklist.Intro != p.ChecklistIntro || got.CallToAction.Title != p.CTA.Title {
				t.Errorf("%s: intro %q, CTA title %q; the server's defaults are %q, %q", tc.name, got.Checklist.Intro, got.CallToAction.Title, p.ChecklistIntro, p.CTA.Title)
			}
			if tc.heading != "" && got.CallToAction.Heading != tc.heading {
				t.Errorf("%s: CTA heading %q, want the translation's %q", tc.name, got.CallToAction.Heading, tc.heading)
			}
		}
		page := string(c.do("GET", "/g/node-or-django", "", nil, "Accept-Language", "de").wantStatus(200).body)
		if !strings.Contains(page, "Bereit?") || !strings.Contains(page, `<h2 id="cta">`+p.CTA.Title+`</h2>`) {
			t.Error("the German hosted page lacks the translated heading or the default CTA title")
		}
	})
}
