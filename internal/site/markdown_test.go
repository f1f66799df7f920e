package site

import (
	"strings"
	"testing"
)

func TestMarkdownIsSafe(t *testing.T) {
	for _, c := range []struct {
		name, in string
		want     []string
		absent   []string
	}{
		{"emphasis", "Two **fast** runtimes", []string{"<strong>fast</strong>"}, nil},
		{"raw HTML is omitted", "Hi <script>alert(1)</script> <b onclick=x>b</b>", []string{"Hi"}, []string{"<script", "onclick", "<b"}},
		{"javascript link becomes text", "[click](javascript:alert(1))", []string{"click"}, []string{"javascript", "<a"}},
		{"data link becomes text", "[x](data:text/html;base64,PHNjcmlwdD4=)", []string{"x"}, []string{"data:", "<a"}},
		{"vbscript link", "[x](VBScript:msgbox)", nil, []string{"<a", "VBScript"}},
		{"scheme-relative link", "[x](//evil.example/a)", nil, []string{"<a", "evil"}},
		{"https link kept", "[docs](https://nodejs.org/en)", []string{`<a href="https://nodejs.org/en">docs</a>`}, nil},
		{"mailto kept", "[mail](mailto:team@example.com)", []string{`href="mailto:team@example.com"`}, nil},
		{"relative kept", "[other](/g/react-vs-nextjs)", []string{`href="/g/react-vs-nextjs"`}, nil},
		{"media image kept", "![logo](/media/abc.png)", []string{`<img src="/media/abc.png" alt="logo">`}, nil},
		{"data image dropped", "![pixel](data:image/png;base64,AAAA)", []string{"pixel"}, []string{"<img", "data:"}},
		{"javascript autolink becomes text", "<javascript:alert(1)>", nil, []string{"<a"}},
		{"https autolink kept", "<https://example.com>", []string{`<a href="https://example.com">`}, nil},
		{"nested emphasis in an unsafe link survives", "[**bold**](javascript:x)", []string{"<strong>bold</strong>"}, []string{"<a"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := string(Markdown(c.in))
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("Markdown(%q) = %q, want it to contain %q", c.in, got, w)
				}
			}
			for _, a := range c.absent {
				if strings.Contains(got, a) {
					t.Errorf("Markdown(%q) = %q, must not contain %q", c.in, got, a)
				}
			}
		})
	}
}

func TestSafeURL(t *testing.T) {
	for u, want := range map[string]bool{
		"https://a.example/x": true, "http://a.example": true, "mailto:a@b.example": true, "/media/x.png": true,
		"guide#faq": true, "#top": true, "": false, "javascript:alert(1)": false, " JavaScript:alert(1)": false,
		"data:image/png;base64,AA": false, "//evil.example": false, "/\\evil.example": false, "https://": false,
		"ftp://a.example": false, "mailto:": false,
	} {
		if got := SafeURL(u); got != want {
			t.Errorf("SafeURL(%q) = %v, want %v", u, got, want)
		}
	}
}
