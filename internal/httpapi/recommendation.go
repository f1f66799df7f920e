package httpapi

import (
	"encoding/json"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/guide"
)

type recommendationRequest struct {
	Answers map[string]json.RawMessage `json:"answers"`
}

type recommendationResponse struct {
	Guide      string           `json:"guide"`
	Leaning    string           `json:"leaning"`
	Tie        bool             `json:"tie"`
	Options    []optionScoreDoc `json:"options"`
	Unanswered []questionRef    `json:"unanswered"`
}

type optionScoreDoc struct {
	Technology struct {
		Slug string `json:"slug"`
		Name string `json:"name"`
	} `json:"technology"`
	Score   int         `json:"score"`
	Share   float64     `json:"share"`
	Rank    int         `json:"rank"`
	Reasons []reasonDoc `json:"reasons"`
}

type reasonDoc struct {
	QuestionID string `json:"question_id"`
	Question   string `json:"question"`
	ChoiceID   string `json:"choice_id"`
	Choice     string `json:"choice"`
	Weight     int    `json:"weight"`
	Supports   string `json:"supports,omitempty"`
	Short      string `json:"short"`
}

type questionRef struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// decodeAnswers reads answers given as a choice ID or a list of them.
func decodeAnswers(raw map[string]json.RawMessage) (map[string][]string, error) {
	var fe apperr.Fields
	out := make(map[string][]string, len(raw))
	for qid, v := range raw {
		var one string
		if err := json.Unmarshal(v, &one); err == nil {
			out[qid] = []string{one}
			continue
		}
		var many []string
		if err := json.Unmarshal(v, &many); err != nil {
			fe.Add("answers."+qid, "type", "must be a choice ID or a list of choice IDs")
			continue
		}
		out[qid] = many
	}
	return out, fe.Err()
}

// handleGuideRecommendation scores a prospect's answers. The guide's model
// is compiled once and kept in memory until content changes, so a request
// touches no database.
func (a *API) handleGuideRecommendation(c *fiber.Ctx) error {
	var req recommendationRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	answers, err := decodeAnswers(req.Answers)
	if err != nil {
		return err
	}
	m, err := a.guideModel(c, strings.Clone(c.Params("slug")))
	if err != nil {
		return err
	}
	r, err := m.Score(answers)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(toRecommendationResponse(c.Params("slug"), r))
}

func (a *API) guideModel(c *fiber.Ctx, slug string) (*guide.Model, error) {
	m, gen := a.cache.model(slug)
	if m != nil {
		return m, nil
	}
	v, err := a.guides.PublishedGuide(c.UserContext(), slug)
	if err != nil {
		return nil, err
	}
	m = guide.Compile(v)
	a.cache.putModel(slug, gen, m)
	return m, nil
}

func toRecommendationResponse(slug string, r *guide.Result) recommendationResponse {
	resp := recommendationResponse{Guide: slug, Leaning: r.Leaning(), Tie: r.Tie, Options: make([]optionScoreDoc, 0, len(r.Options)), Unanswered: []questionRef{}}
	for _, o := range r.Options {
		d := optionScoreDoc{Score: o.Score, Share: o.Share, Rank: o.Rank, Reasons: []reasonDoc{}}
		d.Technology.Slug, d.Technology.Name = o.Slug, o.Name
		for _, why := range o.Reasons {
			d.Reasons = append(d.Reasons, reasonDoc(why))
		}
		resp.Options = append(resp.Options, d)
	}
	for _, q := range r.Unanswered {
		resp.Unanswered = append(resp.Unanswered, questionRef{ID: q.ID, Text: q.Text})
	}
	return resp
}
