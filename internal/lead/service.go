package lead

import (
	"context"
	"time"
)

// Store persists leads, notes, consultants and outbox rows. Lookups that
// find nothing return an apperr NotFound error.
type Store interface {
	InTx(ctx context.Context, fn func(Store) error) error

	CreateLead(ctx context.Context, l *Lead) error
	// CreateLeadWithEvent stores l and, unless kind is "" (spam), an outbox
	// row of kind about it, atomically: the intake's one write. With a
	// quota it first counts a hit of q in the same transaction and, past
	// q.Max, stores nothing; the Usage is nil without a quota.
	CreateLeadWithEvent(ctx context.Context, l *Lead, kind string, payload []byte, at time.Time, q *Quota) (*Usage, error)
	FindLead(ctx context.Context, id string) (*Lead, error)
	FindLeadForUpdate(ctx context.Context, id string) (*Lead, error)
	FindLeadByIdempotencyKey(ctx context.Context, key string) (*Lead, error)
	UpdateLead(ctx context.Context, l *Lead) error
	ListLeads(ctx context.Context, f Filter) ([]*Lead, error)
	CountLeads(ctx context.Context, f Filter) (int, error)
	ExpiredLeads(ctx context.Context, before time.Time, limit int) ([]string, error)

	AddNote(ctx context.Context, n *Note) error
	ListNotes(ctx context.Context, leadID string) ([]*Note, error)
	DeleteNotes(ctx context.Context, leadID string) error

	// Enqueue adds an outbox row, delivered after the transaction commits.
	Enqueue(ctx context.Context, kind, leadID string, payload []byte, at time.Time) error
	// DropPendingMail deletes unsent messages about a lead.
	DropPendingMail(ctx context.Context, leadID string) error

	MatchingConsultants(ctx context.Context, technologyIDs []string, categoryID string) ([]*Consultant, error)
	FindConsultant(ctx context.Context, userID string) (*Consultant, error)
	SaveConsultant(ctx context.Context, c *Consultant, at time.Time) error

	Audit(ctx context.Context, actorID *string, action, subjectType, subjectID, detail string, at time.Time) error
	// Emit queues an event for webhooks, delivered after the commit.
	Emit(ctx context.Context, eventType string, data any, at time.Time) error

	// The batch side: expanding many events in one transaction.

	// FindLeadsForUpdate returns and locks the leads among ids that exist.
	FindLeadsForUpdate(ctx context.Context, ids []string) ([]*Lead, error)
	// CompleteEvents marks claimed outbox rows done, fenced by their common
	// lease, and returns the IDs it completed: the others' leases were lost.
	CompleteEvents(ctx context.Context, ids []string, lease time.Time, at time.Time) ([]string, error)
	// CountMails counts hits[key] messages under each key in a fixed window
	// shared by every instance, and returns each key's count so far, these
	// included.
	CountMails(ctx context.Context, hits map[string]int, window time.Duration, at time.Time) (map[string]int, error)
	// AssignOwners sets the owner of each lead (lead ID → user ID) and
	// records when each consultant was last assigned.
	AssignOwners(ctx context.Context, owners map[string]string, assigned map[string]time.Time, at time.Time) error
	// EnqueueBatch adds mails and lead.created webhook events (their data)
	// to the outbox, delivered after the transaction commits.
	EnqueueBatch(ctx context.Context, mails []QueuedMail, events []any, at time.Time) error
}

// QueuedMail is an email about a lead, encoded for the outbox.
type QueuedMail struct {
	LeadID  string
	Payload []byte
}

// Catalog answers what the intake needs to know about content.
type Catalog interface {
	// GuideForLead returns a published guide, or NotFound.
	GuideForLead(ctx context.Context, slug string) (*GuideInfo, error)
	TechnologyIDs(ctx context.Context, slugs []string) (map[string]string, error)
	CategoryIDs(ctx context.Context, slugs []string) (map[string]string, error)
}

// GuideInfo is what a lead records about the guide it came from.
type GuideInfo struct {
	ID            string
	Slug          string
	Title         string
	CategoryID    string
	TechnologyIDs []string
	Questions     map[string]QuestionInfo // by checklist question ID
	// Score runs the guide's decision engine on chosen choice IDs.
	Score func(answers map[string][]string) (*Recommendation, error)
}

// QuestionInfo is a checklist question as the intake validates answers.
type QuestionInfo struct {
	Text    string
	Open    bool              // answered in words
	Multi   bool              // several choices allowed
	Choices map[string]string // choice ID → label
}

// Composer writes the emails a lead causes.
type Composer interface {
	Notification(l *Lead, owner *Consultant) (Mail, error)
	Confirmation(l *Lead) (Mail, error)
}

// Config is the intake's policy.
type Config struct {
	TeamEmail        string // receives leads no consultant matches
	MaxAttempts      int    // per outbox message
	SendConfirmation bool
	// ConfirmationsPerRecipient and ConfirmationsPerHour cap the mail sent to
	// prospects' addresses, which nobody has verified: per address and in
	// total, each per hour, on every instance together. Zero means 3 and 200.
	ConfirmationsPerRecipient int
	ConfirmationsPerHour      int
}

// Service implements the intake and lead management.
type Service struct {
	store     Store
	analytics AnalyticsStore
	catalog   Catalog
	composer  Composer
	cfg       Config
	now       func() time.Time
}

// NewService wires the lead service.
func NewService(store Store, catalog Catalog, composer Composer, cfg Config, now func() time.Time) *Service {
	s := &Service{store: store, catalog: catalog, composer: composer, cfg: cfg, now: now}
	if a, ok := store.(AnalyticsStore); ok {
		s.analytics = a
	}
	return s
}

// Filter selects leads. Pointer fields are optional.
type Filter struct {
	Status    *Status
	OwnerID   *string
	GuideSlug *string
	From      *time.Time
	To        *time.Time
	Query     string
	AfterID   string
	Limit     int
}

// Viewer is who is looking: consultants see their own leads, admins all.
type Viewer struct {
	UserID string
	Admin  bool
}
