package guide

import (
	"context"
	"time"
)

// Rendered is a published guide's public document as the HTTP layer encoded
// it, stored beside the snapshot so that serving it takes one read. Body is
// nil while the guide waits to be rendered (just published, or something it
// shows changed); Key names the renderer settings it was made with; Gen is
// the row's invalidation count, to store a new rendering against.
type Rendered struct {
	GuideID string
	Slug    string
	Body    []byte
	// ListItem is the guide's entry of the public list, encoded and stored
	// with Body (default locale only).
	ListItem    []byte
	ETag        string
	Key         string
	Gen         int
	PublishedAt time.Time
	Locale      string // "" for the default locale
}

// RenderedStore keeps rendered public documents. Invalidation is the
// content store's job: every write that changes what a published guide
// shows (a related guide, its category, a technology) clears the guides it
// affects in the same transaction.
type RenderedStore interface {
	FindRenderedBySlug(ctx context.Context, slug string) (*Rendered, error)
	// FindRenderedBySlugs reads several published guides' rows in one
	// query, by slug; a slug not published is missing from the map.
	FindRenderedBySlugs(ctx context.Context, slugs []string) (map[string]*Rendered, error)
	// SaveRendered stores each r.Body unless r.GuideID's row was
	// invalidated since generation r.Gen was read; it returns how many it
	// stored.
	SaveRendered(ctx context.Context, rs ...*Rendered) (int, error)
	// Unrendered lists up to limit published guides without a rendering,
	// in guide ID order after the ID after.
	Unrendered(ctx context.Context, after string, limit int) ([]*Rendered, error)
	// ClearRenderedExcept drops the renderings made with another key than
	// key: the site URL or the default call to action changed.
	ClearRenderedExcept(ctx context.Context, key string) error
}

// TranslationRenderedStore keeps rendered public documents of translations
// (Rendered.Locale set), invalidated like the default locale's.
type TranslationRenderedStore interface {
	FindRenderedTranslation(ctx context.Context, guideID, locale string) (*Rendered, error)
	// SaveRenderedTranslation stores r.Body unless the row was invalidated
	// since generation r.Gen was read.
	SaveRenderedTranslation(ctx context.Context, r *Rendered) error
}
