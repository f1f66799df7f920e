package guide

import (
	"fmt"
	"slices"
)

// Texts is every translatable text of a guide's Document, and nothing of
// its structure: a translation stores Texts and borrows options, weights,
// related guides and IDs from the default locale, so the decision engine
// scores the same way in every language. Lists follow the source's order
// (options, table rows, tradeoffs, recommendations, FAQ); checklist
// questions and choices are matched by ID. A missing or empty text falls
// back to the source's.
type Texts struct {
	Title           string          `json:"title"`
	Slug            string          `json:"slug"`
	Summary         string          `json:"summary"`
	SEOTitle        string          `json:"seo_title"`
	SEODescription  string          `json:"seo_description"`
	ChecklistIntro  string          `json:"checklist_intro"`
	Options         []OptionTexts   `json:"options"`
	Comparison      []Row           `json:"comparison"`
	Checklist       []QuestionTexts `json:"checklist"`
	Tradeoffs       []string        `json:"tradeoffs"`
	Recommendations []string        `json:"recommendations"` // scenarios
	FAQ             []FAQ           `json:"faq"`
	CTA             *CTA            `json:"cta,omitempty"`
}

// OptionTexts is an option's "Choose X if…" list.
type OptionTexts struct {
	ChooseIf []string `json:"choose_if"`
}

// QuestionTexts is a checklist question's texts, by question ID.
type QuestionTexts struct {
	ID      string        `json:"id"`
	Text    string        `json:"text"`
	Help    string        `json:"help,omitempty"`
	Choices []ChoiceTexts `json:"choices,omitempty"`
}

// ChoiceTexts is a choice's label, by choice ID.
type ChoiceTexts struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// TextsOf extracts d's texts.
func TextsOf(d *Document) Texts {
	t := Texts{Title: d.Title, Slug: d.Slug, Summary: d.Summary, SEOTitle: d.SEOTitle, SEODescription: d.SEODescription,
		ChecklistIntro: d.ChecklistIntro, Options: []OptionTexts{}, Comparison: []Row{}, Checklist: []QuestionTexts{},
		Tradeoffs: []string{}, Recommendations: []string{}, FAQ: []FAQ{}}
	for _, o := range d.Options {
		t.Options = append(t.Options, OptionTexts{ChooseIf: slices.Clone(o.ChooseIf)})
	}
	for _, r := range d.Comparison {
		t.Comparison = append(t.Comparison, Row{Feature: r.Feature, Values: slices.Clone(r.Values)})
	}
	for _, q := range d.Checklist {
		qt := QuestionTexts{ID: q.ID, Text: q.Text, Help: q.Help}
		for _, ch := range q.Choices {
			qt.Choices = append(qt.Choices, ChoiceTexts{ID: ch.ID, Label: ch.Label})
		}
		t.Checklist = append(t.Checklist, qt)
	}
	for _, x := range d.Tradeoffs {
		t.Tradeoffs = append(t.Tradeoffs, x.Text)
	}
	for _, r := range d.Recommendations {
		t.Recommendations = append(t.Recommendations, r.Scenario)
	}
	t.FAQ = append(t.FAQ, d.FAQ...)
	if d.CTA != nil {
		cta := *d.CTA
		t.CTA = &cta
	}
	return t
}

// Apply returns src with t's texts in place of its own, keeping src's
// structure. Texts t lacks stay the source's.
func (t *Texts) Apply(src *Document) Document {
	d := *src
	d.Title, d.Slug, d.Summary = or(t.Title, d.Title), or(t.Slug, d.Slug), or(t.Summary, d.Summary)
	d.SEOTitle, d.SEODescription = or(t.SEOTitle, d.SEOTitle), or(t.SEODescription, d.SEODescription)
	d.ChecklistIntro = or(t.ChecklistIntro, d.ChecklistIntro)
	d.Options = make([]Option, len(src.Options))
	for i, o := range src.Options {
		o.ChooseIf = slices.Clone(o.ChooseIf)
		if i < len(t.Options) {
			for j := range o.ChooseIf {
				if j < len(t.Options[i].ChooseIf) {
					o.ChooseIf[j] = or(t.Options[i].ChooseIf[j], o.ChooseIf[j])
				}
			}
		}
		d.Options[i] = o
	}
	d.Comparison = make([]Row, len(src.Comparison))
	for i, r := range src.Comparison {
		r.Values = slices.Clone(r.Values)
		if i < len(t.Comparison) {
			r.Feature = or(t.Comparison[i].Feature, r.Feature)
			for j := range r.Values {
				if j < len(t.Comparison[i].Values) {
					r.Values[j] = or(t.Comparison[i].Values[j], r.Values[j])
				}
			}
		}
		d.Comparison[i] = r
	}
	byID := make(map[string]*QuestionTexts, len(t.Checklist))
	for i := range t.Checklist {
		byID[t.Checklist[i].ID] = &t.Checklist[i]
	}
	d.Checklist = make([]Question, len(src.Checklist))
	for i, q := range src.Checklist {
		q.Choices = slices.Clone(q.Choices)
		if qt := byID[q.ID]; qt != nil {
			q.Text, q.Help = or(qt.Text, q.Text), or(qt.Help, q.Help)
			for j := range q.Choices {
				for _, ct := range qt.Choices {
					if ct.ID == q.Choices[j].ID {
						q.Choices[j].Label = or(ct.Label, q.Choices[j].Label)
					}
				}
			}
		}
		d.Checklist[i] = q
	}
	d.Tradeoffs = slices.Clone(src.Tradeoffs)
	for i := range d.Tradeoffs {
		if i < len(t.Tradeoffs) {
			d.Tradeoffs[i].Text = or(t.Tradeoffs[i], d.Tradeoffs[i].Text)
		}
	}
	d.Recommendations = slices.Clone(src.Recommendations)
	for i := range d.Recommendations {
		if i < len(t.Recommendations) {
			d.Recommendations[i].Scenario = or(t.Recommendations[i], d.Recommendations[i].Scenario)
		}
	}
	d.FAQ = slices.Clone(src.FAQ)
	for i := range d.FAQ {
		if i < len(t.FAQ) {
			d.FAQ[i] = FAQ{Question: or(t.FAQ[i].Question, d.FAQ[i].Question), Answer: or(t.FAQ[i].Answer, d.FAQ[i].Answer)}
		}
	}
	if src.CTA != nil || t.CTA != nil {
		var cta CTA
		if src.CTA != nil {
			cta = *src.CTA
		}
		if t.CTA != nil {
			cta = CTA{Heading: or(t.CTA.Heading, cta.Heading), Title: or(t.CTA.Title, cta.Title), Text: or(t.CTA.Text, cta.Text)}
		}
		d.CTA = &cta
	}
	return d
}

// ChangedFields lists the texts that differ between two versions of a
// source, as field paths ("title", "checklist[q1].choices[a].label",
// "faq[2].answer"): what a translation made from old must review. The slug
// is not a text to translate and is left out.
func ChangedFields(old, cur Texts) []string {
	var out []string
	diff := func(field, a, b string) {
		if a != b {
			out = append(out, field)
		}
	}
	diff("title", old.Title, cur.Title)
	diff("summary", old.Summary, cur.Summary)
	diff("seo_title", old.SEOTitle, cur.SEOTitle)
	diff("seo_description", old.SEODescription, cur.SEODescription)
	diff("checklist_intro", old.ChecklistIntro, cur.ChecklistIntro)
	for i := range cur.Options {
		if i >= len(old.Options) || !slices.Equal(old.Options[i].ChooseIf, cur.Options[i].ChooseIf) {
			out = append(out, fmt.Sprintf("options[%d].choose_if", i))
		}
	}
	for i, r := range cur.Comparison {
		if i >= len(old.Comparison) {
			out = append(out, fmt.Sprintf("comparison[%d]", i))
			continue
		}
		diff(fmt.Sprintf("comparison[%d].feature", i), old.Comparison[i].Feature, r.Feature)
		if !slices.Equal(old.Comparison[i].Values, r.Values) {
			out = append(out, fmt.Sprintf("comparison[%d].values", i))
		}
	}
	oldQ := make(map[string]QuestionTexts, len(old.Checklist))
	for _, q := range old.Checklist {
		oldQ[q.ID] = q
	}
	for _, q := range cur.Checklist {
		o, ok := oldQ[q.ID]
		if !ok {
			out = append(out, fmt.Sprintf("checklist[%s]", q.ID))
			continue
		}
		diff(fmt.Sprintf("checklist[%s].text", q.ID), o.Text, q.Text)
		diff(fmt.Sprintf("checklist[%s].help", q.ID), o.Help, q.Help)
		labels := map[string]string{}
		for _, ch := range o.Choices {
			labels[ch.ID] = ch.Label
		}
		for _, ch := range q.Choices {
			if l, ok := labels[ch.ID]; !ok || l != ch.Label {
				out = append(out, fmt.Sprintf("checklist[%s].choices[%s].label", q.ID, ch.ID))
			}
		}
	}
	list := func(name string, a, b []string) {
		for i := range b {
			if i >= len(a) || a[i] != b[i] {
				out = append(out, fmt.Sprintf("%s[%d]", name, i))
			}
		}
	}
	list("tradeoffs", old.Tradeoffs, cur.Tradeoffs)
	list("recommendations", old.Recommendations, cur.Recommendations)
	for i, f := range cur.FAQ {
		if i >= len(old.FAQ) {
			out = append(out, fmt.Sprintf("faq[%d]", i))
			continue
		}
		diff(fmt.Sprintf("faq[%d].question", i), old.FAQ[i].Question, f.Question)
		diff(fmt.Sprintf("faq[%d].answer", i), old.FAQ[i].Answer, f.Answer)
	}
	var a, b CTA
	if old.CTA != nil {
		a = *old.CTA
	}
	if cur.CTA != nil {
		b = *cur.CTA
	}
	if a != b {
		out = append(out, "cta")
	}
	return out
}

func or(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}
