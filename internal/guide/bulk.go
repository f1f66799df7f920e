package guide

import (
	"context"
	"fmt"
	"sync"

	"github.com/verdict-cms/verdict/internal/id"
)

// NewGuide is one guide written by Store.CreateGuides: the guide row, its
// first revision and its draft references, and, when Guide has a published
// revision, its public row (indexed with SearchBody) and published
// references.
type NewGuide struct {
	Guide      *Guide
	Revision   *Revision
	SearchBody string
}

// bulkSize is how many new guides a Bulk writes per flush: multi-row
// inserts of a few hundred rows, far below SQLite's 32,766 variables and
// PostgreSQL's 65,535 parameters.
const bulkSize = 250

// Bulk creates many new guides inside one transaction, validated one by
// one as CreateGuide does, written a batch at a time. Lookups by slug are
// cached for its life: categories and technologies do not change while it
// runs. A full batch is written in the background while the next one is
// validated (the database and the caller's CPU work side by side); the
// transaction has one user at a time. Make one with NewBulk on a service
// from InTx, call Add for each guide, and Flush before using the
// transaction otherwise and at the end.
type Bulk struct {
	s       *Service
	tx      *cachedLookups
	actor   string
	pending []NewGuide
	slugs   map[string]bool // slugs of pending guides
	events  []any
	written chan error // the batch being written, if any
}

// NewBulk starts a bulk creation as actor. s must be a transaction's
// service (InTx): Bulk writes across many statements.
func (s *Service) NewBulk(actor string) *Bulk {
	return &Bulk{s: s, tx: newCachedLookups(s.store), actor: actor, slugs: map[string]bool{}}
}

// wait ends the write in flight and returns its error.
func (b *Bulk) wait() error {
	if b.written == nil {
		return nil
	}
	err := <-b.written
	b.written = nil
	return err
}

// send starts writing the queued guides in the background, after the
// write before it.
func (b *Bulk) send(ctx context.Context) error {
	if err := b.wait(); err != nil {
		return err
	}
	if len(b.pending) == 0 {
		return nil
	}
	gs, events := b.pending, b.events
	b.pending, b.events = make([]NewGuide, 0, bulkSize), nil
	clear(b.slugs)
	b.written = make(chan error, 1)
	go func() { b.written <- b.write(ctx, gs, events) }()
	return nil
}

// Add validates in as a new guide and queues it, published when publish
// is set; it returns the guide's ID. A guide that links to a queued one
// (or reuses its slug) writes the queue first, so references resolve.
func (b *Bulk) Add(ctx context.Context, in Input, publish bool) (string, error) {
	if b.slugs[in.Slug] {
		if err := b.Flush(ctx); err != nil {
			return "", err
		}
	}
	for _, r := range in.Related {
		if b.slugs[r] {
			if err := b.Flush(ctx); err != nil {
				return "", err
			}
			break
		}
	}
	doc, err := b.s.resolve(ctx, b.tx, "", in)
	if err != nil {
		return "", err
	}
	now := b.s.now()
	g := &Guide{ID: id.New(), Status: StatusDraft, Version: 1, AuthorID: optional(b.actor), CreatedAt: now}
	mirror(g, doc, b.actor, now)
	rev := &Revision{ID: id.New(), GuideID: g.ID, Number: 1, Action: "created", Document: *doc, AuthorID: optional(b.actor), CreatedAt: now}
	g.DraftRevisionID = &rev.ID
	ng := NewGuide{Guide: g, Revision: rev}
	if publish {
		techs, err := b.tx.TechnologiesByIDs(ctx, doc.technologyIDs())
		if err != nil {
			return "", err
		}
		var names []string
		for _, tid := range doc.technologyIDs() {
			if t := techs[tid]; t != nil {
				names = append(names, t.Name)
			}
		}
		// As CreateGuide then Publish leave it: published, one version on.
		g.Status, g.PublishedRevisionID, g.PublishedAt, g.Version = StatusPublished, &rev.ID, &now, 2
		ng.SearchBody = doc.SearchText(names)
		b.events = append(b.events, guideEvent(g))
	}
	b.pending = append(b.pending, ng)
	b.slugs[g.Slug] = true
	if len(b.pending) >= bulkSize {
		return g.ID, b.send(ctx)
	}
	return g.ID, nil
}

// Wait ends the write in flight, if any, without starting another: call
// it before the transaction ends on every path.
func (b *Bulk) Wait() error { return b.wait() }

// Flush writes the queued guides and waits until they are written. A slug
// taken meanwhile is a field error.
func (b *Bulk) Flush(ctx context.Context) error {
	if err := b.send(ctx); err != nil {
		return err
	}
	return b.wait()
}

func (b *Bulk) write(ctx context.Context, gs []NewGuide, events []any) error {
	b.tx.db.Lock()
	defer b.tx.db.Unlock()
	if err := b.s.store.CreateGuides(ctx, gs); err != nil {
		return slugTaken(err)
	}
	b.tx.mu.Lock()
	for _, ng := range gs {
		b.tx.guides[ng.Guide.Slug] = ng.Guide.ID
	}
	b.tx.mu.Unlock()
	if len(events) > 0 {
		if err := b.s.store.EmitAll(ctx, "guide.published", events, b.s.now()); err != nil {
			return fmt.Errorf("guide: bulk events: %w", err)
		}
		return b.s.changed(ctx, b.s.store)
	}
	return nil
}

// cachedLookups remembers the slug lookups resolve makes, for a Bulk.
type cachedLookups struct {
	Store
	db     *sync.Mutex // the transaction's one user at a time
	mu     sync.Mutex  // the maps
	cats   map[string]*Category
	techs  map[string]*Technology
	byID   map[string]*Technology
	guides map[string]string // slug → ID of guides known to exist
}

func newCachedLookups(s Store) *cachedLookups {
	return &cachedLookups{Store: s, db: &sync.Mutex{}, cats: map[string]*Category{}, techs: map[string]*Technology{},
		byID: map[string]*Technology{}, guides: map[string]string{}}
}

func (c *cachedLookups) FindCategoryBySlug(ctx context.Context, slug string) (*Category, error) {
	c.mu.Lock()
	cat := c.cats[slug]
	c.mu.Unlock()
	if cat != nil {
		return cat, nil
	}
	c.db.Lock()
	cat, err := c.Store.FindCategoryBySlug(ctx, slug)
	c.db.Unlock()
	if err == nil {
		c.mu.Lock()
		c.cats[slug] = cat
		c.mu.Unlock()
	}
	return cat, err
}

func (c *cachedLookups) TechnologiesBySlugs(ctx context.Context, slugs []string) (map[string]*Technology, error) {
	out, missing := map[string]*Technology{}, []string{}
	c.mu.Lock()
	for _, s := range slugs {
		if t := c.techs[s]; t != nil {
			out[s] = t
		} else if s != "" {
			missing = append(missing, s)
		}
	}
	c.mu.Unlock()
	if len(missing) == 0 {
		return out, nil
	}
	c.db.Lock()
	found, err := c.Store.TechnologiesBySlugs(ctx, missing)
	c.db.Unlock()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for s, t := range found {
		c.techs[s], c.byID[t.ID], out[s] = t, t, t
	}
	return out, nil
}

func (c *cachedLookups) TechnologiesByIDs(ctx context.Context, ids []string) (map[string]*Technology, error) {
	out := map[string]*Technology{}
	c.mu.Lock()
	for _, i := range ids {
		if t := c.byID[i]; t != nil {
			out[i] = t
		}
	}
	c.mu.Unlock()
	if len(out) == len(ids) {
		return out, nil
	}
	c.db.Lock()
	defer c.db.Unlock()
	return c.Store.TechnologiesByIDs(ctx, ids)
}

func (c *cachedLookups) GuideIDsBySlugs(ctx context.Context, slugs []string) (map[string]string, error) {
	out, missing := map[string]string{}, []string{}
	c.mu.Lock()
	for _, s := range slugs {
		if gid, ok := c.guides[s]; ok {
			out[s] = gid
		} else {
			missing = append(missing, s)
		}
	}
	c.mu.Unlock()
	if len(missing) == 0 {
		return out, nil
	}
	c.db.Lock()
	found, err := c.Store.GuideIDsBySlugs(ctx, missing)
	c.db.Unlock()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for s, gid := range found {
		c.guides[s], out[s] = gid, gid
	}
	return out, nil
}

// Known maps those of slugs that name a stored guide (or one written by
// this Bulk) to their IDs.
func (b *Bulk) Known(ctx context.Context, slugs []string) (map[string]string, error) {
	return b.tx.GuideIDsBySlugs(ctx, slugs)
}
