package mail

import (
	"strings"
	"testing"

	"github.com/verdict-cms/verdict/internal/lead"
)

// benchLead is a lead as the intake bench makes them: every field set.
func benchLead() *lead.Lead {
	answers := make([]lead.Answer, 8)
	for i := range answers {
		answers[i] = lead.Answer{Question: "How many requests a day will the service handle at peak?", Answer: "Between 1k and 100k"}
	}
	return &lead.Lead{ID: "0193f6d2-6a2e-7c3b-9a6e-4c0f2a1b3c4d", Reference: "VRD-4F2K9Q", Name: "Ada Lovelace", Email: "ada@example.com",
		Company: "Analytical Engines", Role: "CTO", Project: "A real-time dashboard for our factory floor. Must scale to many sensors.",
		GuideTitle: "Node.js vs Django", Answers: answers, PreferredTechnologies: []string{"nodejs"}, RequestVolume: "1k-100k-per-day",
		TeamLanguage: "javascript", Timeline: "1-3-months", Budget: "10k-50k", Recommendation: &lead.Recommendation{Leaning: "nodejs"}}
}

func BenchmarkNotification(b *testing.B) {
	c, l, owner := Composer{AdminURL: "https://cms.example.com", SiteName: "Verdict"}, benchLead(), &lead.Consultant{Name: "Nora"}
	for b.Loop() {
		if _, err := c.Notification(l, owner); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkConfirmation(b *testing.B) {
	c, l := Composer{SiteName: "Verdict"}, benchLead()
	for b.Loop() {
		if _, err := c.Confirmation(l); err != nil {
			b.Fatal(err)
		}
	}
}

// TestNotificationShowsEveryField: with every field of a lead set, both
// parts show each (the view carries all the templates ask for).
func TestNotificationShowsEveryField(t *testing.T) {
	l := benchLead()
	m, err := Composer{AdminURL: "https://cms.example.com", SiteName: "Verdict"}.Notification(l, &lead.Consultant{Name: "Nora"})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{l.Reference, "Nora", l.Recommendation.Leaning, "Ada Lovelace", l.Email, l.Company, l.Role, l.GuideTitle,
		l.RequestVolume, l.TeamLanguage, l.Timeline, l.Budget, "nodejs", "factory floor", "at peak?", "Between 1k and 100k",
		"https://cms.example.com/admin/leads/" + l.ID} {
		if !strings.Contains(m.Text, want) || !strings.Contains(m.HTML, want) {
			t.Errorf("%q missing:\n%s\n%s", want, m.Text, m.HTML)
		}
	}
}
