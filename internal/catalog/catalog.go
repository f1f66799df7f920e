// Package catalog lets the intake ask the content domain what it needs,
// without either domain importing the other.
package catalog

import (
	"context"
	"slices"

	"github.com/verdict-cms/verdict/internal/guide"
	"github.com/verdict-cms/verdict/internal/lead"
)

// Catalog implements lead.Catalog over the guide service.
type Catalog struct{ Guides *guide.Service }

var _ lead.Catalog = Catalog{}

// GuideForLead implements lead.Catalog with the published guide only: a
// prospect can only have read what was public.
func (c Catalog) GuideForLead(ctx context.Context, slug string) (*lead.GuideInfo, error) {
	v, err := c.Guides.PublishedGuide(ctx, slug)
	if err != nil {
		return nil, err
	}
	info := &lead.GuideInfo{ID: v.GuideID, Slug: v.Slug, Title: v.Document.Title, CategoryID: v.Document.CategoryID,
		Questions: make(map[string]string, len(v.Document.Checklist))}
	for _, o := range v.Document.Options {
		info.TechnologyIDs = append(info.TechnologyIDs, o.TechnologyID)
	}
	for _, q := range v.Document.Checklist {
		info.Questions[q.ID] = q.Text
	}
	return info, nil
}

// TechnologyIDs implements lead.Catalog.
func (c Catalog) TechnologyIDs(ctx context.Context, slugs []string) (map[string]string, error) {
	return c.Guides.TechnologyIDs(ctx, slugs)
}

// CategoryIDs implements lead.Catalog.
func (c Catalog) CategoryIDs(ctx context.Context, slugs []string) (map[string]string, error) {
	cats, err := c.Guides.Categories(ctx)
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
