package guide

import (
	"context"
	"sync"
	"time"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/locale"
)

// Store persists content. Lookups that find nothing return an apperr
// NotFound error; writes guarded by a version return Conflict when stale.
type Store interface {
	InTx(ctx context.Context, fn func(Store) error) error
	// ContentChanged tells every instance, when the transaction commits,
	// that published content changed.
	ContentChanged(ctx context.Context) error
	// Emit queues an event for webhooks, delivered after the commit.
	Emit(ctx context.Context, eventType string, data any, at time.Time) error
	// EmitAll queues one event of eventType per data, in one statement.
	EmitAll(ctx context.Context, eventType string, data []any, at time.Time) error

	CreateCategory(ctx context.Context, c *Category) error
	UpdateCategory(ctx context.Context, c *Category, version int) error
	DeleteCategory(ctx context.Context, id string) error
	FindCategory(ctx context.Context, id string) (*Category, error)
	FindCategoryBySlug(ctx context.Context, slug string) (*Category, error)
	ListCategories(ctx context.Context) ([]*Category, error)

	CreateTechnology(ctx context.Context, t *Technology) error
	UpdateTechnology(ctx context.Context, t *Technology, version int) error
	DeleteTechnology(ctx context.Context, id string) error
	FindTechnology(ctx context.Context, id string) (*Technology, error)
	FindTechnologyBySlug(ctx context.Context, slug string) (*Technology, error)
	ListTechnologies(ctx context.Context, afterSlug string, limit int) ([]*Technology, error)
	TechnologiesBySlugs(ctx context.Context, slugs []string) (map[string]*Technology, error)
	TechnologiesByIDs(ctx context.Context, ids []string) (map[string]*Technology, error)
	TechnologyInUse(ctx context.Context, id string) (bool, error)

	CreateGuide(ctx context.Context, g *Guide) error
	// CreateGuides writes new guides in multi-row statements (see NewGuide).
	CreateGuides(ctx context.Context, gs []NewGuide) error
	// SaveGuide writes g if its stored version is still version, bumping it.
	SaveGuide(ctx context.Context, g *Guide, version int) error
	FindGuide(ctx context.Context, id string) (*Guide, error)
	FindGuideForUpdate(ctx context.Context, id string) (*Guide, error)
	DeleteGuide(ctx context.Context, id string) error
	ListGuides(ctx context.Context, f AdminFilter) ([]*Guide, error)
	CountGuides(ctx context.Context, f AdminFilter) (int, error)
	GuideIDsBySlugs(ctx context.Context, slugs []string) (map[string]string, error)
	GuidesByIDs(ctx context.Context, ids []string) (map[string]*Guide, error)
	LinkingGuides(ctx context.Context, targetID string) ([]*Guide, error)
	SetReferences(ctx context.Context, guideID string, published bool, techIDs, linkIDs []string) error
	DueGuides(ctx context.Context, now time.Time, limit int) ([]string, error)

	CreateRevision(ctx context.Context, r *Revision) error
	FindRevision(ctx context.Context, guideID string, number int) (*Revision, error)
	FindRevisionByID(ctx context.Context, id string) (*Revision, error)
	ListRevisions(ctx context.Context, guideID string) ([]*Revision, error)
	LastRevisionNumber(ctx context.Context, guideID string) (int, error)

	// Publish makes rev the public content of g, with searchBody indexed.
	Publish(ctx context.Context, g *Guide, rev *Revision, searchBody string) error
	Unpublish(ctx context.Context, guideID string) error
	FindPublishedBySlug(ctx context.Context, slug string) (*Published, error)
	FindPublishedByIDs(ctx context.Context, guideIDs []string) ([]*Published, error)
	ListPublished(ctx context.Context, f PublicFilter) ([]*PublishedSummary, error)
	CountPublished(ctx context.Context, f PublicFilter) (int, error)
	PublishedSummaries(ctx context.Context, guideIDs []string) (map[string]*PublishedSummary, error)
	GuidesFeaturing(ctx context.Context, technologyID string) ([]*PublishedSummary, error)

	TranslationStore
}

// TranslationStore persists translations: guides' per locale, and the
// names of categories and technologies.
type TranslationStore interface {
	CreateTranslation(ctx context.Context, t *Translation) error
	// SaveTranslation writes t if its stored version is still version, bumping it.
	SaveTranslation(ctx context.Context, t *Translation, version int) error
	FindTranslation(ctx context.Context, guideID, locale string) (*Translation, error)
	ListTranslations(ctx context.Context, guideID string) ([]*Translation, error)
	DeleteTranslation(ctx context.Context, guideID, locale string) error
	DueTranslations(ctx context.Context, now time.Time, limit int) ([]TranslationKey, error)
	CreateTranslationRevision(ctx context.Context, r *TranslationRevision) error
	FindTranslationRevisionByID(ctx context.Context, id string) (*TranslationRevision, error)
	ListTranslationRevisions(ctx context.Context, guideID, locale string) ([]*TranslationRevision, error)
	LastTranslationRevisionNumber(ctx context.Context, guideID, locale string) (int, error)

	// PublishTranslation makes doc (the translation's texts on the default
	// locale's published structure) t's public content.
	PublishTranslation(ctx context.Context, t *Translation, doc *Document, revisionID string) error
	// UnpublishTranslation takes locale ("" = every locale) of a guide off
	// the public API.
	UnpublishTranslation(ctx context.Context, guideID, locale string) error
	// FindPublishedTranslation finds a guide published in locale by its
	// slug in that locale.
	FindPublishedTranslation(ctx context.Context, locale, slug string) (*Published, error)
	FindPublishedTranslationByID(ctx context.Context, guideID, locale string) (*Published, error)
	// PublishedAlternates lists the locales (the default named defaultLocale) each
	// guide is published in.
	PublishedAlternates(ctx context.Context, defaultLocale string, guideIDs []string) (map[string][]Alternate, error)
	ListPublishedTranslations(ctx context.Context, locale string, f PublicFilter) ([]*PublishedSummary, error)
	CountPublishedTranslations(ctx context.Context, locale string, f PublicFilter) (int, error)
	TranslatedSummaries(ctx context.Context, locale string, guideIDs []string) (map[string]*PublishedSummary, error)

	SetNameTranslation(ctx context.Context, kind NameKind, id, locale string, n NameTexts) error
	DeleteNameTranslation(ctx context.Context, kind NameKind, id, locale string) error
	NameTranslations(ctx context.Context, kind NameKind, locale string, ids []string) (map[string]NameTexts, error)
}

// Invalidator drops this instance's cached public responses at once; other
// instances learn of the change through Store.ContentChanged.
type Invalidator interface {
	Invalidate()
}

// Service implements the content domain's rules.
type Service struct {
	store      Store
	listeners  *listeners
	defaultCTA CTA
	now        func() time.Time
	locales    *locale.Set // nil: only "en"
}

// NewService wires the content service.
func NewService(store Store, defaultCTA CTA, now func() time.Time) *Service {
	return &Service{store: store, listeners: &listeners{}, defaultCTA: defaultCTA, now: now}
}

// OnChange registers inv to be invalidated after every change to public
// content made through this service (and its transactions).
func (s *Service) OnChange(inv Invalidator) {
	s.listeners.mu.Lock()
	defer s.listeners.mu.Unlock()
	s.listeners.list = append(s.listeners.list, inv)
}

// ContentChanged invalidates every registered cache: for changes this
// instance learns of from elsewhere (another instance's NOTIFY).
func (s *Service) ContentChanged() { s.afterChange() }

// listeners are the registered Invalidators, shared by a service and the
// copies its transactions run with.
type listeners struct {
	mu   sync.RWMutex
	list []Invalidator
}

// changed marks public content as changed inside tx: other instances are
// notified on commit; this one drops its cache after the commit.
func (s *Service) changed(ctx context.Context, tx Store) error {
	return tx.ContentChanged(ctx)
}

func (s *Service) afterChange() {
	s.listeners.mu.RLock()
	defer s.listeners.mu.RUnlock()
	for _, inv := range s.listeners.list {
		inv.Invalidate()
	}
}

// InTx runs fn with a service whose every operation joins one transaction
// (without savepoints: the first failure fails the whole): all of fn's
// changes commit together or not at all. Caches are dropped again after
// the commit.
func (s *Service) InTx(ctx context.Context, fn func(*Service) error) error {
	err := s.store.InTx(ctx, func(tx Store) error {
		return fn(&Service{store: tx, listeners: s.listeners, defaultCTA: s.defaultCTA, now: s.now, locales: s.locales})
	})
	s.afterChange()
	return err
}

// GuideBySlug returns a guide's draft in editor form, by slug.
func (s *Service) GuideBySlug(ctx context.Context, slug string) (*Draft, error) {
	g, err := s.guideBySlug(ctx, slug)
	if err != nil {
		return nil, err
	}
	return s.withInput(ctx, &Draft{Guide: g})
}

func (s *Service) guideBySlug(ctx context.Context, slug string) (*Guide, error) {
	ids, err := s.store.GuideIDsBySlugs(ctx, []string{slug})
	if err != nil {
		return nil, err
	}
	if ids[slug] == "" {
		return nil, apperr.New(apperr.NotFound, "no such guide")
	}
	return s.store.FindGuide(ctx, ids[slug])
}
