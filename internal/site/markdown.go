package site

import (
	"bytes"
	"html/template"
	"net/url"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// markdown renders editors' text. Raw HTML is never passed through (goldmark
// omits it without html.WithUnsafe), and a transformer rewrites every link
// and image destination that is not http, https, mailto, relative or under
// /media/ to nothing, so a guide cannot carry javascript: or data: URLs.
var markdown = goldmark.New(goldmark.WithParserOptions(
	parser.WithASTTransformers(util.Prioritized(urlFilter{}, 100)),
))

// Markdown renders s as safe HTML.
func Markdown(s string) template.HTML {
	if s == "" {
		return ""
	}
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(s), &buf); err != nil {
		// Converting into a bytes.Buffer cannot fail on I/O; show the text
		// escaped rather than nothing.
		return template.HTML(template.HTMLEscapeString(s))
	}
	return template.HTML(buf.String())
}

// SafeURL reports whether a link or image destination may appear on a page.
func SafeURL(raw string) bool {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return false
	}
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return u.Host != ""
	case "mailto":
		return u.Opaque != ""
	case "":
		// Relative (including /media/…); a backslash or control character
		// could be read by a browser as another scheme or host.
		return !strings.ContainsAny(raw, "\\\x00\t\r\n") && !strings.HasPrefix(raw, "//")
	}
	return false
}

type urlFilter struct{}

// Transform unwraps unsafe links into their text and replaces unsafe images
// with their alt text. Nodes are changed after the walk, which must not see
// its tree change under it.
func (urlFilter) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	var unsafe []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			if !SafeURL(string(n.Destination)) {
				unsafe = append(unsafe, n)
			}
		case *ast.Image:
			if !SafeURL(string(n.Destination)) {
				unsafe = append(unsafe, n)
			}
		case *ast.AutoLink:
			if n.AutoLinkType == ast.AutoLinkURL && !SafeURL(string(n.URL(src))) {
				unsafe = append(unsafe, n)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, n := range unsafe {
		parent := n.Parent()
		if a, ok := n.(*ast.AutoLink); ok {
			parent.ReplaceChild(parent, n, ast.NewString(a.Label(src)))
			continue
		}
		for c := n.FirstChild(); c != nil; c = n.FirstChild() {
			parent.InsertBefore(parent, n, c) // moves c out of n
		}
		parent.RemoveChild(parent, n)
	}
}
