package site

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"time"
)

// MaxSitemapURLs is the protocol's limit of URLs in one sitemap file; past
// it /sitemap.xml becomes a sitemap index of numbered files.
const MaxSitemapURLs = 50_000

const sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"

// SitemapEntry is one page with its last change.
type SitemapEntry struct {
	Path    string // "/g/node-vs-django"
	LastMod time.Time
}

type urlset struct {
	XMLName xml.Name     `xml:"urlset"`
	NS      string       `xml:"xmlns,attr"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type sitemapIndex struct {
	XMLName  xml.Name     `xml:"sitemapindex"`
	NS       string       `xml:"xmlns,attr"`
	Sitemaps []sitemapURL `xml:"sitemap"`
}

// WriteSitemap writes a urlset of entries.
func (r *Renderer) WriteSitemap(w io.Writer, entries []SitemapEntry) error {
	set := urlset{NS: sitemapNS, URLs: make([]sitemapURL, 0, len(entries))}
	for _, e := range entries {
		set.URLs = append(set.URLs, sitemapURL{Loc: r.opts.SiteURL + e.Path, LastMod: w3c(e.LastMod)})
	}
	return writeXML(w, set)
}

// WriteSitemapIndex writes an index of pages numbered sitemap files, each
// with the newest change among its entries.
func (r *Renderer) WriteSitemapIndex(w io.Writer, lastMods []time.Time) error {
	idx := sitemapIndex{NS: sitemapNS}
	for i, t := range lastMods {
		idx.Sitemaps = append(idx.Sitemaps, sitemapURL{Loc: r.opts.SiteURL + SitemapPath(i+1), LastMod: w3c(t)})
	}
	return writeXML(w, idx)
}

// SitemapPath is the path of the n-th sitemap file of an index.
func SitemapPath(n int) string { return "/sitemap-" + strconv.Itoa(n) + ".xml" }

func w3c(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func writeXML(w io.Writer, v any) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("site: write xml: %w", err)
	}
	if err := xml.NewEncoder(w).Encode(v); err != nil {
		return fmt.Errorf("site: encode xml: %w", err)
	}
	return nil
}
