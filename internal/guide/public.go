package guide

import (
	"context"
	"time"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/id"
)

// Sort orders of the public list.
const (
	SortPublishedDesc = "-published_at"
	SortPublishedAsc  = "published_at"
	SortTitleAsc      = "title"
	SortTitleDesc     = "-title"
	// SortRelevance orders search results best match first; it is the
	// order of every query with ?q= and no sort.
	SortRelevance = "relevance"
)

// PublicFilter selects published guides. After is the keyset cursor: the
// sort key and ID of the last guide of the previous page.
type PublicFilter struct {
	CategorySlug   string
	TechnologySlug string
	Query          string
	Sort           string
	After          *Cursor
	Limit          int
	// Entries asks for each guide's stored entry of the public list
	// (PublishedSummary.Entry) where there is one: such a summary then
	// carries only what a page needs beside it (GuideID, Title,
	// PublishedAt, Rank, RankKey), not its category and technologies.
	Entries bool
}

// Cursor is a position in a sorted list.
type Cursor struct {
	Key string // the sort column's value, RFC 3339 for times
	ID  string
}

// Published is a published guide's stored snapshot.
type Published struct {
	GuideID     string
	Slug        string
	RevisionID  string
	Document    Document
	PublishedAt time.Time
}

// PublishedSummary is a published guide as lists show it.
type PublishedSummary struct {
	GuideID      string
	Slug         string
	Title        string
	Summary      string
	Category     *Category
	Technologies []*Technology
	PublishedAt  time.Time
	Rank         float64 // search relevance, higher is better; 0 outside a search
	RankKey      string  // in a search by relevance: the cursor key after this result
	// Entry is the guide's entry of the public list as the HTTP layer
	// encoded it (guide.Rendered.ListItem), when PublicFilter.Entries
	// asked for it and it is stored.
	Entry []byte
}

// View is a published guide with every reference resolved, ready to render.
type View struct {
	Published
	Category     *Category
	Technologies map[string]*Technology
	// Related holds only linked guides that are published now, in the
	// document's order: a link to an unpublished guide disappears from reads
	// and comes back when that guide is published again.
	Related []*PublishedSummary
	CTA     CTA
	// Locale is the locale the view is in; Alternates every locale the
	// guide is published in, for hreflang.
	Locale     string
	Alternates []Alternate
}

// PublishedGuide returns the public view of a guide by slug.
func (s *Service) PublishedGuide(ctx context.Context, slug string) (*View, error) {
	p, err := s.store.FindPublishedBySlug(ctx, slug)
	if err != nil {
		return nil, err
	}
	return s.view(ctx, p)
}

// PreviewGuide returns a guide's draft resolved like a published one, for
// editors and preview tokens. Related drafts are not shown: the preview
// shows what the public would see if this guide alone were published.
func (s *Service) PreviewGuide(ctx context.Context, slug string) (*View, error) {
	g, err := s.guideBySlug(ctx, slug)
	if err != nil {
		return nil, err
	}
	return s.preview(ctx, g)
}

// PreviewGuideByID is PreviewGuide for a guide known by ID.
func (s *Service) PreviewGuideByID(ctx context.Context, guideID string) (*View, error) {
	if !id.Valid(guideID) {
		return nil, apperr.New(apperr.NotFound, "no such guide")
	}
	g, err := s.store.FindGuide(ctx, guideID)
	if err != nil {
		return nil, err
	}
	return s.preview(ctx, g)
}

// preview renders g's draft revision; the editor form is not needed.
func (s *Service) preview(ctx context.Context, g *Guide) (*View, error) {
	rev, err := s.store.FindRevisionByID(ctx, *g.DraftRevisionID)
	if err != nil {
		return nil, err
	}
	return s.view(ctx, &Published{GuideID: g.ID, Slug: g.Slug, RevisionID: rev.ID, Document: rev.Document, PublishedAt: g.UpdatedAt})
}

func (s *Service) view(ctx context.Context, p *Published) (*View, error) {
	v := &View{Published: *p, CTA: s.CTAOr(p.Document.CTA), Locale: s.Locales().Default()}
	alts, err := s.store.PublishedAlternates(ctx, v.Locale, []string{p.GuideID})
	if err != nil {
		return nil, err
	}
	v.Alternates = alts[p.GuideID]
	if v.Category, err = s.store.FindCategory(ctx, p.Document.CategoryID); err != nil {
		return nil, err
	}
	if v.Technologies, err = s.store.TechnologiesByIDs(ctx, p.Document.technologyIDs()); err != nil {
		return nil, err
	}
	related, err := s.store.PublishedSummaries(ctx, p.Document.Related)
	if err != nil {
		return nil, err
	}
	for _, gid := range p.Document.Related {
		if r := related[gid]; r != nil {
			v.Related = append(v.Related, r)
		}
	}
	return v, nil
}

// PublishedViews returns the public views of many published guides by ID
// with one query per kind of reference, for rendering in bulk. Guides not
// published are absent.
func (s *Service) PublishedViews(ctx context.Context, guideIDs []string) ([]*View, error) {
	ps, err := s.store.FindPublishedByIDs(ctx, guideIDs)
	if err != nil {
		return nil, err
	}
	cats, err := s.store.ListCategories(ctx)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*Category, len(cats))
	for _, c := range cats {
		byID[c.ID] = c
	}
	var techIDs, relIDs []string
	for _, p := range ps {
		techIDs = append(techIDs, p.Document.technologyIDs()...)
		relIDs = append(relIDs, p.Document.Related...)
	}
	techs, err := s.store.TechnologiesByIDs(ctx, techIDs)
	if err != nil {
		return nil, err
	}
	related, err := s.store.PublishedSummaries(ctx, relIDs)
	if err != nil {
		return nil, err
	}
	alts, err := s.store.PublishedAlternates(ctx, s.Locales().Default(), guideIDs)
	if err != nil {
		return nil, err
	}
	out := make([]*View, 0, len(ps))
	for _, p := range ps {
		v := &View{Published: *p, CTA: s.CTAOr(p.Document.CTA), Category: byID[p.Document.CategoryID], Technologies: map[string]*Technology{},
			Locale: s.Locales().Default(), Alternates: alts[p.GuideID]}
		if v.Category == nil {
			return nil, apperr.New(apperr.NotFound, "no such category")
		}
		for _, tid := range p.Document.technologyIDs() {
			if t := techs[tid]; t != nil {
				v.Technologies[tid] = t
			}
		}
		for _, gid := range p.Document.Related {
			if r := related[gid]; r != nil {
				v.Related = append(v.Related, r)
			}
		}
		out = append(out, v)
	}
	return out, nil
}

// PublishedGuides lists published guides a page at a time.
func (s *Service) PublishedGuides(ctx context.Context, f PublicFilter) ([]*PublishedSummary, error) {
	return s.store.ListPublished(ctx, f)
}

// CountPublished counts the published guides f selects, ignoring paging.
func (s *Service) CountPublished(ctx context.Context, f PublicFilter) (int, error) {
	return s.store.CountPublished(ctx, f)
}

// GuidesFeaturing lists the published guides that compare a technology.
func (s *Service) GuidesFeaturing(ctx context.Context, technologyID string) ([]*PublishedSummary, error) {
	return s.store.GuidesFeaturing(ctx, technologyID)
}

// TechnologyIDs maps technology slugs to IDs; unknown slugs are absent.
func (s *Service) TechnologyIDs(ctx context.Context, slugs []string) (map[string]string, error) {
	techs, err := s.store.TechnologiesBySlugs(ctx, slugs)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(techs))
	for slug, t := range techs {
		out[slug] = t.ID
	}
	return out, nil
}
