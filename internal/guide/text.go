package guide

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/markdown"
)

// Text rules. Guide text is plain text or Markdown. HTML is refused rather
// than sanitised: a frontend renders Markdown, and refusing keeps stored text
// exactly what the editor typed.
var (
	htmlTag      = regexp.MustCompile(`<(/?[a-zA-Z]|!|\?)`)
	slugPattern  = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	questionIDRe = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)
	mediaPath    = regexp.MustCompile(`^/media/[0-9a-f]{64}\.(png|jpg|gif|webp)$`)
)

// checker collects field errors for one request.
type checker struct{ apperr.Fields }

// line checks one-line text: no control characters at all.
func (c *checker) line(field, s string, required bool, max int) {
	c.text(field, s, required, max, false)
}

// block checks multi-line text: newlines and tabs allowed.
func (c *checker) block(field, s string, required bool, max int) {
	c.text(field, s, required, max, true)
}

func (c *checker) text(field, s string, required bool, max int, multiline bool) {
	switch {
	case strings.TrimSpace(s) == "":
		if required {
			c.Add(field, "required", "is required")
		}
		return
	case !utf8.ValidString(s):
		c.Add(field, "invalid", "must be valid UTF-8")
		return
	case utf8.RuneCountInString(s) > max:
		c.Add(field, "too_long", fmt.Sprintf("must be at most %d characters", max))
		return
	}
	if strings.ContainsFunc(s, func(r rune) bool {
		return (r < 0x20 && !(multiline && (r == '\n' || r == '\t' || r == '\r'))) || r == 0x7f
	}) {
		c.Add(field, "invalid", "must not contain control characters")
		return
	}
	if htmlTag.MatchString(s) {
		c.Add(field, "html", "HTML is not allowed; use plain text or Markdown")
		return
	}
	// Every field may be rendered as Markdown by some frontend, so every
	// one is checked as Markdown: links and images as a parser reads them.
	if p := markdown.CheckLinks(s); len(p) > 0 {
		c.Add(field, "unsafe_link", fmt.Sprintf("%s %s", p[0].Kind, p[0].Message))
	}
}

func (c *checker) slug(field, s string) {
	switch {
	case s == "":
		c.Add(field, "required", "is required")
	case len(s) > 100:
		c.Add(field, "too_long", "must be at most 100 characters")
	case !slugPattern.MatchString(s):
		c.Add(field, "invalid", "must be kebab-case: lower-case letters, digits and single hyphens")
	}
}

func (c *checker) url(field, s string, required bool) {
	if s == "" {
		if required {
			c.Add(field, "required", "is required")
		}
		return
	}
	if mediaPath.MatchString(s) {
		return // an image uploaded to this Verdict
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(s) > 2000 {
		c.Add(field, "invalid", "must be an http(s) URL")
	}
}
