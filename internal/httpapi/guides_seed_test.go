package httpapi_test

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/verdict-cms/verdict/internal/auth"
	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
	"github.com/verdict-cms/verdict/internal/seed"
)

// pageGuide is the public guide JSON as a frontend reads it.
type pageGuide struct {
	Slug     string `json:"slug"`
	Title    string `json:"title"`
	Category struct {
		Name string `json:"name"`
	} `json:"category"`
	Summary string `json:"summary"`
	Options []struct {
		Technology struct {
			Slug string `json:"slug"`
			Name string `json:"name"`
		} `json:"technology"`
		ChooseIf []string `json:"choose_if"`
	} `json:"options"`
	Comparison struct {
		Columns []string `json:"columns"`
		Rows    []struct {
			Feature string   `json:"feature"`
			Values  []string `json:"values"`
		} `json:"rows"`
	} `json:"comparison"`
	Checklist struct {
		Intro     string `json:"intro"`
		Questions []struct {
			ID   string `json:"id"`
			Text string `json:"text"`
		} `json:"questions"`
	} `json:"checklist"`
	Tradeoffs []struct {
		Text       string  `json:"text"`
		Technology *string `json:"technology"`
	} `json:"tradeoffs"`
	Recommendations []struct {
		Technology string `json:"technology"`
		Text       string `json:"text"`
	} `json:"recommendations"`
	FAQ []struct {
		Question string `json:"question"`
		Answer   string `json:"answer"`
	} `json:"faq"`
	Related []struct {
		Slug     string `json:"slug"`
		Title    string `json:"title"`
		Summary  string `json:"summary"`
		Category struct {
			Name string `json:"name"`
		} `json:"category"`
	} `json:"related"`
	CallToAction struct {
		Heading string `json:"heading"`
		Title   string `json:"title"`
		Text    string `json:"text"`
	} `json:"call_to_action"`
}

// renderPage lays a public guide out the way the seed page reads, section
// by section, as a frontend template would.
func renderPage(g pageGuide) string {
	var b strings.Builder
	line := func(s string) { b.WriteString(s + "\n") }
	line(g.Category.Name + "Decision Guide")
	line(g.Title)
	line(g.Summary)
	line("Quick Verdict")
	for _, o := range g.Options {
		line("Choose " + o.Technology.Name + " if...")
		for _, c := range o.ChooseIf {
			line("- " + c)
		}
	}
	line("Side-by-Side Comparison")
	line("Feature")
	for _, c := range g.Comparison.Columns {
		line(c)
	}
	for _, r := range g.Comparison.Rows {
		line(r.Feature)
		for _, v := range r.Values {
			line(v)
		}
	}
	line("Decision Checklist")
	line(g.Checklist.Intro)
	for i, q := range g.Checklist.Questions {
		line(fmt.Sprintf("%d%s", i+1, q.Text))
	}
	line("Tradeoffs & Gotchas")
	for _, t := range g.Tradeoffs {
		line(t.Text)
	}
	line("Our Recommendation")
	for _, r := range g.Recommendations {
		line(r.Text)
	}
	line("Frequently Asked Questions")
	for _, f := range g.FAQ {
		line(f.Question)
		line(f.Answer)
	}
	line("Related Comparisons")
	for _, r := range g.Related {
		line(r.Category.Name)
		line(r.Title)
		line(r.Summary)
		line("Read more")
	}
	line(g.CallToAction.Heading)
	line(g.CallToAction.Title)
	b.WriteString(g.CallToAction.Text)
	return b.String()
}

// TestSeedGuideRoundTrip holds the real published page: seeded, read back
// through the public API and laid out, it matches the page to the byte; and
// after a round trip through the editor API (GET the draft, PUT it back,
// publish) it still does.
func TestSeedGuideRoundTrip(t *testing.T) {
	want, err := os.ReadFile("../seed/testdata/node-vs-django.txt")
	if err != nil {
		t.Fatal(err)
	}
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		if _, err := seed.Load(t.Context(), e.guides, ""); err != nil {
			t.Fatal(err)
		}
		page := func() string {
			var g pageGuide
			e.do("GET", "/api/v1/guides/node-vs-django", "", nil).wantStatus(200).decode(&g)
			return renderPage(g)
		}
		if got := page(); got != string(want) {
			t.Fatalf("seeded page differs from the real one:\n%s", diffLines(got, string(want)))
		}

		e.user("ed@example.com", auth.RoleEditor)
		tok := e.login("ed@example.com").AccessToken
		var list struct {
			Data []struct {
				ID   string `json:"id"`
				Slug string `json:"slug"`
			}
		}
		e.do("GET", "/api/v1/admin/guides?q=Node.js", tok, nil).wantStatus(200).decode(&list)
		if len(list.Data) != 1 || list.Data[0].Slug != "node-vs-django" {
			t.Fatalf("admin list: %+v", list.Data)
		}
		var g struct {
			Version  int             `json:"version"`
			Document json.RawMessage `json:"document"`
		}
		path := "/api/v1/admin/guides/" + list.Data[0].ID
		e.do("GET", path, tok, nil).wantStatus(200).decode(&g)
		var saved struct {
			Version  int             `json:"version"`
			Document json.RawMessage `json:"document"`
		}
		e.do("PUT", path, tok, string(g.Document), "If-Match", fmt.Sprintf(`"%d"`, g.Version)).wantStatus(200).decode(&saved)
		if string(saved.Document) != string(g.Document) {
			t.Fatalf("document changed in the round trip:\n%s", diffLines(string(saved.Document), string(g.Document)))
		}
		e.do("POST", path+"/publish", tok, nil, "If-Match", fmt.Sprintf(`"%d"`, saved.Version)).wantStatus(200)
		if got := page(); got != string(want) {
			t.Fatalf("page after the editor round trip differs:\n%s", diffLines(got, string(want)))
		}
	})
}

func diffLines(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range max(len(g), len(w)) {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			return fmt.Sprintf("line %d:\n got: %q\nwant: %q", i+1, a, b)
		}
	}
	return "(equal lines; lengths differ)"
}
