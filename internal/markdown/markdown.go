// Package markdown checks the Markdown of guide text with a real parser
// (goldmark, CommonMark plus GitHub's extensions), so that every link and
// image destination is judged the way a renderer will read it: reference
// links resolved, backslash escapes and character references decoded.
package markdown

import (
	"fmt"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Problem is a link or image destination that is not allowed.
type Problem struct {
	Kind    string // "link" or "image"
	URL     string // the destination as a renderer reads it (decoded)
	Message string
}

// md parses like the renderers Verdict content is written for; GFM's
// autolinking of bare URLs is on, so such links are checked too.
var md = goldmark.New(goldmark.WithExtensions(extension.GFM))

// CheckLinks returns every link and image in src whose destination is not
// an http, https or mailto URL, or a relative URL (such as /media/…), after
// decoding. An empty result means src is safe to render as far as URLs go.
func CheckLinks(src string) []Problem {
	if !strings.ContainsAny(src, "[<:") {
		return nil // no link syntax of any kind: spare the parse
	}
	source := []byte(src)
	doc := md.Parser().Parse(text.NewReader(source))
	var out []Problem
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		kind, dest := "", ""
		switch n := n.(type) {
		case *ast.Link:
			kind, dest = "link", string(n.Destination)
		case *ast.Image:
			kind, dest = "image", string(n.Destination)
		case *ast.AutoLink:
			kind, dest = "link", string(n.URL(source))
			if n.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(strings.ToLower(dest), "mailto:") {
				dest = "mailto:" + dest
			}
		default:
			return ast.WalkContinue, nil
		}
		dest = decode(dest)
		if msg := destinationProblem(dest); msg != "" {
			out = append(out, Problem{Kind: kind, URL: dest, Message: msg})
		}
		return ast.WalkContinue, nil
	})
	return out
}

// decode reads a destination as goldmark's HTML renderer writes it:
// backslash escapes removed, numeric and named character references
// resolved. Autolinks get the same treatment, to be safe with renderers that
// decode them too.
func decode(dest string) string {
	b := util.UnescapePunctuations([]byte(dest))
	b = util.ResolveNumericReferences(b)
	return string(util.ResolveEntityNames(b))
}

// destinationProblem judges a decoded destination by its scheme, found the
// way browsers find it (WHATWG URL): leading and trailing C0 controls and
// spaces are ignored and tabs and newlines anywhere are removed, so
// "java\tscript:" is read as "javascript:".
func destinationProblem(dest string) string {
	u := strings.TrimFunc(dest, func(r rune) bool { return r <= ' ' })
	u = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, u)
	scheme, ok := schemeOf(u)
	if !ok {
		return "" // relative: a path, /media/…, #fragment, ?query, //host
	}
	switch strings.ToLower(scheme) {
	case "http", "https", "mailto":
		return ""
	}
	return fmt.Sprintf("%s: URLs are not allowed; use http, https, mailto or a relative URL", strings.ToLower(scheme))
}

// schemeOf returns the scheme of u if it has one: letters, digits, "+",
// "-" and "." after a first letter, ended by ":".
func schemeOf(u string) (string, bool) {
	for i := 0; i < len(u); i++ {
		c := u[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return u[:i], true
		default:
			return "", false
		}
	}
	return "", false
}
