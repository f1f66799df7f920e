package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/batch"
	"github.com/verdict-cms/verdict/internal/embedjs"
	"github.com/verdict-cms/verdict/internal/guide"
	"github.com/verdict-cms/verdict/internal/site"
)

// renderFormat changes whenever the public guide JSON or its list entry
// (guideSummary) changes shape, so that stored renderings made by an older
// binary are made again.
const renderFormat = "guide-json-3"

// GuideRenderer encodes published guides' public JSON and keeps the stored
// renderings current: a cache miss then reads bytes instead of building a
// guide from its document, category, technologies and related guides.
type GuideRenderer struct {
	guides *guide.Service
	store  guide.RenderedStore
	site   *site.Renderer
	key    string
	log    *slog.Logger
	wake   chan struct{}
	// loader reads misses' rows in batches: concurrent misses share one
	// query instead of queueing for connections one by one.
	loader *batch.Loader[*guide.Rendered]
	// defaultLanguage is the Content-Language of default-locale guides.
	defaultLanguage []byte
}

// NewGuideRenderer returns a renderer for guides published by guides, with
// hosted-page links under siteURL.
func NewGuideRenderer(guides *guide.Service, store guide.RenderedStore, siteURL string, log *slog.Logger) *GuideRenderer {
	siteURL = strings.TrimSuffix(siteURL, "/")
	// Stored renderings hold the presentation wording: when it changes, they go stale.
	wording, _ := json.Marshal(guides.Presentation())
	sum := sha256.Sum256([]byte(renderFormat + "\x00" + siteURL + "\x00" + string(wording)))
	return &GuideRenderer{guides: guides, store: store, log: log, wake: make(chan struct{}, 1),
		site:   site.Must(site.Options{SiteURL: siteURL, WidgetURL: embedjs.Path}),
		loader: batch.New(store.FindRenderedBySlugs, missSlots, missBatch, missTimeout),
		key:    base64.RawURLEncoding.EncodeToString(sum[:12]), defaultLanguage: []byte(guides.Locales().Default())}
}

// The miss path's batches: a few in flight (of the pool's connections),
// each of up to missBatch slugs, bounded like a request. Two slots of 64
// rather than four of 32: measured with 64 clients missing at random, the
// bigger batches cost PostgreSQL a fifth less CPU per miss (16 against
// 20 µs) for the same Go-side cost, and two queries still overlap.
const (
	missSlots   = 2
	missBatch   = 64
	missTimeout = 5 * time.Second
)

// Invalidate implements guide.Invalidator: content changed, so Run looks
// for guides to render again. It never blocks.
func (g *GuideRenderer) Invalidate() {
	select {
	case g.wake <- struct{}{}:
	default:
	}
}

// response is the miss path: the stored rendering when it is current, or a
// fresh one, stored for next time.
func (g *GuideRenderer) response(ctx context.Context, slug string) (*cachedResponse, error) {
	r, ok, err := g.loader.Load(ctx, slug)
	if err != nil {
		if e := apperr.Dependency(err); e != nil {
			return nil, e // the client left while queued
		}
		return nil, err
	}
	if !ok {
		return nil, apperr.New(apperr.NotFound, "no such guide")
	}
	if r.Body == nil || r.Key != g.key {
		rc := *r // a batch may hand one row to several requests
		r = &rc
		if err := g.render(ctx, r); err != nil {
			return nil, err
		}
	}
	return &cachedResponse{body: r.Body, etag: []byte(r.ETag), lastModified: httpDate(r.PublishedAt), language: g.defaultLanguage}, nil
}

// render fills r.Body and r.ETag from the guide's current content and
// stores them, unless the guide changed meanwhile. Storing is best effort:
// a database that refuses writes (disk full, read-only) must not stop reads.
func (g *GuideRenderer) render(ctx context.Context, r *guide.Rendered) error {
	v, err := g.guides.PublishedGuide(ctx, r.Slug)
	if err != nil {
		return err
	}
	if err := g.encode(r, v); err != nil {
		return err
	}
	if _, err := g.store.SaveRendered(ctx, r); err != nil {
		g.log.Warn("renderer: store rendering", "slug", r.Slug, "err", err)
	}
	return nil
}

func (g *GuideRenderer) encode(r *guide.Rendered, v *guide.View) error {
	body, err := json.Marshal(renderPublicGuide(g.site, v))
	if err != nil {
		return fmt.Errorf("httpapi: encode guide %s: %w", r.Slug, err)
	}
	r.Body, r.ETag, r.Key, r.PublishedAt = body, etagOf(body), g.key, v.PublishedAt
	if r.Locale == "" { // translated lists are built, not stored
		if r.ListItem, err = guideListEntry(viewSummary(v)); err != nil {
			return err
		}
	}
	return nil
}

// viewSummary is v as the public list shows it, technologies in the order
// of the document's options (their guide_technologies positions).
func viewSummary(v *guide.View) *guide.PublishedSummary {
	d := &v.Document
	s := &guide.PublishedSummary{GuideID: v.GuideID, Slug: v.Slug, Title: d.Title, Summary: d.Summary,
		Category: v.Category, PublishedAt: v.PublishedAt}
	for _, o := range d.Options {
		if t := v.Technologies[o.TechnologyID]; t != nil {
			s.Technologies = append(s.Technologies, t)
		}
	}
	return s
}

// Run renders every published guide whose rendering is missing or was made
// with other settings, then again after each content change, until ctx
// ends. Several instances may render the same guide: the last write wins
// and each wrote the same bytes.
func (g *GuideRenderer) Run(ctx context.Context) {
	if err := g.store.ClearRenderedExcept(ctx, g.key); err != nil && ctx.Err() == nil {
		g.log.Error("renderer: clear stale renderings", "err", err)
	}
	for {
		n, err := g.RenderPending(ctx)
		if err != nil && ctx.Err() == nil {
			g.log.Error("renderer: render guides", "err", err)
		} else if n > 0 {
			g.log.Info("renderer: rendered guides", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-g.wake:
		}
	}
}

// RenderPending renders the guides without a rendering, a batch at a time
// (one query per kind of reference, one commit), each once, and returns how
// many it stored.
func (g *GuideRenderer) RenderPending(ctx context.Context) (int, error) {
	n, after := 0, ""
	for {
		batch, err := g.store.Unrendered(ctx, after, 200)
		if err != nil || len(batch) == 0 {
			return n, err
		}
		ids := make([]string, len(batch))
		for i, r := range batch {
			ids[i] = r.GuideID
		}
		after = ids[len(ids)-1]
		views, err := g.guides.PublishedViews(ctx, ids)
		if err != nil {
			return n, err
		}
		byID := make(map[string]*guide.View, len(views))
		for _, v := range views {
			byID[v.GuideID] = v
		}
		done := batch[:0]
		for _, r := range batch {
			if v := byID[r.GuideID]; v != nil { // else unpublished meanwhile
				if err := g.encode(r, v); err != nil {
					return n, err
				}
				done = append(done, r)
			}
		}
		stored, err := g.store.SaveRendered(ctx, done...)
		n += stored
		if err != nil {
			return n, err
		}
	}
}

func etagOf(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`
}

func httpDate(t time.Time) []byte {
	if t.IsZero() {
		return nil
	}
	return []byte(t.UTC().Format(http.TimeFormat))
}
