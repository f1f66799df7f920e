package guide_test

import (
	"testing"
	"time"

	"github.com/verdict-cms/verdict/internal/guide"
)

// TestCTAOr: every rendering shows a call to action with a title; the
// default fills in only what a guide (or its translation) left out of it.
func TestCTAOr(t *testing.T) {
	def := guide.CTA{Heading: "Ready?", Title: "Talk to us", Text: "We help."}
	s := guide.NewService(nil, def, time.Now)
	for _, tc := range []struct {
		name string
		own  *guide.CTA
		want guide.CTA
	}{
		{"none: the default", nil, def},
		{"own: as written", &guide.CTA{Title: "Call us", Text: "Now."}, guide.CTA{Title: "Call us", Text: "Now."}},
		{"a translated heading only: the default title", &guide.CTA{Heading: "Bereit?"}, guide.CTA{Heading: "Bereit?", Title: "Talk to us"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := s.CTAOr(tc.own); got != tc.want {
				t.Fatalf("CTAOr = %+v, want %+v", got, tc.want)
			}
		})
	}
	if p := s.Presentation(); p.CTA != def || p.ChecklistIntro != guide.DefaultChecklistIntro || p.RecommendationVerb == "" {
		t.Fatalf("Presentation %+v", p)
	}
}
