package guide

// Presentation is the wording every rendering of a guide shares (the public
// API, the hosted pages, the decision engine's reasons and the admin UI's
// preview), kept here so that none of them spells it differently.
type Presentation struct {
	// ChecklistIntro introduces the checklist of a guide without its own.
	ChecklistIntro string
	// RecommendationVerb starts a recommendation: "Pick Node.js for …".
	RecommendationVerb string
	// CTA is the call to action of guides without their own (configured).
	CTA CTA
}

// DefaultChecklistIntro is Presentation.ChecklistIntro.
const DefaultChecklistIntro = "Ask yourself these questions to guide your decision:"

const recommendationVerb = "Pick"

// RecommendationText reads a recommendation as every rendering shows it. The
// scenario carries its own preposition ("for real-time applications").
func RecommendationText(option, scenario string) string {
	return recommendationVerb + " " + option + " " + scenario
}

// IntroOr returns intro, or the default when it is empty.
func IntroOr(intro string) string {
	if intro == "" {
		return DefaultChecklistIntro
	}
	return intro
}

// Presentation returns the shared wording, with this installation's CTA.
func (s *Service) Presentation() Presentation {
	return Presentation{ChecklistIntro: DefaultChecklistIntro, RecommendationVerb: recommendationVerb, CTA: s.defaultCTA}
}

// CTAOr returns the call to action a guide shows: its own, else the default.
// A translation may give a guide without its own CTA a heading or text only,
// so a missing title is the default's: every rendering has one.
func (s *Service) CTAOr(own *CTA) CTA {
	if own == nil {
		return s.defaultCTA
	}
	c := *own
	if c.Title == "" {
		c.Title = s.defaultCTA.Title
	}
	return c
}
