package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/guide"
)

var errNotAnswer = errors.New("not an answer")

type recommendationRequest struct {
	Answers map[string]json.RawMessage `json:"answers"`
}

type recommendationResponse struct {
	Guide      string           `json:"guide"`
	Locale     string           `json:"locale"`
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
		var err error
		switch v = bytes.TrimSpace(v); {
		case len(v) > 0 && v[0] == '"':
			one := ""
			err = json.Unmarshal(v, &one)
			out[qid] = []string{one}
		case len(v) > 0 && v[0] == '[':
			var many []string
			err = json.Unmarshal(v, &many)
			out[qid] = many
		default:
			err = errNotAnswer
		}
		if err != nil {
			fe.Add("answers."+qid, "type", "must be a choice ID or a list of choice IDs")
		}
	}
	return out, fe.Err()
}

// handleGuideRecommendation scores a prospect's answers. The guide's model
// is compiled once and kept in memory until content changes, so a request
// touches no database; the encoded answer to an answer set already seen is
// reused, since prospects choose among a finite set of combinations.
func (a *API) handleGuideRecommendation(c *fiber.Ctx) error {
	// The same bytes always get the same answer until content changes, so
	// a small body seen before is answered without decoding it again.
	// A translation is cached under "<locale>:<slug>" (slugs have no colon).
	loc, err := a.recommendationLocale(c)
	if err != nil {
		return err
	}
	slugKey := c.Params("slug")
	if loc != "" {
		slugKey = loc + ":" + slugKey
	}
	var bodyKey []byte
	if len(c.Body()) <= maxMemoBody && isJSON(c.Get(fiber.HeaderContentType)) {
		bodyKey = append(append(append(make([]byte, 0, len(c.Body())+64), "b:"...), slugKey...), 0)
		bodyKey = append(bodyKey, c.Body()...)
		if body, _ := a.cache.recommendation(bodyKey); body != nil {
			c.Set(fiber.HeaderCacheControl, "no-store")
			c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
			return c.Send(body)
		}
	}
	var req recommendationRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	answers, err := decodeAnswers(req.Answers)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	key := answersKey(slugKey, answers)
	if body, gen := a.cache.recommendation(key); body != nil {
		if bodyKey != nil {
			a.cache.putRecommendation(string(bodyKey), gen, body)
		}
		return c.Send(body)
	}
	slug := strings.Clone(c.Params("slug"))
	m, gen, err := a.guideModel(c, slug, loc)
	if err != nil {
		return err
	}
	r, err := m.Score(answers)
	if err != nil {
		return err
	}
	resp := toRecommendationResponse(slug, r)
	resp.Locale = or(m.Locale, a.guides.Locales().Default())
	body, err := json.Marshal(resp)
	if err != nil {
		return err
	}
	a.cache.putRecommendation(string(key), gen, body)
	if bodyKey != nil {
		a.cache.putRecommendation(string(bodyKey), gen, body)
	}
	return c.Send(body)
}

// maxMemoBody bounds the request bodies remembered verbatim.
const maxMemoBody = 4 << 10

// answersKey is a canonical key for a guide and an answer set: questions
// sorted, each question's choices sorted and deduplicated.
func answersKey(slug string, answers map[string][]string) []byte {
	qids := make([]string, 0, len(answers))
	for q := range answers {
		qids = append(qids, q)
	}
	slices.Sort(qids)
	key := make([]byte, 0, 128)
	key = append(append(append(key, "r:"...), slug...), 0)
	for _, q := range qids {
		cs := slices.Compact(slices.Sorted(slices.Values(answers[q])))
		key = append(append(key, q...), '=')
		for _, ch := range cs {
			key = append(append(key, ch...), ',')
		}
		key = append(key, 0)
	}
	return key
}

// guideModel returns the compiled model and the cache generation it
// belongs to.
// loc is "" for the default locale, else a translation's locale whose
// fallback chain the texts come from; the scores are the same in each.
func (a *API) guideModel(c *fiber.Ctx, slug, loc string) (*guide.Model, uint64, error) {
	key := slug
	if loc != "" {
		key = loc + ":" + slug
	}
	m, gen := a.cache.model(key)
	if m != nil {
		return m, gen, nil
	}
	var (
		v   *guide.View
		err error
	)
	if loc == "" {
		v, err = a.guides.PublishedGuide(c.UserContext(), slug)
	} else {
		v, err = a.guides.LocalizedGuide(c.UserContext(), a.guides.Locales().Chain(loc), slug)
	}
	if err != nil {
		return nil, 0, err
	}
	m = guide.Compile(v)
	a.cache.putModel(key, gen, m)
	return m, gen, nil
}

// recommendationLocale is the translation a recommendation is asked in
// (?locale= or Accept-Language), or "" for the default locale.
func (a *API) recommendationLocale(c *fiber.Ctx) (string, error) {
	var q *query
	if len(c.Request().URI().QueryString()) > 0 {
		q = newQuery(c)
	}
	loc := a.requestLocale(c, q)
	if q != nil {
		if err := q.err(); err != nil {
			return "", err
		}
	}
	if !a.guides.Locales().IsTranslation(loc) {
		return "", nil
	}
	return loc, nil
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
