package httpapi_test

import (
	"strings"
	"testing"

	"github.com/verdict-cms/verdict/internal/auth"
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
