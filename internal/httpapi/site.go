package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/embedjs"
	"github.com/verdict-cms/verdict/internal/guide"
	"github.com/verdict-cms/verdict/internal/site"
)

var (
	mimeHTML     = []byte(fiber.MIMETextHTMLCharsetUTF8)
	headerCSP    = []byte(fiber.HeaderContentSecurityPolicy)
	pageCSPBytes = []byte(pageCSP)
)

// pageCSP confines hosted pages: styles and scripts only from this origin
// (the JSON-LD block is data, not script), images from here or HTTPS, and
// calls back only to this API.
const pageCSP = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' https: data:; " +
	"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'self'"

// handleSiteGuide serves a published guide's hosted page from the public
// cache, with the JSON API's validators (and its invalidation on publish).
func (a *API) handleSiteGuide(c *fiber.Ctx) error {
	c.Response().Header.SetCanonical(headerCSP, pageCSPBytes)
	if loc := a.siteLocale(c); loc != "" {
		return a.handleSiteGuideLocalized(c, loc)
	}
	var buf [128]byte
	key := append(append(buf[:0], "h:"...), c.Params("slug")...)
	if r := a.cache.getBytes(key); r != nil {
		a.metrics.CacheHit()
		return a.writeCached(c, r)
	}
	slug := strings.Clone(c.Params("slug"))
	return a.serveHTML(c, "h:"+slug, func() ([]byte, time.Time, error) {
		v, err := a.guides.PublishedGuide(c.UserContext(), slug)
		return a.renderSitePage(v, err)
	})
}

// handleSiteGuideLocalized is handleSiteGuide for a reader asking for a
// translation (?locale= or Accept-Language): the page in the first locale
// of the fallback chain the guide is published in.
func (a *API) handleSiteGuideLocalized(c *fiber.Ctx, loc string) error {
	slug := strings.Clone(c.Params("slug"))
	c.Vary(fiber.HeaderAcceptLanguage) // only called with several locales configured
	return a.serveHTML(c, "h:"+loc+":"+slug, func() ([]byte, time.Time, error) {
		v, err := a.guides.LocalizedGuide(c.UserContext(), a.guides.Locales().Chain(loc), slug)
		return a.renderSitePage(v, err)
	})
}

func (a *API) renderSitePage(v *guide.View, err error) ([]byte, time.Time, error) {
	if err != nil {
		return nil, time.Time{}, err
	}
	pg := a.publicGuide(v)
	ld, err := json.Marshal(pg.StructuredData)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("httpapi: encode structured data: %w", err)
	}
	var out bytes.Buffer
	err = a.site.RenderGuide(&out, toSiteGuide(&pg), site.PageOptions{StructuredData: ld})
	return out.Bytes(), v.PublishedAt, err
}

// siteLocale is the translation a hosted page is asked in, or "": pages
// take ?locale= leniently (a bad tag gets the default), as browsers link.
func (a *API) siteLocale(c *fiber.Ctx) string {
	set := a.guides.Locales()
	loc := set.Default()
	if raw := c.Query("locale"); raw != "" {
		if l, ok := set.Resolve(raw); ok {
			loc = l
		}
	} else if h := c.Get(fiber.HeaderAcceptLanguage); h != "" {
		loc = set.Negotiate(h)
	}
	if !set.IsTranslation(loc) {
		return ""
	}
	return loc
}

// handleSiteIndex lists every published guide under its category.
func (a *API) handleSiteIndex(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentSecurityPolicy, pageCSP)
	return a.serveHTML(c, "h/", func() ([]byte, time.Time, error) {
		ctx := c.UserContext()
		cats, err := a.guides.Categories(ctx)
		if err != nil {
			return nil, time.Time{}, err
		}
		bySlug := map[string][]site.Summary{}
		var modified time.Time
		err = a.eachPublished(c, guide.SortTitleAsc, func(s *guide.PublishedSummary) {
			bySlug[s.Category.Slug] = append(bySlug[s.Category.Slug], toSiteSummary(s))
			if s.PublishedAt.After(modified) {
				modified = s.PublishedAt
			}
		})
		if err != nil {
			return nil, time.Time{}, err
		}
		var sections []site.Section
		for _, cat := range cats {
			if gs := bySlug[cat.Slug]; len(gs) > 0 {
				sections = append(sections, site.Section{Category: site.Category{Slug: cat.Slug, Name: cat.Name}, Guides: gs})
			}
		}
		var out bytes.Buffer
		err = a.site.RenderIndex(&out, sections)
		return out.Bytes(), modified, err
	})
}

// eachPublished walks every published guide in keyset pages, so a large
// catalogue never sits in one query.
func (a *API) eachPublished(c *fiber.Ctx, sort string, fn func(*guide.PublishedSummary)) error {
	f := guide.PublicFilter{Sort: sort, Limit: maxLimit}
	for {
		page, err := a.guides.PublishedGuides(c.UserContext(), f)
		if err != nil {
			return err
		}
		for _, s := range page {
			fn(s)
		}
		if len(page) < f.Limit {
			return nil
		}
		last := page[len(page)-1]
		key := last.PublishedAt.Format(time.RFC3339Nano)
		if sort == guide.SortTitleAsc || sort == guide.SortTitleDesc {
			key = last.Title
		}
		f.After = &guide.Cursor{Key: key, ID: last.GuideID}
	}
}

// serveHTML is servePublic for pages rendered to bytes.
func (a *API) serveHTML(c *fiber.Ctx, key string, build func() ([]byte, time.Time, error)) error {
	return a.serveCached(c, key, mimeHTML, build)
}

// serveCached answers from the public response cache, building and storing
// the body on a miss; contentType nil means JSON.
func (a *API) serveCached(c *fiber.Ctx, key string, contentType []byte, build func() ([]byte, time.Time, error)) error {
	r, gen := a.cache.get(key)
	if r != nil {
		a.metrics.CacheHit()
	} else {
		a.metrics.CacheMiss()
		body, modified, err := build()
		if err != nil {
			return err
		}
		r = newCachedResponse(body, modified)
		r.contentType = contentType
		a.cache.put(key, gen, r)
	}
	return a.writeCached(c, r)
}

// handleSiteStyle serves the pages' stylesheet under its content-hashed
// name, so browsers and CDNs keep it for a year.
func (a *API) handleSiteStyle(c *fiber.Ctx) error {
	if c.Path() != a.site.StylePath() {
		return apperr.New(apperr.NotFound, "no such stylesheet")
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	c.Set(fiber.HeaderContentType, "text/css; charset=utf-8")
	return c.Send(a.site.Stylesheet())
}

// handleGuideDraftPreview renders the hosted page of an unsaved guide
// document for the editor's preview pane. It is lenient: whatever the draft
// holds is shown, unknown references by their slug; only undecodable JSON
// is refused.
func (a *API) handleGuideDraftPreview(c *fiber.Ctx) error {
	if !isJSON(c.Get(fiber.HeaderContentType)) {
		return apperr.New(apperr.UnsupportedMediaType, "the request body must be JSON (Content-Type: application/json)")
	}
	var doc GuideDocument
	if err := json.Unmarshal(c.Body(), &doc); err != nil {
		return jsonError(err)
	}
	g, err := a.draftSiteGuide(c, &doc)
	if err != nil {
		return err
	}
	ld, err := json.Marshal(a.site.StructuredData(g))
	if err != nil {
		return fmt.Errorf("httpapi: encode structured data: %w", err)
	}
	var out bytes.Buffer
	if err := a.site.RenderGuide(&out, g, site.PageOptions{Preview: true, StructuredData: ld}); err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentSecurityPolicy, pageCSP)
	c.Response().Header.SetContentTypeBytes(mimeHTML)
	return c.Send(out.Bytes())
}

// draftSiteGuide resolves a document's slugs as far as they resolve.
func (a *API) draftSiteGuide(c *fiber.Ctx, d *GuideDocument) (*site.Guide, error) {
	ctx := c.UserContext()
	g := &site.Guide{Slug: d.Slug, Title: or(d.Title, "Untitled guide"), Category: site.Category{Slug: d.Category, Name: d.Category},
		Summary: d.Summary, SEOTitle: d.SEOTitle, SEODescription: d.SEODescription,
		ChecklistIntro: guide.IntroOr(d.ChecklistIntro), PublishedAt: time.Now().UTC()}
	if d.Category != "" {
		cat, err := a.guides.CategoryBySlug(ctx, d.Category)
		if err == nil {
			g.Category.Name = cat.Name
		} else if !apperr.IsKind(err, apperr.NotFound) {
			return nil, err
		}
	}
	names := map[string]string{}
	for _, o := range d.Options {
		opt := site.Option{Slug: o.Technology, Name: o.Technology, ChooseIf: o.ChooseIf}
		if o.Technology != "" {
			t, err := a.guides.TechnologyBySlug(ctx, o.Technology)
			if err == nil {
				opt.Name, opt.LogoURL, opt.WebsiteURL = t.Name, t.LogoURL, t.WebsiteURL
			} else if !apperr.IsKind(err, apperr.NotFound) {
				return nil, err
			}
		}
		names[o.Technology] = opt.Name
		g.Options = append(g.Options, opt)
		g.Comparison.Columns = append(g.Comparison.Columns, opt.Name)
	}
	for _, r := range d.Comparison {
		g.Comparison.Rows = append(g.Comparison.Rows, site.Row(r))
	}
	for _, q := range d.Checklist {
		sq := site.Question{ID: q.ID, Text: q.Text, Help: q.Help, Kind: string(q.Kind)}
		for _, ch := range q.Choices {
			sq.Choices = append(sq.Choices, ch.Label)
		}
		g.Questions = append(g.Questions, sq)
	}
	for _, t := range d.Tradeoffs {
		g.Tradeoffs = append(g.Tradeoffs, site.Tradeoff{Text: t.Text, Option: or(names[t.Technology], t.Technology)})
	}
	for _, r := range d.Recommendations {
		g.Recommendations = append(g.Recommendations, guide.RecommendationText(or(names[r.Technology], r.Technology), r.Scenario))
	}
	for _, f := range d.FAQ {
		g.FAQ = append(g.FAQ, site.FAQ(f))
	}
	for _, slug := range d.Related {
		v, err := a.guides.PublishedGuide(ctx, slug)
		if apperr.IsKind(err, apperr.NotFound) {
			continue // the public page would not show it either
		} else if err != nil {
			return nil, err
		}
		g.Related = append(g.Related, site.Summary{Slug: v.Slug, Title: v.Document.Title, Summary: v.Document.Summary,
			Category: site.Category{Slug: v.Category.Slug, Name: v.Category.Name}})
	}
	var own *guide.CTA
	if d.CTA != nil {
		c := guide.CTA(*d.CTA)
		own = &c
	}
	g.CTA = site.CTA(a.guides.CTAOr(own))
	return g, nil
}

// publicGuide is a guide's public JSON with its structured data.
func (a *API) publicGuide(v *guide.View) publicGuide {
	return renderPublicGuide(a.site, v)
}

func renderPublicGuide(s *site.Renderer, v *guide.View) publicGuide {
	pg := toPublicGuide(v)
	pg.StructuredData = s.StructuredData(toSiteGuide(&pg))
	return pg
}

func toSiteGuide(pg *publicGuide) *site.Guide {
	g := &site.Guide{Slug: pg.Slug, Title: pg.Title, Category: site.Category(pg.Category), Summary: pg.Summary,
		SEOTitle: pg.SEO.Title, SEODescription: pg.SEO.Description, Comparison: site.Comparison{Columns: pg.Comparison.Columns},
		ChecklistIntro: pg.Checklist.Intro, CTA: site.CTA(pg.CallToAction), PublishedAt: pg.PublishedAt}
	names := map[string]string{}
	for _, o := range pg.Options {
		names[o.Technology.Slug] = o.Technology.Name
		g.Options = append(g.Options, site.Option{Slug: o.Technology.Slug, Name: o.Technology.Name, LogoURL: o.Technology.LogoURL,
			WebsiteURL: o.Technology.WebsiteURL, ChooseIf: o.ChooseIf})
	}
	for _, r := range pg.Comparison.Rows {
		g.Comparison.Rows = append(g.Comparison.Rows, site.Row(r))
	}
	for _, q := range pg.Checklist.Questions {
		sq := site.Question{ID: q.ID, Text: q.Text, Help: q.Help, Kind: string(q.Kind)}
		for _, ch := range q.Choices {
			sq.Choices = append(sq.Choices, ch.Label)
		}
		g.Questions = append(g.Questions, sq)
	}
	for _, t := range pg.Tradeoffs {
		st := site.Tradeoff{Text: t.Text}
		if t.Technology != nil {
			st.Option = names[*t.Technology]
		}
		g.Tradeoffs = append(g.Tradeoffs, st)
	}
	for _, r := range pg.Recommendations {
		g.Recommendations = append(g.Recommendations, r.Text)
	}
	for _, f := range pg.FAQ {
		g.FAQ = append(g.FAQ, site.FAQ(f))
	}
	for _, r := range pg.Related {
		g.Related = append(g.Related, site.Summary{Slug: r.Slug, Title: r.Title, Summary: r.Summary, Category: site.Category(r.Category)})
	}
	return g
}

func toSiteSummary(s *guide.PublishedSummary) site.Summary {
	out := site.Summary{Slug: s.Slug, Title: s.Title, Summary: s.Summary, PublishedAt: s.PublishedAt}
	if s.Category != nil {
		out.Category = site.Category{Slug: s.Category.Slug, Name: s.Category.Name}
	}
	for _, t := range s.Technologies {
		out.Options = append(out.Options, t.Name)
	}
	return out
}

// handleEmbedScript serves the widget precompressed. It is public code, so
// any origin may load it (module scripts are fetched with CORS).
func (a *API) handleEmbedScript(c *fiber.Ctx) error {
	s, err := embedjs.Get()
	if err != nil {
		return err
	}
	h := &c.Response().Header
	h.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	h.Set(fiber.HeaderETag, s.ETag)
	h.Set(fiber.HeaderVary, fiber.HeaderAcceptEncoding)
	h.Set(fiber.HeaderAccessControlAllowOrigin, "*")
	h.Set("Cross-Origin-Resource-Policy", "cross-origin")
	if etagMatches(c.Get(fiber.HeaderIfNoneMatch), s.ETag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	body, enc := s.Encoded(c.Get(fiber.HeaderAcceptEncoding))
	if enc != "" {
		h.Set(fiber.HeaderContentEncoding, enc)
	}
	h.SetContentType("text/javascript; charset=utf-8")
	return c.Send(body)
}
