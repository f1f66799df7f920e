// Package models holds the GORM row structs: one per table, gorm tags only.
// They are storage shapes, never the API contract; internal/store converts
// them to and from domain types.
package models

import "time"

// User is a row of users.
type User struct {
	ID           string `gorm:"primaryKey"`
	Email        string
	Name         string
	Role         string
	PasswordHash string
	Version      int
	DisabledAt   *time.Time
	LastLoginAt  *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
	TokenEpoch   int
}

// RefreshToken is a row of refresh_tokens. Tokens of one login share a
// FamilyID so that reuse of a rotated token can revoke the whole chain.
type RefreshToken struct {
	ID        string `gorm:"primaryKey"`
	UserID    string
	FamilyID  string
	TokenHash string
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
	RevokedAt *time.Time
	Epoch     int `gorm:"column:token_epoch"`
}

// APIToken is a row of api_tokens.
type APIToken struct {
	ID          string `gorm:"primaryKey"`
	Name        string
	Scope       string
	TokenHash   string
	Prefix      string
	CreatedByID *string
	CreatedAt   time.Time
	ExpiresAt   *time.Time
	LastUsedAt  *time.Time
	RevokedAt   *time.Time
}

// Throttle is a row of throttles: a fixed-window hit counter.
type Throttle struct {
	Key         string `gorm:"primaryKey"`
	Hits        int
	WindowStart int64
}

// Category is a row of categories.
type Category struct {
	ID          string `gorm:"primaryKey"`
	Slug        string
	Name        string
	Description string
	Position    int
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Technology is a row of technologies.
type Technology struct {
	ID          string `gorm:"primaryKey"`
	Slug        string
	Name        string
	Description string
	Language    string
	WebsiteURL  string `gorm:"column:website_url"`
	LogoURL     string `gorm:"column:logo_url"`
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Guide is a row of guides.
type Guide struct {
	ID                  string `gorm:"primaryKey"`
	Slug                string
	Status              string
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

// GuideRevision is a row of guide_revisions: an immutable snapshot.
type GuideRevision struct {
	ID        string `gorm:"primaryKey"`
	GuideID   string
	Number    int
	Action    string
	Document  string
	AuthorID  *string
	CreatedAt time.Time
}

// GuideTechnology is a row of guide_technologies.
type GuideTechnology struct {
	GuideID      string `gorm:"primaryKey"`
	Published    bool   `gorm:"primaryKey"`
	TechnologyID string `gorm:"primaryKey"`
	Position     int
}

// GuideLink is a row of guide_links.
type GuideLink struct {
	GuideID   string `gorm:"primaryKey"`
	Published bool   `gorm:"primaryKey"`
	TargetID  string `gorm:"primaryKey"`
}

// PublishedGuide is a row of published_guides. Its search index (PostgreSQL's
// published_search, SQLite's published_guides_fts) is written with SQL and
// never read into Go.
type PublishedGuide struct {
	GuideID     string `gorm:"primaryKey"`
	Slug        string
	Title       string
	Summary     string
	CategoryID  string
	RevisionID  string
	Document    string
	PublishedAt time.Time
	// The stored public rendering: read and written by the store's own SQL
	// (RenderedStore) only, so GORM neither loads nor overwrites it.
	PublicJSON []byte  `gorm:"column:public_json;->:false;<-:false"`
	PublicETag *string `gorm:"column:public_etag;->:false;<-:false"`
	PublicKey  *string `gorm:"column:public_key;->:false;<-:false"`
	PublicGen  int     `gorm:"column:public_gen;->:false;<-:false"`
	// The guide's entry of the public list, stored and cleared with PublicJSON.
	ListJSON []byte `gorm:"column:list_json;->:false;<-:false"`
}

// ConsultantProfile is a row of consultant_profiles.
type ConsultantProfile struct {
	UserID         string `gorm:"primaryKey"`
	Active         bool
	LastAssignedAt *time.Time
	UpdatedAt      time.Time
}

// ConsultantTechnology is a row of consultant_technologies.
type ConsultantTechnology struct {
	UserID       string `gorm:"primaryKey"`
	TechnologyID string `gorm:"primaryKey"`
}

// ConsultantCategory is a row of consultant_categories.
type ConsultantCategory struct {
	UserID     string `gorm:"primaryKey"`
	CategoryID string `gorm:"primaryKey"`
}

// Lead is a row of leads. JSON columns hold the answers, preferred
// technologies and UTM fields as they were submitted.
type Lead struct {
	ID                    string `gorm:"primaryKey"`
	Reference             string
	Status                string
	Name                  string
	Email                 string
	Company               string
	Role                  string
	Project               string
	GuideID               *string
	GuideSlug             string
	GuideTitle            string
	Answers               string
	PreferredTechnologies string
	RequestVolume         string
	TeamLanguage          string
	Timeline              string
	Budget                string
	ConsentedAt           *time.Time
	Referrer              string
	UTM                   string `gorm:"column:utm"`
	IP                    string `gorm:"column:ip"`
	UserAgent             string
	Locale                string
	Recommendation        string
	Recommended           string
	OwnerID               *string
	IdempotencyKey        *string
	RequestHash           string
	CreatedAt             time.Time
	UpdatedAt             time.Time
	ClosedAt              *time.Time
	ErasedAt              *time.Time
}

// LeadNote is a row of lead_notes.
type LeadNote struct {
	ID        string `gorm:"primaryKey"`
	LeadID    string
	AuthorID  *string
	Body      string
	CreatedAt time.Time
}

// AuditEntry is a row of audit_log.
type AuditEntry struct {
	ID          string `gorm:"primaryKey"`
	ActorID     *string
	Action      string
	SubjectType string
	SubjectID   string
	Detail      string
	CreatedAt   time.Time
}

// TableName keeps GORM from pluralising.
func (AuditEntry) TableName() string { return "audit_log" }

// OutboxMessage is a row of outbox.
type OutboxMessage struct {
	ID            string `gorm:"primaryKey"`
	Kind          string
	LeadID        *string
	Payload       string
	Status        string
	Attempts      int
	MaxAttempts   int
	NextAttemptAt time.Time
	LockedUntil   *time.Time
	LastError     string
	CreatedAt     time.Time
	SentAt        *time.Time
}

// TableName keeps GORM from pluralising.
func (OutboxMessage) TableName() string { return "outbox" }

// Webhook is a row of webhooks.
type Webhook struct {
	ID          string `gorm:"primaryKey"`
	URL         string `gorm:"column:url"`
	Events      string
	Secret      string
	Description string
	Active      bool
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// WebhookDelivery is a row of webhook_deliveries.
type WebhookDelivery struct {
	ID         string `gorm:"primaryKey"`
	WebhookID  string
	OutboxID   string
	Event      string
	StatusCode int
	Error      string
	DurationMS int `gorm:"column:duration_ms"`
	CreatedAt  time.Time
}

// Media is a row of media.
type Media struct {
	ID           string `gorm:"primaryKey"`
	ContentType  string
	Size         int64
	OriginalName string
	CreatedByID  *string
	CreatedAt    time.Time
}

// TableName keeps GORM from pluralising.
func (Media) TableName() string { return "media" }

// MediaChunk is one piece of an uploaded file's bytes, stored in the
// database so that every instance can serve it.
type MediaChunk struct {
	Name string `gorm:"primaryKey"`
	Seq  int    `gorm:"primaryKey"`
	Data []byte
}

// TableName keeps GORM from pluralising.
func (MediaChunk) TableName() string { return "media_chunks" }

// GuideTranslation is a row of guide_translations.
type GuideTranslation struct {
	GuideID             string `gorm:"primaryKey"`
	Locale              string `gorm:"primaryKey"`
	Slug                string
	Title               string
	Status              string
	Version             int
	DraftRevisionID     *string
	PublishedRevisionID *string
	SourceTexts         string
	ScheduledAt         *time.Time
	PublishedAt         *time.Time
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

// GuideTranslationRevision is a row of guide_translation_revisions.
type GuideTranslationRevision struct {
	ID        string `gorm:"primaryKey"`
	GuideID   string
	Locale    string
	Number    int
	Action    string
	Document  string
	AuthorID  *string
	CreatedAt time.Time
}

// PublishedTranslation is a row of published_translations; the rendering
// columns are read and written with SQL, as on PublishedGuide.
type PublishedTranslation struct {
	GuideID     string `gorm:"primaryKey"`
	Locale      string `gorm:"primaryKey"`
	Slug        string
	Title       string
	Summary     string
	CategoryID  string
	RevisionID  string
	Document    string
	PublishedAt time.Time
	PublicJSON  []byte  `gorm:"column:public_json;->:false;<-:false"`
	PublicETag  *string `gorm:"column:public_etag;->:false;<-:false"`
	PublicKey   *string `gorm:"column:public_key;->:false;<-:false"`
	PublicGen   int     `gorm:"column:public_gen;->:false;<-:false"`
}

// CategoryTranslation is a row of category_translations.
type CategoryTranslation struct {
	CategoryID  string `gorm:"primaryKey"`
	Locale      string `gorm:"primaryKey"`
	Name        string
	Description string
}

// TechnologyTranslation is a row of technology_translations.
type TechnologyTranslation struct {
	TechnologyID string `gorm:"primaryKey"`
	Locale       string `gorm:"primaryKey"`
	Name         string
	Description  string
}
