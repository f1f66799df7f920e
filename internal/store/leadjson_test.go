package store

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/verdict-cms/verdict/internal/lead"
)

// awkward are strings every JSON encoder must take care with.
var awkward = []string{"", "plain", `"quoted" \back\slash`, "<b>&amp;</b>", "\b\f\n\r\t\x00\x01\x1f\x7f",
	"é 李 😀", "line\u2028para\u2029", "bad \xff utf-8 \xc3", "\xed\xa0\x80 surrogate"}

// TestLeadJSONIsEncodingJSONs: the lead's JSON columns are what
// json.Marshal made of them before, byte for byte.
func TestLeadJSONIsEncodingJSONs(t *testing.T) {
	var leads []*lead.Lead
	for _, s := range awkward {
		leads = append(leads, &lead.Lead{
			Answers:               []lead.Answer{{QuestionID: s, Question: s, Answer: s, ChoiceIDs: []string{s, "x"}}, {QuestionID: "q", Answer: s}},
			PreferredTechnologies: []string{s}, UTM: lead.UTM{Source: s, Medium: "m", Campaign: s, Term: s, Content: s},
			Recommendation: &lead.Recommendation{Leaning: s, Tie: s == "", Options: []lead.RecommendedOption{
				{Slug: s, Name: s, Score: -3, Share: 0, Rank: 2}, {Slug: "a", Score: 12, Share: 0.7273, Rank: 1},
				{Share: 1}, {Share: 1e-7}, {Share: 1e21}, {Share: 123456789.125}, {Share: math.SmallestNonzeroFloat64}}},
		})
	}
	leads = append(leads, &lead.Lead{}, &lead.Lead{Answers: []lead.Answer{}, PreferredTechnologies: []string{},
		Recommendation: &lead.Recommendation{Options: []lead.RecommendedOption{}}}, &lead.Lead{Recommendation: &lead.Recommendation{}})
	for i, l := range leads {
		answers, techs, utm, rec := leadJSON(l)
		for _, c := range []struct {
			name string
			got  string
			v    any
		}{{"answers", answers, l.Answers}, {"technologies", techs, l.PreferredTechnologies}, {"utm", utm, l.UTM}, {"recommendation", rec, l.Recommendation}} {
			want, err := json.Marshal(c.v)
			if err != nil {
				t.Fatal(err)
			}
			if c.name == "recommendation" && l.Recommendation == nil {
				want = nil // no recommendation is stored as ""
			}
			if c.got != string(want) {
				t.Errorf("lead %d %s:\n got %s\nwant %s", i, c.name, c.got, want)
			}
		}
	}
}
