// Package catalog lets the intake ask the content domain what it needs,
// without either domain importing the other. Answers come from published
// content and are cached until content changes, so a submission costs no
// reads beyond its own writes.
package catalog

import (
	"context"
	"slices"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/cache"
	"github.com/verdict-cms/verdict/internal/guide"
	"github.com/verdict-cms/verdict/internal/lead"
)

// Catalog implements lead.Catalog over the guide service.
type Catalog struct {
	guides *guide.Service
	// cache is the process's cache of published content, shared with the
	// HTTP layer and dropped whole on every content change. The catalog's
	// keys start with a NUL byte, which no other key does.
	cache *cache.Cache[cache.Sized]
}

var _ lead.Catalog = (*Catalog)(nil)

// New returns a catalog over guides that keeps its answers in c, which must
// be invalidated on content changes.
func New(guides *guide.Service, c *cache.Cache[cache.Sized]) *Catalog {
	return &Catalog{guides: guides, cache: c}
}

const (
	guidePrefix = "\x00g:" // + slug: a guideEntry
	techPrefix  = "\x00t:" // + technology slug: a techEntry
)

// guideEntry is a published guide as the intake sees it; info is nil for a
// slug known not to be published.
type guideEntry struct {
	info *lead.GuideInfo
	size int
}

// CacheSize implements cache.Sized.
func (e *guideEntry) CacheSize() int { return e.size }

// techEntry is a technology's ID; "" for a slug known not to exist.
type techEntry string

// CacheSize implements cache.Sized.
func (e techEntry) CacheSize() int { return 16 + len(e) }

// GuideForLead implements lead.Catalog with the published guide only: a
// prospect can only have read what was public.
func (c *Catalog) GuideForLead(ctx context.Context, slug string) (*lead.GuideInfo, error) {
	gen := c.cache.Gen()
	v, _ := c.cache.Get(guidePrefix + slug)
	e, ok := v.(*guideEntry)
	if !ok {
		pv, err := c.guides.PublishedGuide(ctx, slug)
		switch {
		case apperr.IsKind(err, apperr.NotFound):
			e = &guideEntry{size: 64 + len(slug)}
		case err != nil:
			return nil, err
		default:
			e = &guideEntry{info: toInfo(pv)}
			e.size = infoSize(e.info)
		}
		c.cache.Put(guidePrefix+slug, gen, e)
	}
	if e.info == nil {
		return nil, apperr.New(apperr.NotFound, "no such guide")
	}
	return e.info, nil
}

// infoSize estimates what a guide's info keeps alive; the compiled model
// behind Score holds the texts a second time.
func infoSize(info *lead.GuideInfo) int {
	n := 512 + len(info.ID) + len(info.Slug) + len(info.Title) + len(info.CategoryID) + 40*len(info.TechnologyIDs)
	for id, q := range info.Questions {
		n += 160 + len(id) + len(q.Text)
		for ch, label := range q.Choices {
			n += 64 + len(ch) + len(label)
		}
	}
	return 2 * n
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
		if len(r.Options) > 0 { // else nil, stored as null
			rec.Options = make([]lead.RecommendedOption, 0, len(r.Options))
		}
		for _, o := range r.Options {
			rec.Options = append(rec.Options, lead.RecommendedOption{Slug: o.Slug, Name: o.Name, Score: o.Score, Share: o.Share, Rank: o.Rank})
		}
		return rec, nil
	}
	return info
}

// TechnologyIDs implements lead.Catalog.
func (c *Catalog) TechnologyIDs(ctx context.Context, slugs []string) (map[string]string, error) {
	out := make(map[string]string, len(slugs))
	var missing []string
	gen := c.cache.Gen()
	for _, s := range slugs {
		if v, ok := c.cache.Get(techPrefix + s); ok {
			if id := v.(techEntry); id != "" {
				out[s] = string(id)
			}
		} else {
			missing = append(missing, s)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	found, err := c.guides.TechnologyIDs(ctx, missing)
	if err != nil {
		return nil, err
	}
	for _, s := range missing {
		c.cache.Put(techPrefix+s, gen, techEntry(found[s]))
	}
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
