// Package transfer moves a site's content between Verdict instances and
// databases: export writes it as a file, import applies a file all or
// nothing. The file format is its own, versioned, and independent of the
// admin API:
//
//	{
//	  "format": "verdict-export",
//	  "version": 2,
//	  "categories": [Category…],
//	  "technologies": [Technology…],
//	  "category_translations": [Name…],
//	  "technology_translations": [Name…],
//	  "guides": [Guide…]
//	}
//
// Guides come last, linked-to guides before the guides linking to them, so
// a reader streams them one by one (encoding/json's Decoder.Token) and
// never holds the file. Guides refer to categories, technologies and other
// guides by slug.
//
// Version 1 (what Verdict wrote before, without "format") has the same
// items, with the name translations after the guides; it is still read.
package transfer

import "github.com/verdict-cms/verdict/internal/guide"

// FormatName marks a Verdict export file.
const FormatName = "verdict-export"

// Version is the version export writes.
const Version = 2

// Category is a category by slug.
type Category struct {
	Slug        string `json:"slug"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Position    int    `json:"position"`
}

// Technology is a technology by slug.
type Technology struct {
	Slug        string `json:"slug"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Language    string `json:"language"`
	WebsiteURL  string `json:"website_url"`
	LogoURL     string `json:"logo_url"`
}

// Name is a category's or technology's name in a locale other than the
// default.
type Name struct {
	Slug        string `json:"slug"`
	Locale      string `json:"locale"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

// Guide is a guide's draft, whether it is public, and its translations.
type Guide struct {
	Status       guide.Status  `json:"status"`
	Document     Document      `json:"document"`
	Translations []Translation `json:"translations,omitempty"`
}

// Translation is a translation's draft texts and whether it is public in
// its locale.
type Translation struct {
	Locale string       `json:"locale"`
	Status guide.Status `json:"status"`
	Texts  guide.Texts  `json:"texts"`
}

// Document is a guide's content with references by slug. Lists are
// written even when empty.
type Document struct {
	Title           string           `json:"title"`
	Slug            string           `json:"slug"`
	Category        string           `json:"category"`
	Summary         string           `json:"summary"`
	SEOTitle        string           `json:"seo_title"`
	SEODescription  string           `json:"seo_description"`
	Options         []Option         `json:"options"`
	Comparison      []Row            `json:"comparison"`
	ChecklistIntro  string           `json:"checklist_intro"`
	Checklist       []Question       `json:"checklist"`
	Tradeoffs       []Tradeoff       `json:"tradeoffs"`
	Recommendations []Recommendation `json:"recommendations"`
	FAQ             []FAQ            `json:"faq"`
	Related         []string         `json:"related"`
	CTA             *CTA             `json:"cta"`
}

// Option is a technology compared, by slug.
type Option struct {
	Technology string   `json:"technology"`
	ChooseIf   []string `json:"choose_if"`
}

// Row is a line of the comparison table.
type Row struct {
	Feature string   `json:"feature"`
	Values  []string `json:"values"`
}

// Question is a checklist question.
type Question struct {
	ID      string             `json:"id,omitempty"`
	Text    string             `json:"text"`
	Help    string             `json:"help"`
	Kind    guide.QuestionKind `json:"kind,omitempty"`
	Choices []Choice           `json:"choices,omitempty"`
}

// Choice is an answer; weights are by technology slug.
type Choice struct {
	ID       string         `json:"id,omitempty"`
	Label    string         `json:"label"`
	Weights  map[string]int `json:"weights,omitempty"`
	Supports string         `json:"supports,omitempty"`
}

// Tradeoff is a statement, optionally about one technology.
type Tradeoff struct {
	ID         string `json:"id,omitempty"`
	Text       string `json:"text"`
	Technology string `json:"technology,omitempty"`
}

// Recommendation names the technology that wins a scenario.
type Recommendation struct {
	ID         string `json:"id,omitempty"`
	Technology string `json:"technology"`
	Scenario   string `json:"scenario"`
}

// FAQ is a question and its answer.
type FAQ struct {
	Question string `json:"question"`
	Answer   string `json:"answer"`
}

// CTA is a guide's own call to action.
type CTA struct {
	Heading string `json:"heading"`
	Title   string `json:"title"`
	Text    string `json:"text"`
}

// Input converts the document for the guide service.
func (d *Document) Input() guide.Input {
	in := guide.Input{
		Title: d.Title, Slug: d.Slug, Category: d.Category, Summary: d.Summary, SEOTitle: d.SEOTitle,
		SEODescription: d.SEODescription, ChecklistIntro: d.ChecklistIntro, Related: d.Related,
	}
	for _, o := range d.Options {
		in.Options = append(in.Options, guide.InputOption(o))
	}
	for _, r := range d.Comparison {
		in.Comparison = append(in.Comparison, guide.Row(r))
	}
	for _, q := range d.Checklist {
		iq := guide.InputQuestion{ID: q.ID, Text: q.Text, Help: q.Help, Kind: q.Kind}
		for _, ch := range q.Choices {
			iq.Choices = append(iq.Choices, guide.InputChoice(ch))
		}
		in.Checklist = append(in.Checklist, iq)
	}
	for _, t := range d.Tradeoffs {
		in.Tradeoffs = append(in.Tradeoffs, guide.InputTradeoff(t))
	}
	for _, r := range d.Recommendations {
		in.Recommendations = append(in.Recommendations, guide.InputRecommendation(r))
	}
	for _, f := range d.FAQ {
		in.FAQ = append(in.FAQ, guide.FAQ(f))
	}
	if d.CTA != nil {
		cta := guide.CTA(*d.CTA)
		in.CTA = &cta
	}
	return in
}

// FromInput writes an Input with every list present (never null).
func FromInput(in *guide.Input) Document {
	d := Document{
		Title: in.Title, Slug: in.Slug, Category: in.Category, Summary: in.Summary, SEOTitle: in.SEOTitle,
		SEODescription: in.SEODescription, ChecklistIntro: in.ChecklistIntro, Related: nonNil(in.Related),
		Options: []Option{}, Comparison: []Row{}, Checklist: []Question{}, Tradeoffs: []Tradeoff{},
		Recommendations: []Recommendation{}, FAQ: []FAQ{},
	}
	for _, o := range in.Options {
		d.Options = append(d.Options, Option{Technology: o.Technology, ChooseIf: nonNil(o.ChooseIf)})
	}
	for _, r := range in.Comparison {
		d.Comparison = append(d.Comparison, Row{Feature: r.Feature, Values: nonNil(r.Values)})
	}
	for _, q := range in.Checklist {
		qd := Question{ID: q.ID, Text: q.Text, Help: q.Help, Kind: q.Kind}
		for _, ch := range q.Choices {
			qd.Choices = append(qd.Choices, Choice(ch))
		}
		d.Checklist = append(d.Checklist, qd)
	}
	for _, t := range in.Tradeoffs {
		d.Tradeoffs = append(d.Tradeoffs, Tradeoff(t))
	}
	for _, r := range in.Recommendations {
		d.Recommendations = append(d.Recommendations, Recommendation(r))
	}
	for _, f := range in.FAQ {
		d.FAQ = append(d.FAQ, FAQ(f))
	}
	if in.CTA != nil {
		cta := CTA(*in.CTA)
		d.CTA = &cta
	}
	return d
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
