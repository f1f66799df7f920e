package httpapi

import (
	"time"

	"github.com/verdict-cms/verdict/internal/guide"
)

// GuideDocument is a guide as editors send and receive it, references by
// slug. It is also the format of seed and import files.
type GuideDocument struct {
	Title           string              `json:"title"`
	Slug            string              `json:"slug"`
	Category        string              `json:"category"`
	Summary         string              `json:"summary"`
	SEOTitle        string              `json:"seo_title" openapi:"optional"`
	SEODescription  string              `json:"seo_description" openapi:"optional"`
	Options         []optionDoc         `json:"options"`
	Comparison      []rowDoc            `json:"comparison" openapi:"optional"`
	ChecklistIntro  string              `json:"checklist_intro" openapi:"optional"`
	Checklist       []questionDoc       `json:"checklist" openapi:"optional"`
	Tradeoffs       []tradeoffDoc       `json:"tradeoffs" openapi:"optional"`
	Recommendations []recommendationDoc `json:"recommendations" openapi:"optional"`
	FAQ             []faqDoc            `json:"faq" openapi:"optional"`
	Related         []string            `json:"related" openapi:"optional"`
	CTA             *ctaDoc             `json:"cta" openapi:"optional"`
}

type optionDoc struct {
	Technology string   `json:"technology"`
	ChooseIf   []string `json:"choose_if" openapi:"optional"`
}

type rowDoc struct {
	Feature string   `json:"feature"`
	Values  []string `json:"values"`
}

type questionDoc struct {
	ID      string             `json:"id,omitempty"`
	Text    string             `json:"text"`
	Help    string             `json:"help" openapi:"optional"`
	Kind    guide.QuestionKind `json:"kind,omitempty"`
	Choices []choiceDoc        `json:"choices,omitempty"`
}

// choiceDoc is an answer choice; weights are by technology slug.
type choiceDoc struct {
	ID       string         `json:"id,omitempty"`
	Label    string         `json:"label"`
	Weights  map[string]int `json:"weights,omitempty"`
	Supports string         `json:"supports,omitempty"`
}

type tradeoffDoc struct {
	ID         string `json:"id,omitempty"`
	Text       string `json:"text"`
	Technology string `json:"technology,omitempty"`
}

type recommendationDoc struct {
	ID         string `json:"id,omitempty"`
	Technology string `json:"technology"`
	Scenario   string `json:"scenario"`
}

type faqDoc struct {
	Question string `json:"question"`
	Answer   string `json:"answer"`
}

type ctaDoc struct {
	Heading string `json:"heading" openapi:"optional"`
	Title   string `json:"title"`
	Text    string `json:"text" openapi:"optional"`
}

// Input converts the document for the guide service.
func (d GuideDocument) Input() guide.Input {
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

// toGuideDocument renders an Input with every list present (never null), so
// clients can edit and send back what they received.
func toGuideDocument(in *guide.Input) GuideDocument {
	d := GuideDocument{
		Title: in.Title, Slug: in.Slug, Category: in.Category, Summary: in.Summary, SEOTitle: in.SEOTitle,
		SEODescription: in.SEODescription, ChecklistIntro: in.ChecklistIntro, Related: nonNil(in.Related),
		Options: []optionDoc{}, Comparison: []rowDoc{}, Checklist: []questionDoc{}, Tradeoffs: []tradeoffDoc{},
		Recommendations: []recommendationDoc{}, FAQ: []faqDoc{},
	}
	for _, o := range in.Options {
		d.Options = append(d.Options, optionDoc{Technology: o.Technology, ChooseIf: nonNil(o.ChooseIf)})
	}
	for _, r := range in.Comparison {
		d.Comparison = append(d.Comparison, rowDoc{Feature: r.Feature, Values: nonNil(r.Values)})
	}
	for _, q := range in.Checklist {
		qd := questionDoc{ID: q.ID, Text: q.Text, Help: q.Help, Kind: q.Kind}
		for _, ch := range q.Choices {
			qd.Choices = append(qd.Choices, choiceDoc(ch))
		}
		d.Checklist = append(d.Checklist, qd)
	}
	for _, t := range in.Tradeoffs {
		d.Tradeoffs = append(d.Tradeoffs, tradeoffDoc(t))
	}
	for _, r := range in.Recommendations {
		d.Recommendations = append(d.Recommendations, recommendationDoc(r))
	}
	for _, f := range in.FAQ {
		d.FAQ = append(d.FAQ, faqDoc(f))
	}
	if in.CTA != nil {
		cta := ctaDoc(*in.CTA)
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

// guideAdminResponse is a guide's editorial state and its draft document.
type guideAdminResponse struct {
	ID                    string         `json:"id"`
	Status                guide.Status   `json:"status"`
	Version               int            `json:"version"`
	Revision              int            `json:"revision"`
	HasUnpublishedChanges bool           `json:"has_unpublished_changes"`
	PublishedAt           *time.Time     `json:"published_at"`
	ScheduledAt           *time.Time     `json:"scheduled_at"`
	AuthorID              *string        `json:"author_id"`
	LastEditorID          *string        `json:"last_editor_id"`
	CreatedAt             time.Time      `json:"created_at"`
	UpdatedAt             time.Time      `json:"updated_at"`
	Document              *GuideDocument `json:"document,omitempty"`
}

// guideListItem is a guide in the editors' list: no document.
type guideListItem struct {
	guideAdminResponse
	Slug       string `json:"slug"`
	Title      string `json:"title"`
	Summary    string `json:"summary"`
	CategoryID string `json:"category_id"`
}

func toGuideAdminResponse(g *guide.Guide, in *guide.Input, revision int) guideAdminResponse {
	r := guideAdminResponse{
		ID: g.ID, Status: g.Status, Version: g.Version, Revision: revision, HasUnpublishedChanges: g.HasUnpublishedChanges(),
		PublishedAt: g.PublishedAt, ScheduledAt: g.ScheduledAt, AuthorID: g.AuthorID, LastEditorID: g.LastEditorID,
		CreatedAt: g.CreatedAt, UpdatedAt: g.UpdatedAt,
	}
	if in != nil {
		d := toGuideDocument(in)
		r.Document = &d
	}
	return r
}

type revisionResponse struct {
	Number    int            `json:"number"`
	Action    string         `json:"action"`
	AuthorID  *string        `json:"author_id"`
	CreatedAt time.Time      `json:"created_at"`
	Document  *GuideDocument `json:"document,omitempty"`
}
