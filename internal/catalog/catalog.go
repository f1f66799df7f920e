// Package catalog lets the intake ask the content domain what it needs,
// without either domain importing the other. Answers come from published
// content and are cached until content changes, so a submission costs no
// reads beyond its own writes.
package catalog

import (
	"context"
	"slices"
	"sync"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/guide"
	"github.com/verdict-cms/verdict/internal/lead"
)

// Catalog implements lead.Catalog over the guide service.
type Catalog struct {
	guides *guide.Service

	mu     sync.RWMutex
	gen    uint64
	bySlug map[string]*lead.GuideInfo // nil value: known not to be published
	techs  map[string]string          // slug → ID; "" known unknown
}

var _ lead.Catalog = (*Catalog)(nil)

// New returns a catalog over guides. Wire its Invalidate to content changes.
func New(guides *guide.Service) *Catalog {
	return &Catalog{guides: guides, bySlug: map[string]*lead.GuideInfo{}, techs: map[string]string{}}
}

// Invalidate forgets everything cached; it implements guide.Invalidator.
func (c *Catalog) Invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.bySlug)
	clear(c.techs)
}

// maxEntries bounds each map; past it the cache starts over.
const maxEntries = 10_000

// GuideForLead implements lead.Catalog with the published guide only: a
// prospect can only have read what was public.
func (c *Catalog) GuideForLead(ctx context.Context, slug string) (*lead.GuideInfo, error) {
	c.mu.RLock()
	info, ok := c.bySlug[slug]
	gen := c.gen
	c.mu.RUnlock()
	if !ok {
		v, err := c.guides.PublishedGuide(ctx, slug)
		switch {
		case apperr.IsKind(err, apperr.NotFound):
			info = nil
		case err != nil:
			return nil, err
		default:
			info = toInfo(v)
		}
		c.store(gen, func() { c.bySlug[slug] = info })
	}
	if info == nil {
		return nil, apperr.New(apperr.NotFound, "no such guide")
	}
	return info, nil
}

func toInfo(v *guide.View) *lead.GuideInfo {
	info := &lead.GuideInfo{ID: v.GuideID, Slug: v.Slug, Title: v.Document.Title, CategoryID: v.Document.CategoryID,
		Questions: make(map[string]lead.QuestionInfo, len(v.Document.Checklist))}
	for _, o := range v.Document.Options {
		info.TechnologyIDs = append(info.TechnologyIDs, o.TechnologyID)
	}
	for _, q := range v.Document.Checklist {
		qi := lead.QuestionInfo{Text: q.Text, Open: q.Kind == guide.KindOpen, Multi: q.Kind == guide.KindMultiple,
			Choices: make(map[string]string, len(q.Choices))}
		for _, c := range q.Choices {
			qi.Choices[c.ID] = c.Label
		}
		info.Questions[q.ID] = qi
	}
	model := guide.Compile(v)
	info.Score = func(answers map[string][]string) (*lead.Recommendation, error) {
		r, err := model.Score(answers)
		if err != nil {
			return nil, err
		}
		rec := &lead.Recommendation{Leaning: r.Leaning(), Tie: r.Tie}
		for _, o := range r.Options {
			rec.Options = append(rec.Options, lead.RecommendedOption{Slug: o.Slug, Name: o.Name, Score: o.Score, Share: o.Share, Rank: o.Rank})
		}
		return rec, nil
	}
	return info
}

// store runs put unless the cache was invalidated since gen.
func (c *Catalog) store(gen uint64, put func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if len(c.bySlug) >= maxEntries || len(c.techs) >= maxEntries {
		clear(c.bySlug)
		clear(c.techs)
	}
	put()
}

// TechnologyIDs implements lead.Catalog.
func (c *Catalog) TechnologyIDs(ctx context.Context, slugs []string) (map[string]string, error) {
	out := make(map[string]string, len(slugs))
	var missing []string
	c.mu.RLock()
	gen := c.gen
	for _, s := range slugs {
		if id, ok := c.techs[s]; ok {
			if id != "" {
				out[s] = id
			}
		} else {
			missing = append(missing, s)
		}
	}
	c.mu.RUnlock()
	if len(missing) == 0 {
		return out, nil
	}
	found, err := c.guides.TechnologyIDs(ctx, missing)
	if err != nil {
		return nil, err
	}
	c.store(gen, func() {
		for _, s := range missing {
			c.techs[s] = found[s]
		}
	})
	for s, id := range found {
		out[s] = id
	}
	return out, nil
}

// CategoryIDs implements lead.Catalog (admin use only: not cached).
func (c *Catalog) CategoryIDs(ctx context.Context, slugs []string) (map[string]string, error) {
	cats, err := c.guides.Categories(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, cat := range cats {
		if slices.Contains(slugs, cat.Slug) {
			out[cat.Slug] = cat.ID
		}
	}
	return out, nil
}

// GuideID returns a published guide's ID, or NotFound; it is a
// funnel.Resolver, answered from the cache.
func (c *Catalog) GuideID(ctx context.Context, slug string) (string, error) {
	info, err := c.GuideForLead(ctx, slug)
	if err != nil {
		return "", err
	}
	return info.ID, nil
}
