// Package guide is Verdict's content domain: categories, technologies and
// structured comparison guides with drafts, revisions and publishing.
//
// A guide's content is a Document. Every save stores the whole Document as
// a new immutable revision; the guide points at its draft revision and, once
// published, at the revision the public sees. Documents refer to
// technologies, categories and other guides by ID, so renames never break
// history; editors address them by slug (Input), resolved on save.
package guide

import "time"

// Status is where a guide is in the editorial workflow.
type Status string

// The statuses.
const (
	StatusDraft     Status = "draft"
	StatusScheduled Status = "scheduled"
	StatusPublished Status = "published"
	StatusArchived  Status = "archived"
)

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	switch s {
	case StatusDraft, StatusScheduled, StatusPublished, StatusArchived:
		return true
	}
	return false
}

// Category groups guides (Backend, Frontend).
type Category struct {
	ID          string
	Slug        string
	Name        string
	Description string
	Position    int
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Technology is a reusable option (Node.js appears in many guides).
type Technology struct {
	ID          string
	Slug        string
	Name        string
	Description string
	Language    string
	WebsiteURL  string
	LogoURL     string
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Guide is a guide's identity and editorial state; its content is in
// revisions. Title, Slug, Summary and CategoryID mirror the draft.
type Guide struct {
	ID                  string
	Slug                string
	Status              Status
	Title               string
	Summary             string
	CategoryID          string
	Version             int
	DraftRevisionID     *string
	PublishedRevisionID *string
	AuthorID            *string
	LastEditorID        *string
	ScheduledAt         *time.Time
	PublishedAt         *time.Time
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

// HasUnpublishedChanges reports whether the draft differs from what the
// public sees.
func (g *Guide) HasUnpublishedChanges() bool {
	if g.PublishedRevisionID == nil {
		return true
	}
	return g.DraftRevisionID == nil || *g.DraftRevisionID != *g.PublishedRevisionID
}

// Revision is an immutable snapshot of a guide's Document.
type Revision struct {
	ID        string
	GuideID   string
	Number    int
	Action    string // created, saved, restored from N
	Document  Document
	AuthorID  *string
	CreatedAt time.Time
}

// Document is a guide's whole content. Its JSON form is the revision storage
// schema: add fields with omitempty so old revisions stay readable.
type Document struct {
	Title           string           `json:"title"`
	Slug            string           `json:"slug"`
	CategoryID      string           `json:"category_id"`
	Summary         string           `json:"summary"`
	SEOTitle        string           `json:"seo_title,omitempty"`
	SEODescription  string           `json:"seo_description,omitempty"`
	Options         []Option         `json:"options"`
	Comparison      []Row            `json:"comparison"`
	ChecklistIntro  string           `json:"checklist_intro,omitempty"`
	Checklist       []Question       `json:"checklist"`
	Tradeoffs       []Tradeoff       `json:"tradeoffs"`
	Recommendations []Recommendation `json:"recommendations"`
	FAQ             []FAQ            `json:"faq"`
	Related         []string         `json:"related"` // guide IDs, in order
	CTA             *CTA             `json:"cta,omitempty"`
}

// Option is one technology compared, with its "Choose X if…" list.
type Option struct {
	TechnologyID string   `json:"technology_id"`
	ChooseIf     []string `json:"choose_if"`
}

// Row is one line of the side-by-side table: one value per option, in
// option order.
type Row struct {
	Feature string   `json:"feature"`
	Values  []string `json:"values"`
}

// Question is one decision-checklist question. Its ID is stable across
// edits so that answers (leads) can refer to it.
type Question struct {
	ID   string `json:"id"`
	Text string `json:"text"`
	Help string `json:"help,omitempty"`
	// Kind makes a question scoreable: single, multiple, yes_no or scale,
	// with Choices. An empty kind is an open question answered in words.
	Kind    QuestionKind `json:"kind,omitempty"`
	Choices []Choice     `json:"choices,omitempty"`
}

// QuestionKind is how a checklist question is answered.
type QuestionKind string

// The question kinds.
const (
	KindOpen     QuestionKind = ""
	KindSingle   QuestionKind = "single"
	KindMultiple QuestionKind = "multiple"
	KindYesNo    QuestionKind = "yes_no"
	KindScale    QuestionKind = "scale"
)

// Valid reports whether k is a known kind.
func (k QuestionKind) Valid() bool {
	switch k {
	case KindOpen, KindSingle, KindMultiple, KindYesNo, KindScale:
		return true
	}
	return false
}

// Choice is one answer to a question. Choosing it adds Weights to the
// options' scores (technology ID → signed weight); Supports names the
// recommendation or tradeoff it argues for, quoted as the reason.
type Choice struct {
	ID       string         `json:"id"`
	Label    string         `json:"label"`
	Weights  map[string]int `json:"weights,omitempty"`
	Supports string         `json:"supports,omitempty"`
}

// Tradeoff is a statement, optionally about one option.
type Tradeoff struct {
	ID           string `json:"id,omitempty"`
	Text         string `json:"text"`
	TechnologyID string `json:"technology_id,omitempty"`
}

// Recommendation says which option wins a scenario. The scenario carries its
// own preposition ("for real-time applications", "if team is
// JavaScript-focused"), so it reads "Pick <option> <scenario>".
type Recommendation struct {
	ID           string `json:"id,omitempty"`
	TechnologyID string `json:"technology_id"`
	Scenario     string `json:"scenario"`
}

// FAQ is a question and its answer.
type FAQ struct {
	Question string `json:"question"`
	Answer   string `json:"answer"`
}

// CTA is a guide's call to action; a guide without one shows the site default.
type CTA struct {
	Heading string `json:"heading"`
	Title   string `json:"title"`
	Text    string `json:"text"`
}

// technologyIDs lists the document's option technologies in order.
func (d *Document) technologyIDs() []string {
	ids := make([]string, 0, len(d.Options))
	for _, o := range d.Options {
		ids = append(ids, o.TechnologyID)
	}
	return ids
}

// SearchText is the body text indexed for full-text search, beyond the
// title and summary.
func (d *Document) SearchText(techNames []string) string {
	var b []byte
	add := func(s string) {
		if s != "" {
			b = append(b, s...)
			b = append(b, '\n')
		}
	}
	for _, n := range techNames {
		add(n)
	}
	for _, o := range d.Options {
		for _, c := range o.ChooseIf {
			add(c)
		}
	}
	for _, r := range d.Comparison {
		add(r.Feature)
		for _, v := range r.Values {
			add(v)
		}
	}
	for _, q := range d.Checklist {
		add(q.Text)
		add(q.Help)
	}
	for _, t := range d.Tradeoffs {
		add(t.Text)
	}
	for _, r := range d.Recommendations {
		add(r.Scenario)
	}
	for _, f := range d.FAQ {
		add(f.Question)
		add(f.Answer)
	}
	return string(b)
}
