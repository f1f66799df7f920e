// Package lead is the consultation intake: prospects' requests, their
// routing to consultants, and the consultants' work on them.
//
// A submission is stored with one outbox event in a single transaction, so a
// lead that was answered 201 always has its notifications coming. A worker
// later expands the event: it assigns an owner round-robin and queues one
// email per recipient, each delivered and retried on its own.
package lead

import (
	"slices"
	"time"
)

// Status is where a lead is in the sales funnel.
type Status string

// The statuses.
const (
	StatusNew       Status = "new"
	StatusContacted Status = "contacted"
	StatusQualified Status = "qualified"
	StatusWon       Status = "won"
	StatusLost      Status = "lost"
	StatusSpam      Status = "spam"
)

// transitions lists where each status may go. Won and lost are closed;
// spam can be undone.
var transitions = map[Status][]Status{
	StatusNew:       {StatusContacted, StatusQualified, StatusLost, StatusSpam},
	StatusContacted: {StatusQualified, StatusWon, StatusLost, StatusSpam},
	StatusQualified: {StatusWon, StatusLost, StatusSpam},
	StatusSpam:      {StatusNew},
	StatusWon:       {},
	StatusLost:      {},
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { _, ok := transitions[s]; return ok }

// CanBecome reports whether a lead may move from s to next.
func (s Status) CanBecome(next Status) bool { return slices.Contains(transitions[s], next) }

// Closed reports whether the lead's outcome is settled.
func (s Status) Closed() bool { return s == StatusWon || s == StatusLost }

// Fixed answer choices, so leads can be compared and reported on.
var (
	RequestVolumes = []string{"under-1k-per-day", "1k-100k-per-day", "100k-1m-per-day", "over-1m-per-day", "not-sure"}
	TeamLanguages  = []string{"javascript", "typescript", "python", "go", "java", "csharp", "php", "ruby", "rust", "other"}
	Timelines      = []string{"asap", "1-3-months", "3-6-months", "6-plus-months", "exploring"}
	Budgets        = []string{"under-10k", "10k-50k", "50k-150k", "over-150k", "not-sure"}
)

// Lead is a consultation request.
type Lead struct {
	ID                    string
	Reference             string // public, quoted to the prospect
	Status                Status
	Name                  string
	Email                 string
	Company               string
	Role                  string
	Project               string
	GuideID               *string
	GuideSlug             string
	GuideTitle            string
	Answers               []Answer
	PreferredTechnologies []string
	RequestVolume         string
	TeamLanguage          string
	Timeline              string
	Budget                string
	ConsentedAt           *time.Time
	Referrer              string
	UTM                   UTM
	IP                    string
	UserAgent             string
	Locale                string // the prospect's language; "" before locales existed
	Recommendation        *Recommendation
	OwnerID               *string
	IdempotencyKey        *string
	RequestHash           string
	CreatedAt             time.Time
	UpdatedAt             time.Time
	ClosedAt              *time.Time
	ErasedAt              *time.Time
}

// Answer is the prospect's answer to one checklist question, with the
// question's text as it was when they answered.
type Answer struct {
	QuestionID string   `json:"question_id"`
	Question   string   `json:"question"`
	Answer     string   `json:"answer"`               // the words, or the chosen labels
	ChoiceIDs  []string `json:"choice_ids,omitempty"` // for scored questions
}

// Recommendation is the decision engine's verdict on a lead's answers, as
// computed when the lead arrived.
type Recommendation struct {
	Leaning string              `json:"leaning"`
	Tie     bool                `json:"tie"`
	Options []RecommendedOption `json:"options"`
}

// RecommendedOption is one option's standing.
type RecommendedOption struct {
	Slug  string  `json:"slug"`
	Name  string  `json:"name"`
	Score int     `json:"score"`
	Share float64 `json:"share"`
	Rank  int     `json:"rank"`
}

// Top is the recommended option's slug, "tie", or "" without a verdict.
func (r *Recommendation) Top() string {
	switch {
	case r == nil || len(r.Options) == 0:
		return ""
	case r.Tie:
		return "tie"
	}
	return r.Options[0].Slug
}

// UTM holds campaign tracking fields.
type UTM struct {
	Source   string `json:"source,omitempty"`
	Medium   string `json:"medium,omitempty"`
	Campaign string `json:"campaign,omitempty"`
	Term     string `json:"term,omitempty"`
	Content  string `json:"content,omitempty"`
}

// Note is a consultant's remark on a lead.
type Note struct {
	ID        string
	LeadID    string
	AuthorID  *string
	Body      string
	CreatedAt time.Time
}

// Consultant is a user who takes leads, with what they know.
type Consultant struct {
	UserID         string
	Email          string
	Name           string
	Active         bool
	TechnologyIDs  []string
	CategoryIDs    []string
	LastAssignedAt *time.Time
}

// Mail is one email to send.
type Mail struct {
	To      []string `json:"to"`
	ReplyTo string   `json:"reply_to,omitempty"`
	Subject string   `json:"subject"`
	Text    string   `json:"text"`
	HTML    string   `json:"html"`
}

// Outbox message kinds.
const (
	KindLeadCreated = "lead.created"
	KindMail        = "mail"
)
