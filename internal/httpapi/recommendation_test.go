package httpapi_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
)

type recommendationDoc struct {
	Leaning string `json:"leaning"`
	Tie     bool   `json:"tie"`
	Options []struct {
		Technology struct{ Slug string } `json:"technology"`
		Score      int                   `json:"score"`
		Share      float64               `json:"share"`
		Rank       int                   `json:"rank"`
		Reasons    []struct {
			QuestionID string `json:"question_id"`
			Supports   string `json:"supports"`
		} `json:"reasons"`
	} `json:"options"`
	Unanswered []struct{ ID string } `json:"unanswered"`
}

func TestGuideRecommendation(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		c := newContent(t, db)
		var r recommendationDoc
		c.do("POST", "/api/v1/guides/node-vs-django/recommendation", "", map[string]any{"answers": map[string]any{
			"team-language": "python", "admin-panel": "yes", "databases": []string{"sql", "mongodb"}, "realtime": "no",
		}}).wantStatus(200).decode(&r)
		if r.Options[0].Technology.Slug != "django" || r.Options[0].Score != 8 || r.Options[1].Score != 2 || r.Options[0].Share != 0.8 || r.Tie {
			t.Fatalf("recommendation %+v", r)
		}
		if r.Leaning != "leans Django, 80%: Python, Is a built-in admin panel valuable, No (Do you need real-time WebSocket features)" {
			t.Fatalf("leaning %q", r.Leaning)
		}
		if r.Options[0].Reasons[0].Supports != "Pick Django if team is Python-focused" {
			t.Fatalf("reasons %+v", r.Options[0].Reasons)
		}
		var unanswered []string
		for _, q := range r.Unanswered {
			unanswered = append(unanswered, q.ID)
		}
		if !slices.Equal(unanswered, []string{"data-science", "share-code", "request-volume", "convention"}) {
			t.Fatalf("unanswered %v", unanswered)
		}

		for _, tc := range []struct {
			body  any
			field string
		}{
			{map[string]any{"answers": map[string]any{"colour": "blue"}}, "answers.colour"},
			{map[string]any{"answers": map[string]any{"realtime": "maybe"}}, "answers.realtime"},
			{map[string]any{"answers": map[string]any{"realtime": []string{"yes", "no"}}}, "answers.realtime"},
			{map[string]any{"answers": map[string]any{"realtime": 1}}, "answers.realtime"},
			{map[string]any{"answers": map[string]any{}, "extra": true}, "extra"},
		} {
			p := c.do("POST", "/api/v1/guides/node-vs-django/recommendation", "", tc.body).problem(http.StatusBadRequest)
			if !slices.Contains(p.fields(), tc.field) {
				t.Errorf("%v: fields %v, want %s", tc.body, p.fields(), tc.field)
			}
		}
		c.do("POST", "/api/v1/guides/no-such-guide/recommendation", "", map[string]any{"answers": map[string]any{}}).problem(404)
	})
}
