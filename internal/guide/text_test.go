package guide

import (
	"strings"
	"testing"
)

func TestTextRules(t *testing.T) {
	for _, tc := range []struct {
		text      string
		multiline bool
		code      string // "" when valid
	}{
		{"Plain text", false, ""},
		{"**Markdown** with `code` and [a link](https://example.com)", false, ""},
		{"a < b and c > d", false, ""},
		{"line one\nline two", true, ""},
		{"line one\nline two", false, "invalid"},
		{"<script>alert(1)</script>", false, "html"},
		{"<b>bold</b>", false, "html"},
		{"</div>", false, "html"},
		{"<!-- comment -->", false, "html"},
		{"[x](javascript:alert(1))", false, "unsafe_link"},
		{"[x]( JavaScript:alert(1))", false, "unsafe_link"},
		{"[x](data:text/html;base64,AAA)", false, "unsafe_link"},
		{"[x][1]\n\n[1]: javascript:alert(1)", true, "unsafe_link"},
		{`[x](javascript\:alert(1))`, false, "unsafe_link"},
		{"[x](&#106;avascript:alert(1))", false, "unsafe_link"},
		{"[x](javascript&colon;alert(1))", false, "unsafe_link"},
		{"![x](data:image/png;base64,AAAA)", false, "unsafe_link"},
		{"[ok](/media/abc.png) and [also](https://example.com)", false, ""},
		{"bell\x07", true, "invalid"},
		{strings.Repeat("x", 11), false, "too_long"},
		{"   ", false, "required"},
	} {
		limit := 1000
		if tc.code == "too_long" {
			limit = 10
		}
		var c checker
		c.text("f", tc.text, true, limit, tc.multiline)
		got := ""
		if len(c.Fields) > 0 {
			got = c.Fields[0].Code
		}
		if got != tc.code {
			t.Errorf("%q: code %q, want %q", tc.text, got, tc.code)
		}
	}
}

func TestSlugRules(t *testing.T) {
	for slug, ok := range map[string]bool{"node-vs-django": true, "a1": true, "Node": false, "a--b": false, "-a": false, "a_b": false, "": false} {
		var c checker
		c.slug("slug", slug)
		if got := len(c.Fields) == 0; got != ok {
			t.Errorf("%q: ok=%v, want %v", slug, got, ok)
		}
	}
}
