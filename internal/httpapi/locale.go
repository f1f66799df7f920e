package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/verdict-cms/verdict/internal/guide"
)

// alternateDoc is a locale a guide is published in, for hreflang.
type alternateDoc struct {
	Locale string `json:"locale"`
	Slug   string `json:"slug"`
}

func toAlternates(as []guide.Alternate) []alternateDoc {
	out := make([]alternateDoc, 0, len(as))
	for _, a := range as {
		out = append(out, alternateDoc(a))
	}
	return out
}

// requestLocale is the configured locale a public request asks for:
// ?locale= when given (resolved to the closest configured locale), else
// the Accept-Language header's best match, else the default.
func (a *API) requestLocale(c *fiber.Ctx, q *query) string {
	set := a.guides.Locales()
	if q != nil {
		if raw := q.str("locale"); raw != "" {
			loc, ok := set.Resolve(raw)
			if !ok {
				q.fields.Add("locale", "invalid", "must be a BCP 47 language tag such as de or pt-BR")
			}
			return loc
		}
	}
	return set.Negotiate(c.Get(fiber.HeaderAcceptLanguage))
}

// serveLocalizedGuide answers a guide asked for in a locale other than the
// default: the first locale of its fallback chain the guide is published
// in, cached under the asked locale.
func (a *API) serveLocalizedGuide(c *fiber.Ctx, loc string) error {
	// The hot path allocates nothing, like the default locale's.
	var buf [160]byte
	kb := append(append(append(append(buf[:0], "g:"...), loc...), ':'), c.Params("slug")...)
	if r := a.cache.getBytes(kb); r != nil {
		a.metrics.CacheHit()
		return a.writeCached(c, r)
	}
	slug := strings.Clone(c.Params("slug"))
	key := string(kb)
	r, gen := a.cache.get(key)
	a.metrics.CacheMiss()
	chain := a.guides.Locales().Chain(loc)
	var err error
	if a.renderer != nil {
		r, err = a.renderer.localized(c.UserContext(), chain, slug)
	} else {
		r, err = a.buildLocalized(c.UserContext(), chain, slug)
	}
	if err != nil {
		return err
	}
	a.cache.put(key, gen, r)
	return a.writeCached(c, r)
}

func (a *API) buildLocalized(ctx context.Context, chain []string, slug string) (*cachedResponse, error) {
	v, err := a.guides.LocalizedGuide(ctx, chain, slug)
	if err != nil {
		return nil, err
	}
	body, err := json.Marshal(a.publicGuide(v))
	if err != nil {
		return nil, fmt.Errorf("httpapi: encode guide %s: %w", slug, err)
	}
	r := newCachedResponse(body, v.PublishedAt)
	r.language = []byte(v.Locale)
	return r, nil
}

// localized is response for a locale's fallback chain: the default
// locale's stored rendering, or the translation's, rendered and stored
// when missing.
func (g *GuideRenderer) localized(ctx context.Context, chain []string, slug string) (*cachedResponse, error) {
	p, loc, err := g.guides.LocalizedPublished(ctx, chain, slug)
	if err != nil {
		return nil, err
	}
	if loc == g.guides.Locales().Default() {
		return g.response(ctx, p.Slug)
	}
	ts, ok := g.store.(guide.TranslationRenderedStore)
	if !ok {
		return nil, fmt.Errorf("httpapi: rendered store %T keeps no translations", g.store)
	}
	r, err := ts.FindRenderedTranslation(ctx, p.GuideID, loc)
	if err != nil {
		return nil, err
	}
	if r.Body == nil || r.Key != g.key {
		// Read the content after the generation, so that a change in
		// between makes the save a no-op rather than storing stale bytes.
		v, err := g.guides.LocalizedGuide(ctx, []string{loc}, r.Slug)
		if err != nil {
			return nil, err
		}
		if err := g.encode(r, v); err != nil {
			return nil, err
		}
		if err := ts.SaveRenderedTranslation(ctx, r); err != nil {
			return nil, err
		}
	}
	return &cachedResponse{body: r.Body, etag: []byte(r.ETag), lastModified: httpDate(r.PublishedAt), language: []byte(loc)}, nil
}

// setLanguage names the locale of a list response, which depends on
// Accept-Language.
func (a *API) setLanguage(c *fiber.Ctx, loc string) {
	c.Set(fiber.HeaderContentLanguage, loc)
	a.varyLanguage(c)
}

// varyLanguage adds Accept-Language to Vary when there are locales to
// negotiate: set at once when nothing else varies (the usual case, which
// spares Fiber's merging), merged after CORS's Vary: Origin.
func (a *API) varyLanguage(c *fiber.Ctx) {
	if !a.guides.Locales().Multiple() {
		return
	}
	if h := &c.Response().Header; len(h.Peek(fiber.HeaderVary)) == 0 {
		h.SetCanonical(headerVary, headerAcceptLanguage)
		return
	}
	c.Vary(fiber.HeaderAcceptLanguage)
}

// localizeNames puts the names in loc of a page's categories or
// technologies in place of the default locale's; field returns an item's
// ID and where its name and description are.
func localizeNames[T any](a *API, c *fiber.Ctx, kind guide.NameKind, loc string, items []T, field func(*T) (string, *string, *string)) error {
	if !a.guides.Locales().IsTranslation(loc) || len(items) == 0 {
		return nil
	}
	ids := make([]string, len(items))
	for i := range items {
		ids[i], _, _ = field(&items[i])
	}
	names, err := a.guides.NamesIn(c.UserContext(), kind, loc, ids)
	if err != nil {
		return err
	}
	for i := range items {
		id, name, desc := field(&items[i])
		if n, ok := names[id]; ok {
			*name = n.Name
			if n.Description != "" {
				*desc = n.Description
			}
		}
	}
	return nil
}
