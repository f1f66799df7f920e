package httpapi

import (
	"github.com/gofiber/fiber/v2"

	"github.com/verdict-cms/verdict/internal/guide"
)

// presentationResponse is the wording every rendering of a guide shares,
// so that the admin UI's preview says what the public pages say.
type presentationResponse struct {
	ChecklistIntro     string `json:"checklist_intro"`
	RecommendationVerb string `json:"recommendation_verb"`
	CTA                ctaDoc `json:"cta"`
}

func toPresentationResponse(p guide.Presentation) presentationResponse {
	return presentationResponse{ChecklistIntro: p.ChecklistIntro, RecommendationVerb: p.RecommendationVerb, CTA: ctaDoc(p.CTA)}
}

func (a *API) handlePresentationGet(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(toPresentationResponse(a.guides.Presentation()))
}
