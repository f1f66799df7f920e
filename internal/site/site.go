// Package site renders Verdict's hosted pages: a published guide as a
// complete HTML page (/g/{slug}), the guide index (/g/), and the outputs
// search engines read (structured data, sitemap, feed). It knows nothing of
// HTTP or storage: callers hand it plain values and it writes bytes.
package site

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"
)

// Guide is a guide as the hosted page shows it. Text fields marked
// Markdown are rendered safely; the rest are plain text.
type Guide struct {
	Slug            string
	Title           string
	Category        Category
	Summary         string // Markdown
	SEOTitle        string
	SEODescription  string
	Options         []Option
	Comparison      Comparison
	ChecklistIntro  string
	Questions       []Question
	Tradeoffs       []Tradeoff
	Recommendations []string
	FAQ             []FAQ
	Related         []Summary
	CTA             CTA
	PublishedAt     time.Time
}

// Category is a guide's category.
type Category struct {
	Slug, Name string
}

// Option is one technology compared.
type Option struct {
	Slug, Name, LogoURL, WebsiteURL string
	ChooseIf                        []string
}

// Comparison is the side-by-side table: one column per option.
type Comparison struct {
	Columns []string
	Rows    []Row
}

// Row is one line of the comparison.
type Row struct {
	Feature string
	Values  []string
}

// Question is one checklist question; Help is Markdown.
type Question struct {
	ID, Text, Help, Kind string
	Choices              []string
}

// Tradeoff is a statement, optionally about one option (its name).
type Tradeoff struct {
	Text, Option string // Text is Markdown
}

// FAQ is a question and its Markdown answer.
type FAQ struct {
	Question, Answer string
}

// Summary is a guide as lists and related links show it.
type Summary struct {
	Slug, Title, Summary string
	Category             Category
	Options              []string // names
	PublishedAt          time.Time
}

// CTA is the call to action; Text is Markdown.
type CTA struct {
	Heading, Title, Text string
}

// Section is a category's guides on the index page.
type Section struct {
	Category Category
	Guides   []Summary
}

// Options configures a Renderer.
type Options struct {
	// SiteURL is the absolute base of public links (canonical, og:, sitemap),
	// without a trailing slash; empty leaves absolute links out.
	SiteURL string
	// WidgetURL is the widget script the checklist upgrades with; empty
	// renders the checklist as a plain list.
	WidgetURL string
}

// Renderer renders hosted pages. It is immutable and safe to share.
type Renderer struct {
	opts    Options
	tmpl    *template.Template
	css     []byte
	cssPath string
}

//go:embed templates/*.html style.css
var files embed.FS

// StylePrefix is where stylesheets are served; the file name carries a hash
// of the content so it can be cached for ever.
const StylePrefix = "/g/assets/"

// New parses the templates.
func New(opts Options) (*Renderer, error) {
	css, err := files.ReadFile("style.css")
	if err != nil {
		return nil, fmt.Errorf("site: read stylesheet: %w", err)
	}
	sum := sha256.Sum256(css)
	r := &Renderer{opts: opts, css: css, cssPath: StylePrefix + "site." + hex.EncodeToString(sum[:6]) + ".css"}
	r.tmpl, err = template.New("").Funcs(template.FuncMap{
		"md":   Markdown,
		"safe": safeHref,
		"date": func(t time.Time) string { return t.UTC().Format("2 January 2006") },
		"iso":  func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"inc":  func(i int) int { return i + 1 },
		"kind": kindLabel,
	}).ParseFS(files, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("site: parse templates: %w", err)
	}
	return r, nil
}

// Must is New for the composition root, where templates are known good.
func Must(opts Options) *Renderer {
	r, err := New(opts)
	if err != nil {
		panic(err)
	}
	return r
}

// StylePath is the stylesheet's URL path.
func (r *Renderer) StylePath() string { return r.cssPath }

// Stylesheet is the stylesheet's content.
func (r *Renderer) Stylesheet() []byte { return r.css }

// SiteURL is the configured absolute base, possibly empty.
func (r *Renderer) SiteURL() string { return r.opts.SiteURL }

// PageOptions vary one rendering of a guide page.
type PageOptions struct {
	// Preview marks an unsaved or unpublished draft: not indexed, no widget.
	Preview bool
	// StructuredData is the page's JSON-LD, already encoded; may be nil.
	StructuredData []byte
}

type guidePage struct {
	G       *Guide
	Preview bool
	LD      template.JS
	Head    head
}

type head struct {
	Title, Description, Canonical, Image, CSS, Widget, Type string
	NoIndex                                                 bool
}

// RenderGuide writes g's hosted page.
func (r *Renderer) RenderGuide(w io.Writer, g *Guide, po PageOptions) error {
	p := guidePage{G: g, Preview: po.Preview, LD: template.JS(po.StructuredData), Head: head{
		Title: or(g.SEOTitle, g.Title), Description: or(g.SEODescription, plain(g.Summary)),
		CSS: r.cssPath, Type: "article", NoIndex: po.Preview,
	}}
	if !po.Preview {
		p.Head.Widget = r.opts.WidgetURL
		if r.opts.SiteURL != "" {
			p.Head.Canonical = r.GuideURL(g.Slug)
			p.Head.Image = r.opts.SiteURL + "/og/" + g.Slug + ".png"
		}
	}
	return r.exec(w, "guide.html", p)
}

type indexPage struct {
	Sections []Section
	Head     head
}

// RenderIndex writes the guide index: every category with its guides.
func (r *Renderer) RenderIndex(w io.Writer, sections []Section) error {
	p := indexPage{Sections: sections, Head: head{Title: "Technology decision guides",
		Description: "Side-by-side comparisons, checklists and recommendations to pick the right technology.",
		CSS:         r.cssPath, Type: "website"}}
	if r.opts.SiteURL != "" {
		p.Head.Canonical = r.opts.SiteURL + "/g/"
	}
	return r.exec(w, "index.html", p)
}

func (r *Renderer) exec(w io.Writer, name string, data any) error {
	if err := r.tmpl.ExecuteTemplate(w, name, data); err != nil {
		return fmt.Errorf("site: render %s: %w", name, err)
	}
	return nil
}

// GuideURL is a guide page's absolute URL (relative without SiteURL).
func (r *Renderer) GuideURL(slug string) string {
	return r.opts.SiteURL + "/g/" + slug
}

func or(s, fallback string) string {
	if strings.TrimSpace(s) == "" {
		return fallback
	}
	return s
}

// plain strips Markdown to one line of text for meta descriptions.
func plain(md string) string {
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(md), &buf); err != nil {
		return md
	}
	s := stripTags(buf.String())
	return strings.Join(strings.Fields(s), " ")
}

func stripTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return unescape(b.String())
}

var unescaper = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&#39;", "'")

func unescape(s string) string { return unescaper.Replace(s) }

// safeHref passes a URL to a template only when SafeURL allows it.
func safeHref(u string) string {
	if SafeURL(u) {
		return u
	}
	return ""
}

func kindLabel(k string) string {
	switch k {
	case "single":
		return "Pick one"
	case "multiple":
		return "Pick any"
	case "yes_no":
		return "Yes or no"
	case "scale":
		return "On a scale"
	}
	return ""
}
