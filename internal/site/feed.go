package site

import (
	"encoding/xml"
	"io"
	"time"
)

// FeedSize is how many of the newest guides the Atom feed lists.
const FeedSize = 20

type atomFeed struct {
	XMLName xml.Name    `xml:"feed"`
	NS      string      `xml:"xmlns,attr"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Author  atomPerson  `xml:"author"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomEntry struct {
	ID        string        `xml:"id"`
	Title     string        `xml:"title"`
	Updated   string        `xml:"updated"`
	Published string        `xml:"published"`
	Link      atomLink      `xml:"link"`
	Summary   atomText      `xml:"summary"`
	Category  *atomCategory `xml:"category,omitempty"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

type atomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

// WriteFeed writes an Atom feed (RFC 4287) of guides, newest first.
func (r *Renderer) WriteFeed(w io.Writer, siteName string, guides []Summary) error {
	f := atomFeed{NS: "http://www.w3.org/2005/Atom", ID: r.opts.SiteURL + "/g/", Title: siteName + " decision guides",
		Author: atomPerson{Name: siteName},
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: r.opts.SiteURL + "/feed.xml"},
			{Rel: "alternate", Type: "text/html", Href: r.opts.SiteURL + "/g/"}}}
	var updated time.Time
	for _, g := range guides {
		if g.PublishedAt.After(updated) {
			updated = g.PublishedAt
		}
		e := atomEntry{ID: r.GuideURL(g.Slug), Title: g.Title, Updated: w3c(g.PublishedAt), Published: w3c(g.PublishedAt),
			Link: atomLink{Rel: "alternate", Type: "text/html", Href: r.GuideURL(g.Slug)}, Summary: atomText{Type: "text", Text: plain(g.Summary)}}
		if g.Category.Slug != "" {
			e.Category = &atomCategory{Term: g.Category.Slug, Label: g.Category.Name}
		}
		f.Entries = append(f.Entries, e)
	}
	if updated.IsZero() {
		updated = time.Unix(0, 0) // an empty feed still needs <updated>
	}
	f.Updated = w3c(updated)
	return writeXML(w, f)
}
