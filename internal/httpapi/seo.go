package httpapi

import (
	"bytes"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/guide"
	"github.com/verdict-cms/verdict/internal/site"
)

var (
	mimeXML  = []byte("application/xml; charset=utf-8")
	mimeAtom = []byte("application/atom+xml; charset=utf-8")
)

// handleSitemap serves every published guide with its lastmod; past the
// page size it is a sitemap index of numbered files instead.
func (a *API) handleSitemap(c *fiber.Ctx) error {
	return a.serveCached(c, "sm", mimeXML, func() ([]byte, time.Time, error) {
		pages, modified, err := a.sitemapPages(c)
		if err != nil {
			return nil, time.Time{}, err
		}
		var out bytes.Buffer
		if len(pages) <= 1 {
			var entries []site.SitemapEntry
			if len(pages) == 1 {
				entries = pages[0]
			}
			err = a.site.WriteSitemap(&out, entries)
		} else {
			lastMods := make([]time.Time, len(pages))
			for i, p := range pages {
				for _, e := range p {
					lastMods[i] = later(lastMods[i], e.LastMod)
				}
			}
			err = a.site.WriteSitemapIndex(&out, lastMods)
		}
		return out.Bytes(), modified, err
	})
}

// handleSitemapPage serves one numbered file of the sitemap index.
func (a *API) handleSitemapPage(c *fiber.Ctx) error {
	n, err := strconv.Atoi(c.Params("page"))
	if err != nil || n < 1 {
		return apperr.New(apperr.NotFound, "no such sitemap")
	}
	return a.serveCached(c, "sm:"+strconv.Itoa(n), mimeXML, func() ([]byte, time.Time, error) {
		pages, _, err := a.sitemapPages(c)
		if err != nil {
			return nil, time.Time{}, err
		}
		if len(pages) <= 1 || n > len(pages) {
			return nil, time.Time{}, apperr.New(apperr.NotFound, "no such sitemap")
		}
		var modified time.Time
		for _, e := range pages[n-1] {
			modified = later(modified, e.LastMod)
		}
		var out bytes.Buffer
		err = a.site.WriteSitemap(&out, pages[n-1])
		return out.Bytes(), modified, err
	})
}

// sitemapPages splits every published guide into files of the page size.
func (a *API) sitemapPages(c *fiber.Ctx) ([][]site.SitemapEntry, time.Time, error) {
	size := a.opts.SitemapPageSize
	if size <= 0 || size > site.MaxSitemapURLs {
		size = site.MaxSitemapURLs
	}
	var (
		pages    [][]site.SitemapEntry
		modified time.Time
	)
	err := a.eachPublished(c, guide.SortPublishedDesc, func(s *guide.PublishedSummary) {
		if len(pages) == 0 || len(pages[len(pages)-1]) == size {
			pages = append(pages, make([]site.SitemapEntry, 0, min(size, 1024)))
		}
		pages[len(pages)-1] = append(pages[len(pages)-1], site.SitemapEntry{Path: "/g/" + s.Slug, LastMod: s.PublishedAt})
		modified = later(modified, s.PublishedAt)
	})
	return pages, modified, err
}

// handleFeed serves an Atom feed of the newest guides.
func (a *API) handleFeed(c *fiber.Ctx) error {
	return a.serveCached(c, "feed", mimeAtom, func() ([]byte, time.Time, error) {
		sums, err := a.guides.PublishedGuides(c.UserContext(), guide.PublicFilter{Sort: guide.SortPublishedDesc, Limit: site.FeedSize})
		if err != nil {
			return nil, time.Time{}, err
		}
		var (
			entries  []site.Summary
			modified time.Time
		)
		for _, s := range sums {
			entries = append(entries, toSiteSummary(s))
			modified = later(modified, s.PublishedAt)
		}
		var out bytes.Buffer
		err = a.site.WriteFeed(&out, or(strings.TrimSpace(a.opts.SiteName), "Verdict"), entries)
		return out.Bytes(), modified, err
	})
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
