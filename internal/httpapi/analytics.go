package httpapi

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/verdict-cms/verdict/internal/lead"
)

type analyticsResponse struct {
	LeadsPerWeek []weekCountDoc   `json:"leads_per_week"`
	Answers      []answerCountDoc `json:"answers"`
	Recommended  []optionCountDoc `json:"recommended"`
	Funnel       []statusCountDoc `json:"funnel"`
}

type weekCountDoc struct {
	Guide string `json:"guide"`
	Week  string `json:"week"`
	Count int    `json:"count"`
}

type answerCountDoc struct {
	Guide      string `json:"guide"`
	QuestionID string `json:"question_id"`
	ChoiceID   string `json:"choice_id"`
	Count      int    `json:"count"`
}

type optionCountDoc struct {
	Guide  string `json:"guide"`
	Option string `json:"option"`
	Count  int    `json:"count"`
}

type statusCountDoc struct {
	Guide  string `json:"guide"`
	Status string `json:"status"`
	Count  int    `json:"count"`
}

func convert[T, R any](in []T, f func(T) R) []R {
	out := make([]R, 0, len(in))
	for _, x := range in {
		out = append(out, f(x))
	}
	return out
}

func (a *API) handleAnalytics(c *fiber.Ctx) error {
	q := newQuery(c)
	var f lead.AnalyticsFilter
	if g := q.str("guide"); g != "" {
		f.GuideSlug = &g
	}
	f.From, f.To = q.date("from"), q.date("to")
	if err := q.err(); err != nil {
		return err
	}
	r, err := a.leads.Analytics(c.UserContext(), viewer(c), f)
	if err != nil {
		return err
	}
	return c.JSON(analyticsResponse{
		LeadsPerWeek: convert(r.LeadsPerWeek, func(w lead.WeekCount) weekCountDoc { return weekCountDoc(w) }),
		Answers:      convert(r.Answers, func(x lead.AnswerCount) answerCountDoc { return answerCountDoc(x) }),
		Recommended:  convert(r.Recommended, func(x lead.OptionCount) optionCountDoc { return optionCountDoc(x) }),
		Funnel:       convert(r.Funnel, func(x lead.StatusCount) statusCountDoc { return statusCountDoc(x) }),
	})
}

// parseDateOrTime reads 2026-11-24 or an RFC 3339 time.
func parseDateOrTime(v string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	return time.Parse(time.DateOnly, v)
}
