package httpapi_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
)

type analyticsDoc struct {
	LeadsPerWeek []struct {
		Guide, Week string
		Count       int
	} `json:"leads_per_week"`
	Answers []struct {
		Guide      string
		QuestionID string `json:"question_id"`
		ChoiceID   string `json:"choice_id"`
		Count      int
	} `json:"answers"`
	Recommended []struct {
		Guide, Option string
		Count         int
	} `json:"recommended"`
	Funnel []struct {
		Guide, Status string
		Count         int
	} `json:"funnel"`
}

// TestAnalytics submits known leads over two weeks and checks every
// aggregate the database computes, on both databases.
func TestAnalytics(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		in := newIntake(t, db)
		// Wednesday 2026-11-18, then the Monday after.
		in.clock.Advance(time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC).Sub(in.clock.Now()))
		lead := func(name string, answers map[string]any) {
			s := submission(name)
			s["answers"] = answers
			in.submit(s).wantStatus(201)
		}
		lead("A", map[string]any{"team-language": "python", "databases": []string{"sql", "mongodb"}})
		lead("B", map[string]any{"team-language": "python"})
		in.clock.Advance(5 * 24 * time.Hour) // Monday 2026-11-23
		lead("C", map[string]any{"team-language": "javascript"})
		lead("D", map[string]any{"team-language": "python", "databases": []string{"mongodb"}, "admin-panel": "no"}) // 3 to 3: a tie
		bot := submission("Bot")
		bot["website"] = "spam.example"
		in.submit(bot).wantStatus(201)
		in.drain()
		in.admin = in.login("root@example.com").AccessToken

		var got analyticsDoc
		in.do("GET", "/api/v1/admin/analytics?guide=node-vs-django", in.admin, nil).wantStatus(200).decode(&got)
		type wk = struct {
			Guide, Week string
			Count       int
		}
		if diff := cmp.Diff([]wk{{"node-vs-django", "2026-11-16", 2}, {"node-vs-django", "2026-11-23", 2}}, []wk(got.LeadsPerWeek)); diff != "" {
			t.Errorf("leads per week (-want +got):\n%s", diff)
		}
		type ans = struct {
			Guide      string
			QuestionID string `json:"question_id"`
			ChoiceID   string `json:"choice_id"`
			Count      int
		}
		if diff := cmp.Diff([]ans{
			{"node-vs-django", "admin-panel", "no", 1},
			{"node-vs-django", "databases", "mongodb", 2}, {"node-vs-django", "databases", "sql", 1},
			{"node-vs-django", "team-language", "javascript", 1}, {"node-vs-django", "team-language", "python", 3},
		}, []ans(got.Answers)); diff != "" {
			t.Errorf("answers (-want +got):\n%s", diff)
		}
		type opt = struct {
			Guide, Option string
			Count         int
		}
		if diff := cmp.Diff([]opt{{"node-vs-django", "django", 2}, {"node-vs-django", "nodejs", 1}, {"node-vs-django", "tie", 1}}, []opt(got.Recommended)); diff != "" {
			t.Errorf("recommended (-want +got):\n%s", diff)
		}
		type st = struct {
			Guide, Status string
			Count         int
		}
		if diff := cmp.Diff([]st{{"node-vs-django", "new", 4}, {"node-vs-django", "spam", 1}}, []st(got.Funnel)); diff != "" {
			t.Errorf("funnel (-want +got):\n%s", diff)
		}

		// Date filters, and a consultant sees only their own leads.
		in.do("GET", "/api/v1/admin/analytics?from=2026-11-23", in.admin, nil).wantStatus(200).decode(&got)
		if len(got.LeadsPerWeek) != 1 || got.LeadsPerWeek[0].Count != 2 {
			t.Fatalf("from filter: %+v", got.LeadsPerWeek)
		}
		nora := in.login("nora@example.com").AccessToken
		in.do("GET", "/api/v1/admin/analytics", nora, nil).wantStatus(200).decode(&got)
		total := 0
		for _, w := range got.LeadsPerWeek {
			total += w.Count
		}
		if total == 0 || total >= 4 {
			t.Fatalf("a consultant's analytics count %d leads, want their own share", total)
		}
		in.do("GET", "/api/v1/admin/analytics?from=last-week", in.admin, nil).problem(http.StatusBadRequest)
		editor := in.login("ed@example.com").AccessToken
		in.do("GET", "/api/v1/admin/analytics", editor, nil).problem(http.StatusForbidden)
	})
}
