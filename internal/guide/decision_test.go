package guide

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/verdict-cms/verdict/internal/apperr"
)

// testModel compares node and django with four questions.
func testModel() *Model {
	v := &View{
		Published: Published{Document: Document{
			Options:         []Option{{TechnologyID: "t-node"}, {TechnologyID: "t-django"}},
			Recommendations: []Recommendation{{ID: "r-admin", TechnologyID: "t-django", Scenario: "for data-heavy admin panels"}},
			Checklist: []Question{
				{ID: "lang", Text: "What language does your team know best?", Kind: KindSingle, Choices: []Choice{
					{ID: "js", Label: "JavaScript", Weights: map[string]int{"t-node": 3}},
					{ID: "py", Label: "Python", Weights: map[string]int{"t-django": 3}},
					{ID: "other", Label: "Other"},
				}},
				{ID: "admin", Text: "Is a built-in admin panel valuable?", Kind: KindYesNo, Choices: []Choice{
					{ID: "yes", Label: "Yes", Weights: map[string]int{"t-django": 2}, Supports: "r-admin"},
					{ID: "no", Label: "No", Weights: map[string]int{"t-node": 1}},
				}},
				{ID: "needs", Text: "What do you need?", Kind: KindMultiple, Choices: []Choice{
					{ID: "realtime", Label: "Real-time", Weights: map[string]int{"t-node": 2, "t-django": -1}},
					{ID: "orm", Label: "ORM", Weights: map[string]int{"t-django": 2}},
				}},
				{ID: "notes", Text: "Anything else?"}, // open: never scored
			},
		}},
		Technologies: map[string]*Technology{"t-node": {Slug: "nodejs", Name: "Node.js"}, "t-django": {Slug: "django", Name: "Django"}},
	}
	return Compile(v)
}

func TestScore(t *testing.T) {
	m := testModel()
	for _, tc := range []struct {
		name       string
		answers    map[string][]string
		order      []string // option slugs, best first
		scores     []int
		shares     []float64
		ranks      []int
		tie        bool
		unanswered int
	}{
		{"nothing answered: equal shares, a tie", nil,
			[]string{"nodejs", "django"}, []int{0, 0}, []float64{0.5, 0.5}, []int{1, 1}, true, 3},
		{"python team", map[string][]string{"lang": {"py"}},
			[]string{"django", "nodejs"}, []int{3, 0}, []float64{1, 0}, []int{1, 2}, false, 2},
		{"equal scores tie, in guide order", map[string][]string{"lang": {"py"}, "needs": {"realtime"}},
			[]string{"nodejs", "django"}, []int{2, 2}, []float64{0.5, 0.5}, []int{1, 1}, true, 1},
		{"negative weights", map[string][]string{"needs": {"realtime"}},
			[]string{"nodejs", "django"}, []int{2, -1}, []float64{1, 0}, []int{1, 2}, false, 2},
		{"multiple choice adds up, repeats count once", map[string][]string{"needs": {"realtime", "orm", "orm"}},
			[]string{"nodejs", "django"}, []int{2, 1}, []float64{0.6667, 0.3333}, []int{1, 2}, false, 2},
		{"a choice without weights still answers", map[string][]string{"lang": {"other"}, "admin": {"no"}},
			[]string{"nodejs", "django"}, []int{1, 0}, []float64{1, 0}, []int{1, 2}, false, 1},
		{"shares count positive scores only", map[string][]string{"lang": {"js"}, "needs": {"realtime", "orm"}},
			[]string{"nodejs", "django"}, []int{5, 1}, []float64{0.8333, 0.1667}, []int{1, 2}, false, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := m.Score(tc.answers)
			if err != nil {
				t.Fatal(err)
			}
			var order []string
			var scores, ranks []int
			var shares []float64
			for _, o := range r.Options {
				order, scores, shares, ranks = append(order, o.Slug), append(scores, o.Score), append(shares, o.Share), append(ranks, o.Rank)
			}
			if !slices.Equal(order, tc.order) || !slices.Equal(scores, tc.scores) || !slices.Equal(ranks, tc.ranks) || !slices.Equal(shares, tc.shares) {
				t.Fatalf("order %v scores %v ranks %v shares %v, want %v %v %v %v", order, scores, ranks, shares, tc.order, tc.scores, tc.ranks, tc.shares)
			}
			if r.Tie != tc.tie || len(r.Unanswered) != tc.unanswered {
				t.Fatalf("tie %v unanswered %d, want %v %d", r.Tie, len(r.Unanswered), tc.tie, tc.unanswered)
			}
		})
	}
	tie, _ := m.Score(map[string][]string{"lang": {"py"}, "needs": {"realtime"}})
	if got := tie.Leaning(); got != "tied between Node.js and Django" {
		t.Fatalf("leaning of a tie: %q", got)
	}
}

func TestScoreReasonsAndLeaning(t *testing.T) {
	r, err := testModel().Score(map[string][]string{"lang": {"py"}, "admin": {"yes"}})
	if err != nil {
		t.Fatal(err)
	}
	django := r.Options[0]
	if django.Slug != "django" || len(django.Reasons) != 2 || django.Reasons[1].Supports != "Pick Django for data-heavy admin panels" {
		t.Fatalf("reasons %+v", django.Reasons)
	}
	if got := r.Leaning(); got != "leans Django, 100%: Python, Is a built-in admin panel valuable" {
		t.Fatalf("leaning %q", got)
	}
}

func TestScoreValidation(t *testing.T) {
	for _, tc := range []struct {
		answers map[string][]string
		field   string
	}{
		{map[string][]string{"colour": {"blue"}}, "answers.colour"},
		{map[string][]string{"lang": {"cobol"}}, "answers.lang"},
		{map[string][]string{"lang": {"js", "py"}}, "answers.lang"},
		{map[string][]string{"notes": {"hello"}}, "answers.notes"},
	} {
		_, err := testModel().Score(tc.answers)
		e, ok := apperr.As(err)
		if !ok || e.Kind != apperr.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != tc.field {
			t.Errorf("%v: %v, want a field error on %s", tc.answers, err, tc.field)
		}
	}
}

// TestWeightIncreaseNeverLowersRank is a property: over random models and
// answers, raising the weight a chosen choice gives an option never makes
// that option's rank worse.
func TestWeightIncreaseNeverLowersRank(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 2000 {
		opts := 2 + rng.IntN(4)
		m := &Model{byID: map[string]*ModelQuestion{}, cites: map[string]string{}}
		for i := range opts {
			m.Options = append(m.Options, ModelOption{TechnologyID: string(rune('a' + i)), Name: string(rune('A' + i))})
		}
		answers := map[string][]string{}
		for q := range 1 + rng.IntN(5) {
			mq := ModelQuestion{ID: string(rune('p' + q)), Kind: KindMultiple}
			for c := range 2 + rng.IntN(3) {
				ch := Choice{ID: string(rune('0' + c)), Weights: map[string]int{}}
				for _, o := range m.Options {
					ch.Weights[o.TechnologyID] = rng.IntN(21) - 10
				}
				mq.Choices = append(mq.Choices, ch)
				if rng.IntN(2) == 0 {
					answers[mq.ID] = append(answers[mq.ID], ch.ID)
				}
			}
			m.Questions = append(m.Questions, mq)
		}
		m.index()
		rank := func(opt string) int {
			r, err := m.Score(answers)
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range r.Options {
				if o.TechnologyID == opt {
					return o.Rank
				}
			}
			t.Fatal("option lost")
			return 0
		}
		qid := m.Questions[rng.IntN(len(m.Questions))].ID
		if len(answers[qid]) == 0 {
			continue
		}
		target := m.Options[rng.IntN(opts)].TechnologyID
		before := rank(target)
		q := m.byID[qid]
		for i := range q.Choices {
			if q.Choices[i].ID == answers[qid][0] {
				q.Choices[i].Weights[target] += 1 + rng.IntN(10)
			}
		}
		m.index() // recompile the raised weight
		if after := rank(target); after > before {
			t.Fatalf("trial %d: raising a weight moved %s from rank %d to %d", trial, target, before, after)
		}
	}
}
