package guide

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/verdict-cms/verdict/internal/apperr"
)

// Model is a published guide's decision checklist compiled for scoring. It
// is immutable and safe to share between requests.
//
// Scoring: every chosen choice adds its weights to the options' scores.
// An option's share is its positive score over the sum of positive scores
// (equal shares when no option scores above zero), rounded to 4 decimals.
// Options sort by score, then by their order in the guide; an option's rank
// is 1 + the number of options that score strictly more, so equal scores
// share a rank, and several options at rank 1 are a tie.
type Model struct {
	Options   []ModelOption
	Questions []ModelQuestion
	byID      map[string]*ModelQuestion
	cites     map[string]string // recommendation/tradeoff ID → the sentence
	Locale    string            // the locale of the texts: structure and weights are every locale's
}

// ModelOption is an option as scored.
type ModelOption struct {
	TechnologyID, Slug, Name string
}

// ModelQuestion is a scoreable question.
type ModelQuestion struct {
	ID, Text string
	Kind     QuestionKind
	Choices  []Choice
	// weights[c][o] is choice c's weight for option o, compiled from the
	// choices' maps so that scoring does no map lookups.
	weights [][]int
	index   map[string]int // choice ID → position
	reasons []Reason       // per choice, the reason it gives, less its weight
}

// Compile builds the model of a published view.
func Compile(v *View) *Model {
	m := &Model{byID: map[string]*ModelQuestion{}, cites: map[string]string{}, Locale: v.Locale}
	for _, o := range v.Document.Options {
		t := v.Technologies[o.TechnologyID]
		opt := ModelOption{TechnologyID: o.TechnologyID}
		if t != nil {
			opt.Slug, opt.Name = t.Slug, t.Name
		}
		m.Options = append(m.Options, opt)
	}
	name := func(techID string) string {
		if t := v.Technologies[techID]; t != nil {
			return t.Name
		}
		return ""
	}
	for _, r := range v.Document.Recommendations {
		m.cites[r.ID] = RecommendationText(name(r.TechnologyID), r.Scenario)
	}
	for _, t := range v.Document.Tradeoffs {
		m.cites[t.ID] = t.Text
	}
	for _, q := range v.Document.Checklist {
		m.Questions = append(m.Questions, ModelQuestion{ID: q.ID, Text: q.Text, Kind: q.Kind, Choices: q.Choices})
	}
	m.index()
	return m
}

// index compiles lookups: questions by ID, choices by ID, weights by option.
func (m *Model) index() {
	m.byID = make(map[string]*ModelQuestion, len(m.Questions))
	for i := range m.Questions {
		q := &m.Questions[i]
		m.byID[q.ID] = q
		q.index = make(map[string]int, len(q.Choices))
		q.weights = make([][]int, len(q.Choices))
		q.reasons = make([]Reason, len(q.Choices))
		for c, ch := range q.Choices {
			q.index[ch.ID] = c
			short := ch.Label
			if q.Kind == KindYesNo {
				short = strings.TrimSuffix(q.Text, "?")
				if ch.ID != "yes" {
					short = ch.Label + " (" + short + ")"
				}
			}
			q.reasons[c] = Reason{QuestionID: q.ID, Question: q.Text, ChoiceID: ch.ID, Choice: ch.Label, Supports: m.cites[ch.Supports], Short: short}
			q.weights[c] = make([]int, len(m.Options))
			for o, opt := range m.Options {
				q.weights[c][o] = ch.Weights[opt.TechnologyID]
			}
		}
	}
}

// Result is a recommendation.
type Result struct {
	Options    []OptionScore
	Tie        bool
	Unanswered []ModelQuestion // scoreable questions left unanswered, in guide order
}

// OptionScore is one option's outcome and why.
type OptionScore struct {
	ModelOption
	Score   int
	Share   float64
	Rank    int
	Reasons []Reason
}

// Reason is an answer that moved an option's score.
type Reason struct {
	QuestionID, Question, ChoiceID, Choice string
	Weight                                 int
	Supports                               string // the cited recommendation or tradeoff, if any
	// Short is the reason in a few words: the choice, or for a yes/no
	// question the question itself, since "Yes" alone says nothing.
	// Leaning quotes the three strongest.
	Short string
}

// Score validates answers (question ID → chosen choice IDs) and scores them.
// Open questions are not scored and may not be answered here.
func (m *Model) Score(answers map[string][]string) (*Result, error) {
	var fe apperr.Fields
	ids := make([]string, 0, len(answers))
	for qid := range answers {
		ids = append(ids, qid)
	}
	slices.Sort(ids)
	chosen := make(map[string][]int, len(answers)) // question ID → choice positions
	for _, qid := range ids {
		q := m.byID[qid]
		switch {
		case q == nil:
			fe.Add("answers."+qid, "unknown", "the guide has no such question")
			continue
		case q.Kind == KindOpen:
			fe.Add("answers."+qid, "open", "this question is answered in words, not scored")
			continue
		case q.Kind != KindMultiple && len(answers[qid]) > 1:
			fe.Add("answers."+qid, "one_choice", "this question takes one choice")
			continue
		}
		for _, cid := range answers[qid] {
			i, ok := q.index[cid]
			if !ok {
				fe.Add("answers."+qid, "unknown_choice", fmt.Sprintf("%q is not a choice of this question", cid))
				continue
			}
			if !slices.Contains(chosen[qid], i) {
				chosen[qid] = append(chosen[qid], i)
			}
		}
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	return m.score(chosen), nil
}

func (m *Model) score(chosen map[string][]int) *Result {
	r := &Result{Options: make([]OptionScore, len(m.Options))}
	for i, o := range m.Options {
		r.Options[i].ModelOption = o
	}
	for _, q := range m.Questions {
		if q.Kind == KindOpen {
			continue
		}
		cs, ok := chosen[q.ID]
		if !ok || len(cs) == 0 {
			r.Unanswered = append(r.Unanswered, q)
			continue
		}
		for _, ci := range cs {
			for i := range r.Options {
				if w := q.weights[ci][i]; w != 0 {
					r.Options[i].Score += w
					reason := q.reasons[ci]
					reason.Weight = w
					r.Options[i].Reasons = append(r.Options[i].Reasons, reason)
				}
			}
		}
	}
	positive := 0
	for _, o := range r.Options {
		positive += max(o.Score, 0)
	}
	for i := range r.Options {
		o := &r.Options[i]
		if positive == 0 {
			o.Share = 1 / float64(len(r.Options))
		} else {
			o.Share = float64(max(o.Score, 0)) / float64(positive)
		}
		o.Share = math.Round(o.Share*10000) / 10000
		for _, other := range r.Options {
			if other.Score > o.Score {
				o.Rank++
			}
		}
		o.Rank++
	}
	slices.SortStableFunc(r.Options, func(a, b OptionScore) int { return cmp.Compare(b.Score, a.Score) })
	r.Tie = len(r.Options) > 1 && r.Options[1].Rank == 1
	return r
}

// Leaning sums a result up in one line for a consultant, such as
// "leans Django, 72%: Python, admin panel, data-heavy".
func (r *Result) Leaning() string {
	if len(r.Options) == 0 {
		return ""
	}
	if r.Tie {
		var names []string
		for _, o := range r.Options {
			if o.Rank == 1 {
				names = append(names, o.Name)
			}
		}
		return "tied between " + strings.Join(names, " and ")
	}
	top := r.Options[0]
	strongest := slices.Clone(top.Reasons)
	slices.SortStableFunc(strongest, func(a, b Reason) int { return cmp.Compare(b.Weight, a.Weight) })
	var why []string
	for _, reason := range strongest {
		if reason.Weight > 0 && len(why) < 3 {
			why = append(why, reason.Short)
		}
	}
	s := "leans " + top.Name + ", " + strconv.Itoa(int(math.Round(top.Share*100))) + "%"
	if len(why) > 0 {
		s += ": " + strings.Join(why, ", ")
	}
	return s
}
