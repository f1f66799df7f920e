package httpapi

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/guide"
	"github.com/verdict-cms/verdict/internal/id"
	"github.com/verdict-cms/verdict/internal/site"
)

var (
	headerCacheControl    = []byte(fiber.HeaderCacheControl)
	headerETag            = []byte(fiber.HeaderETag)
	headerLastModified    = []byte(fiber.HeaderLastModified)
	headerContentLanguage = []byte(fiber.HeaderContentLanguage)
	headerVary            = []byte(fiber.HeaderVary)
	headerAcceptLanguage  = []byte(fiber.HeaderAcceptLanguage)
)

type publicGuide struct {
	Slug            string                 `json:"slug"`
	Title           string                 `json:"title"`
	Category        categoryRef            `json:"category"`
	Summary         string                 `json:"summary"`
	SEO             seoDoc                 `json:"seo"`
	Options         []publicOption         `json:"options"`
	Comparison      publicComparison       `json:"comparison"`
	Checklist       publicChecklist        `json:"checklist"`
	Tradeoffs       []publicTradeoff       `json:"tradeoffs"`
	Recommendations []publicRecommendation `json:"recommendations"`
	FAQ             []faqDoc               `json:"faq"`
	Related         []relatedGuide         `json:"related"`
	CallToAction    ctaDoc                 `json:"call_to_action"`
	PublishedAt     time.Time              `json:"published_at"`
	// Locale is the locale served (after fallback); Alternates every
	// locale the guide is published in, for hreflang links.
	Locale     string         `json:"locale"`
	Alternates []alternateDoc `json:"alternates"`
	// StructuredData is schema.org JSON-LD for the frontend's <head>.
	StructuredData site.StructuredData `json:"structured_data"`
}

type categoryRef struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

type seoDoc struct {
	Title       string `json:"title"`
	Description string `json:"description"`
}

type technologyRef struct {
	Slug        string `json:"slug"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Language    string `json:"language"`
	WebsiteURL  string `json:"website_url"`
	LogoURL     string `json:"logo_url"`
}

type publicOption struct {
	Technology technologyRef `json:"technology"`
	ChooseIf   []string      `json:"choose_if"`
}

type publicComparison struct {
	Columns []string `json:"columns"`
	Rows    []rowDoc `json:"rows"`
}

type publicChecklist struct {
	Intro     string        `json:"intro"`
	Questions []questionDoc `json:"questions"`
}

type publicTradeoff struct {
	Text       string  `json:"text"`
	Technology *string `json:"technology"`
}

type publicRecommendation struct {
	Technology string `json:"technology"`
	Scenario   string `json:"scenario"`
	Text       string `json:"text"`
}

type relatedGuide struct {
	Slug     string      `json:"slug"`
	Title    string      `json:"title"`
	Summary  string      `json:"summary"`
	Category categoryRef `json:"category"`
}

func toPublicGuide(v *guide.View) publicGuide {
	d := v.Document
	g := publicGuide{
		Slug: v.Slug, Title: d.Title, Category: categoryRef{Slug: v.Category.Slug, Name: v.Category.Name},
		Summary: d.Summary, SEO: seoDoc{Title: or(d.SEOTitle, d.Title), Description: or(d.SEODescription, d.Summary)},
		Options: []publicOption{}, Comparison: publicComparison{Columns: []string{}, Rows: []rowDoc{}},
		Checklist: publicChecklist{Intro: guide.IntroOr(d.ChecklistIntro), Questions: []questionDoc{}},
		Tradeoffs: []publicTradeoff{}, Recommendations: []publicRecommendation{}, FAQ: []faqDoc{},
		Related: []relatedGuide{}, CallToAction: ctaDoc(v.CTA), PublishedAt: v.PublishedAt,
		Locale: v.Locale, Alternates: toAlternates(v.Alternates),
	}
	tech := func(id string) *guide.Technology {
		if t := v.Technologies[id]; t != nil {
			return t
		}
		return &guide.Technology{}
	}
	for _, o := range d.Options {
		t := tech(o.TechnologyID)
		g.Options = append(g.Options, publicOption{Technology: technologyRef{Slug: t.Slug, Name: t.Name, Description: t.Description,
			Language: t.Language, WebsiteURL: t.WebsiteURL, LogoURL: t.LogoURL}, ChooseIf: nonNil(o.ChooseIf)})
		g.Comparison.Columns = append(g.Comparison.Columns, t.Name)
	}
	for _, r := range d.Comparison {
		g.Comparison.Rows = append(g.Comparison.Rows, rowDoc(r))
	}
	for _, q := range d.Checklist {
		// Choices go out without their weights: those are the editors'.
		qd := questionDoc{ID: q.ID, Text: q.Text, Help: q.Help, Kind: q.Kind}
		for _, ch := range q.Choices {
			qd.Choices = append(qd.Choices, choiceDoc{ID: ch.ID, Label: ch.Label})
		}
		g.Checklist.Questions = append(g.Checklist.Questions, qd)
	}
	for _, t := range d.Tradeoffs {
		pt := publicTradeoff{Text: t.Text}
		if t.TechnologyID != "" {
			slug := tech(t.TechnologyID).Slug
			pt.Technology = &slug
		}
		g.Tradeoffs = append(g.Tradeoffs, pt)
	}
	for _, r := range d.Recommendations {
		t := tech(r.TechnologyID)
		g.Recommendations = append(g.Recommendations, publicRecommendation{Technology: t.Slug, Scenario: r.Scenario,
			Text: guide.RecommendationText(t.Name, r.Scenario)})
	}
	for _, f := range d.FAQ {
		g.FAQ = append(g.FAQ, faqDoc(f))
	}
	for _, r := range v.Related {
		g.Related = append(g.Related, relatedGuide{Slug: r.Slug, Title: r.Title, Summary: r.Summary,
			Category: categoryRef{Slug: r.Category.Slug, Name: r.Category.Name}})
	}
	return g
}

func or(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

// servePublic answers a public GET from the response cache, building and
// storing the response on a miss, with validators for CDNs and browsers.
func (a *API) servePublic(c *fiber.Ctx, key string, build func() (any, time.Time, error)) error {
	return a.serveCached(c, key, nil, func() ([]byte, time.Time, error) {
		v, modified, err := build()
		if err != nil {
			return nil, time.Time{}, err
		}
		body, err := json.Marshal(v)
		if err != nil {
			return nil, time.Time{}, fmt.Errorf("httpapi: encode %s: %w", key, err)
		}
		return body, modified, nil
	})
}

// writeCached sends a cached response, or 304 when the client has it.
func (a *API) writeCached(c *fiber.Ctx, r *cachedResponse) error {
	h := &c.Response().Header
	h.SetCanonical(headerCacheControl, a.public)
	h.SetCanonical(headerETag, r.etag)
	if r.lastModified != nil {
		h.SetCanonical(headerLastModified, r.lastModified)
	}
	if r.language != nil {
		h.SetCanonical(headerContentLanguage, r.language)
		a.varyLanguage(c)
	}
	if etagMatches(c.Get(fiber.HeaderIfNoneMatch), string(r.etag)) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	if r.contentType != nil {
		h.SetContentTypeBytes(r.contentType)
	} else {
		h.SetContentType(fiber.MIMEApplicationJSONCharsetUTF8)
	}
	return c.Send(r.body)
}

// etagMatches implements If-None-Match: a list of tags, or *.
func etagMatches(header, etag string) bool {
	if header == "" {
		return false
	}
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}

func (a *API) handlePublicGuideGet(c *fiber.Ctx) error {
	var loc string
	if len(c.Request().URI().QueryString()) > 0 {
		q := newQuery(c)
		preview := q.boolean("preview")
		loc = a.requestLocale(c, q)
		if err := q.err(); err != nil {
			return err
		}
		if preview != nil && *preview {
			return a.servePreview(c, strings.Clone(c.Params("slug")))
		}
	} else {
		loc = a.requestLocale(c, nil)
	}
	if a.guides.Locales().IsTranslation(loc) {
		return a.serveLocalizedGuide(c, loc)
	}
	// The hot path: look the key up without allocating; copy the slug
	// (Fiber reuses its buffer) only when building a response.
	var buf [128]byte
	key := append(append(buf[:0], "g:"...), c.Params("slug")...)
	if r := a.cache.getBytes(key); r != nil {
		a.metrics.CacheHit()
		return a.writeCached(c, r)
	}
	slug := strings.Clone(c.Params("slug"))
	if a.renderer != nil {
		return a.serveRendered(c, slug)
	}
	r, gen := a.cache.get("g:" + slug)
	if r == nil {
		a.metrics.CacheMiss()
		var err error
		if r, err = a.buildLocalized(c.UserContext(), []string{loc}, slug); err != nil {
			return err
		}
		a.cache.put("g:"+slug, gen, r)
	} else {
		a.metrics.CacheHit()
	}
	return a.writeCached(c, r)
}

// serveRendered answers a cache miss with the guide's stored rendering.
func (a *API) serveRendered(c *fiber.Ctx, slug string) error {
	key := "g:" + slug
	gen := a.cache.gen() // before the read: an invalidation meanwhile voids the fill
	a.metrics.CacheMiss()
	r, err := a.renderer.response(c.UserContext(), slug)
	if apperr.IsKind(err, apperr.NotFound) {
		// Perhaps the guide's slug in another locale: a shared link.
		r, err = a.renderer.localized(c.UserContext(), []string{a.guides.Locales().Default()}, slug)
	}
	if err != nil {
		return err
	}
	a.cache.put(key, gen, r)
	return a.writeCached(c, r)
}

// servePreview shows a draft to editors and preview tokens, never cached.
func (a *API) servePreview(c *fiber.Ctx, slug string) error {
	p, ok := principal(c)
	if !ok {
		return apperr.New(apperr.Unauthenticated, "previews need an editor or a content:preview token")
	}
	if !p.CanPreview() {
		return apperr.New(apperr.Forbidden, "this token may not preview drafts")
	}
	v, err := a.guides.PreviewGuide(c.UserContext(), slug)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.JSON(a.publicGuide(v))
}

type guideSummary struct {
	Slug         string          `json:"slug"`
	Title        string          `json:"title"`
	Summary      string          `json:"summary"`
	Category     categoryRef     `json:"category"`
	Technologies []technologyRef `json:"technologies"`
	PublishedAt  time.Time       `json:"published_at"`
}

func toGuideSummary(s *guide.PublishedSummary) guideSummary {
	out := guideSummary{Slug: s.Slug, Title: s.Title, Summary: s.Summary, PublishedAt: s.PublishedAt,
		Category: categoryRef{Slug: s.Category.Slug, Name: s.Category.Name}, Technologies: []technologyRef{}}
	for _, t := range s.Technologies {
		out.Technologies = append(out.Technologies, technologyRef{Slug: t.Slug, Name: t.Name, Description: t.Description,
			Language: t.Language, WebsiteURL: t.WebsiteURL, LogoURL: t.LogoURL})
	}
	return out
}

var publicSorts = map[string]bool{guide.SortPublishedDesc: true, guide.SortPublishedAsc: true, guide.SortTitleAsc: true, guide.SortTitleDesc: true}

func (a *API) handlePublicGuideList(c *fiber.Ctx) error {
	if r := a.cachedList(c); r != nil {
		return a.writeCached(c, r)
	}
	q := newQuery(c)
	f := guide.PublicFilter{CategorySlug: q.str("category"), TechnologySlug: q.str("technology"),
		Query: q.str("q"), Sort: q.str("sort"), Limit: q.limit()}
	withTotal := q.boolean("include_total")
	loc := a.requestLocale(c, q)
	// Translations are searched by substring, without a rank to sort by.
	if f.Sort == "" && f.Query != "" && !a.guides.Locales().IsTranslation(loc) {
		f.Sort = guide.SortRelevance
	} else if f.Sort == "" {
		f.Sort = guide.SortPublishedDesc
	} else if !publicSorts[f.Sort] {
		q.fields.Add("sort", "invalid", "must be -published_at, published_at, title or -title")
	}
	if len(f.Query) > 200 {
		q.fields.Add("q", "too_long", "must be at most 200 characters")
	}
	if raw := q.rawCursor(); raw != "" {
		key, gid, ok := strings.Cut(raw, "\x00")
		if !ok || !validCursor(f.Sort, key, gid) {
			q.fields.Add("cursor", "invalid", "is not a cursor this API returned")
		}
		f.After = &guide.Cursor{Key: key, ID: gid}
	}
	if err := q.err(); err != nil {
		return err
	}
	a.setLanguage(c, loc)
	key := string(listKey(nil, loc, c.Request().URI().QueryString()))
	if f.Query != "" {
		key = loc + ":" + searchKey(f, withTotal != nil && *withTotal)
	}
	return a.serveCached(c, key, nil, func() ([]byte, time.Time, error) {
		if f.Query != "" && !a.searches.allow(a.clientAddr(c)) {
			e := apperr.New(apperr.RateLimited, "too many new searches from your address; try again in a second")
			e.RetryAfter = time.Second
			return nil, time.Time{}, e
		}
		limit := f.Limit
		f.Limit++
		f.Entries = true
		sums, err := a.guides.LocalizedGuides(c.UserContext(), loc, f)
		if err != nil {
			return nil, time.Time{}, err
		}
		var resp guideList
		if len(sums) > limit {
			sums = sums[:limit]
			last := sums[limit-1]
			k := last.PublishedAt.Format(time.RFC3339Nano)
			if f.Sort == guide.SortTitleAsc || f.Sort == guide.SortTitleDesc {
				k = last.Title
			} else if f.Sort == guide.SortRelevance {
				k = last.RankKey
			}
			resp.NextCursor = encodeCursor(k + "\x00" + last.GuideID)
		}
		var modified time.Time
		for _, s := range sums {
			if s.PublishedAt.After(modified) {
				modified = s.PublishedAt
			}
		}
		resp.Data = sums
		if withTotal != nil && *withTotal {
			f.Limit, f.After = 0, nil
			n, err := a.guides.CountLocalized(c.UserContext(), loc, f)
			if err != nil {
				return nil, time.Time{}, err
			}
			resp.Total = &n
		}
		body, err := resp.encode()
		return body, modified, err
	})
}

// guideList is a page of the public guide list: listResponse[guideSummary]
// whose entries may be stored already (guide.PublishedSummary.Entry).
type guideList struct {
	Data       []*guide.PublishedSummary
	NextCursor *string
	Total      *int
}

// encode writes the page as json.Marshal writes its listResponse, taking
// stored entries as they are: a page of them is copied, not built.
func (l guideList) encode() ([]byte, error) {
	b := make([]byte, 0, 64+768*len(l.Data))
	b = append(b, `{"data":[`...)
	for i, s := range l.Data {
		if i > 0 {
			b = append(b, ',')
		}
		entry, err := guideListEntry(s)
		if err != nil {
			return nil, err
		}
		b = append(b, entry...)
	}
	b = append(b, `],"next_cursor":`...)
	cursor, err := json.Marshal(l.NextCursor)
	if err != nil {
		return nil, fmt.Errorf("httpapi: encode cursor: %w", err)
	}
	b = append(b, cursor...)
	if l.Total != nil {
		b = append(b, `,"total":`...)
		b = strconv.AppendInt(b, int64(*l.Total), 10)
	}
	return append(b, '}'), nil
}

// guideListEntry is s's entry of the public list: the stored one, or one
// encoded now the way the renderer stores it.
func guideListEntry(s *guide.PublishedSummary) ([]byte, error) {
	if s.Entry != nil {
		return s.Entry, nil
	}
	b, err := json.Marshal(toGuideSummary(s))
	if err != nil {
		return nil, fmt.Errorf("httpapi: encode list entry %s: %w", s.Slug, err)
	}
	return b, nil
}

// cachedList is the cached answer to a list that is not a search and
// names no locale, found before its query is parsed, as a guide read's
// is; nil when there is none. Only a query that passed validation has a
// response cached, under its query string byte for byte, so the answer is
// the one parsing would lead to.
func (a *API) cachedList(c *fiber.Ctx) *cachedResponse {
	args := c.Context().QueryArgs()
	if args.Has("q") || args.Has("locale") { // searches are keyed by the normalised query
		return nil
	}
	loc := a.requestLocale(c, nil)
	var buf [256]byte
	r := a.cache.getBytes(listKey(buf[:0], loc, c.Request().URI().QueryString()))
	if r != nil {
		a.metrics.CacheHit()
		a.setLanguage(c, loc)
	}
	return r
}

// listKey appends to dst the cache key of a list that is not a search:
// its locale and its query string as sent.
func listKey(dst []byte, loc string, query []byte) []byte {
	return append(append(append(append(dst, "l:"...), loc...), ':'), query...)
}

// searchKey names a search's cached response by what it asks for, so that
// "Django", " django " and q=django&limit=20 share one entry.
func searchKey(f guide.PublicFilter, withTotal bool) string {
	after := ""
	if f.After != nil {
		after = f.After.Key + "\x00" + f.After.ID
	}
	return fmt.Sprintf("s:%q|%q|%q|%s|%d|%q|%t", strings.Join(strings.Fields(strings.ToLower(f.Query)), " "),
		f.CategorySlug, f.TechnologySlug, f.Sort, f.Limit, after, withTotal)
}

func (a *API) handlePublicCategoryList(c *fiber.Ctx) error {
	q := newQuery(c)
	limit, after := q.limit(), q.cursor()
	loc := a.requestLocale(c, q)
	if err := q.err(); err != nil {
		return err
	}
	a.setLanguage(c, loc)
	return a.servePublic(c, "c:"+loc+":"+string(c.Request().URI().QueryString()), func() (any, time.Time, error) {
		resp, modified, err := a.categoryPage(c, limit, after)
		if err == nil {
			err = localizeNames(a, c, guide.NameCategory, loc, resp.Data, func(r *categoryResponse) (string, *string, *string) {
				return r.ID, &r.Name, &r.Description
			})
		}
		return resp, modified, err
	})
}

func (a *API) handlePublicTechnologyList(c *fiber.Ctx) error {
	q := newQuery(c)
	limit, after := q.limit(), q.cursor()
	loc := a.requestLocale(c, q)
	if err := q.err(); err != nil {
		return err
	}
	a.setLanguage(c, loc)
	key := "t:" + loc + ":" + strconv.Itoa(limit) + ":" + base64.RawURLEncoding.EncodeToString([]byte(after))
	return a.servePublic(c, key, func() (any, time.Time, error) {
		resp, modified, err := a.technologyPage(c, limit, after)
		if err == nil {
			err = localizeNames(a, c, guide.NameTechnology, loc, resp.Data, func(r *technologyResponse) (string, *string, *string) {
				return r.ID, &r.Name, &r.Description
			})
		}
		return resp, modified, err
	})
}

type technologyWithGuides struct {
	technologyResponse
	Guides []guideSummary `json:"guides"`
}

func (a *API) handlePublicTechnologyGet(c *fiber.Ctx) error {
	q := newQuery(c)
	loc := a.requestLocale(c, q)
	if err := q.err(); err != nil {
		return err
	}
	a.setLanguage(c, loc)
	slug := strings.Clone(c.Params("slug"))
	return a.servePublic(c, "ts:"+loc+":"+slug, func() (any, time.Time, error) {
		t, err := a.guides.TechnologyBySlug(c.UserContext(), slug)
		if err != nil {
			return nil, time.Time{}, err
		}
		var sums []*guide.PublishedSummary
		if a.guides.Locales().IsTranslation(loc) {
			// The guides published in loc, under their names there.
			sums, err = a.guides.LocalizedGuides(c.UserContext(), loc, guide.PublicFilter{TechnologySlug: slug, Sort: guide.SortTitleAsc, Limit: 200})
		} else {
			sums, err = a.guides.GuidesFeaturing(c.UserContext(), t.ID)
		}
		if err != nil {
			return nil, time.Time{}, err
		}
		tr := []technologyResponse{toTechnologyResponse(t)}
		if err := localizeNames(a, c, guide.NameTechnology, loc, tr, func(r *technologyResponse) (string, *string, *string) {
			return r.ID, &r.Name, &r.Description
		}); err != nil {
			return nil, time.Time{}, err
		}
		resp := technologyWithGuides{technologyResponse: tr[0], Guides: make([]guideSummary, 0, len(sums))}
		modified := t.UpdatedAt
		for _, s := range sums {
			resp.Guides = append(resp.Guides, toGuideSummary(s))
			if s.PublishedAt.After(modified) {
				modified = s.PublishedAt
			}
		}
		return resp, modified, nil
	})
}

// validCursor checks a decoded list cursor before it reaches the database:
// a forged one must be a 400, not a driver error.
func validCursor(sort, key, guideID string) bool {
	if !id.Valid(guideID) || !utf8.ValidString(key) || strings.IndexByte(key, 0) >= 0 {
		return false
	}
	if sort == guide.SortPublishedAsc || sort == guide.SortPublishedDesc {
		_, err := time.Parse(time.RFC3339Nano, key)
		return err == nil
	}
	return true
}
