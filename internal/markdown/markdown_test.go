package markdown_test

import (
	"bytes"
	stdhtml "html"
	"regexp"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"

	"github.com/verdict-cms/verdict/internal/markdown"
)

func TestCheckLinks(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		bad       []string // decoded destinations refused, in order
	}{
		{"plain text", "No links here.", nil},
		{"https link", "[x](https://example.com/a?b=c#d)", nil},
		{"http link", "[x](http://example.com)", nil},
		{"mailto", "[mail](mailto:ada@example.com)", nil},
		{"relative path", "[x](other-guide) and [y](../up) and [z](#section) and [q](?page=2)", nil},
		{"media image", "![logo](/media/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.png)", nil},
		{"protocol relative", "[x](//cdn.example.com/x)", nil},
		{"autolink https", "<https://example.com>", nil},
		{"email autolink", "<ada@example.com>", nil},
		{"bare url (GFM)", "see https://example.com now", nil},
		{"colon in a relative path", "[x](./a:b)", nil},
		{"not a link", "ratio 3:1 and [brackets] and a < b", nil},
		{"code span is not a link", "`[x](javascript:alert(1))`", nil},

		{"javascript inline", "[x](javascript:alert(1))", []string{"javascript:alert(1)"}},
		{"upper case", "[x](JavaScript:alert(1))", []string{"JavaScript:alert(1)"}},
		{"pointy brackets", "[x](<javascript:alert(1)>)", []string{"javascript:alert(1)"}},
		{"reference link", "[x][1]\n\n[1]: javascript:alert(1)", []string{"javascript:alert(1)"}},
		{"collapsed reference", "[x][]\n\n[x]: javascript:alert(1)", []string{"javascript:alert(1)"}},
		{"shortcut reference", "[x]\n\n[x]: <javascript:alert(1)> \"t\"", []string{"javascript:alert(1)"}},
		{"backslash escape", `[x](javascript\:alert(1))`, []string{"javascript:alert(1)"}},
		{"decimal entity", "[x](&#106;avascript:alert(1))", []string{"javascript:alert(1)"}},
		{"hex entity", "[x](&#x6A;avascript:alert(1))", []string{"javascript:alert(1)"}},
		{"named entity colon", "[x](javascript&colon;alert(1))", []string{"javascript:alert(1)"}},
		{"tab inside the scheme", "[x](<java\tscript:alert(1)>)", []string{"java\tscript:alert(1)"}},
		{"data image", "![x](data:image/png;base64,AAAA)", []string{"data:image/png;base64,AAAA"}},
		{"vbscript", "[x](vbscript:msgbox)", []string{"vbscript:msgbox"}},
		{"autolink javascript", "<javascript:alert(1)>", []string{"javascript:alert(1)"}},
		{"file scheme", "[x](file:///etc/passwd)", []string{"file:///etc/passwd"}},
		{"image in link", "[![a](https://ok.example/i.png)](javascript:alert(1))", []string{"javascript:alert(1)"}},
		{"several", "[a](javascript:1) [b](https://ok) ![c](data:x)", []string{"javascript:1", "data:x"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := markdown.CheckLinks(tc.src)
			if len(got) != len(tc.bad) {
				t.Fatalf("problems %+v, want destinations %q", got, tc.bad)
			}
			for i, p := range got {
				if p.URL != tc.bad[i] || p.Message == "" || (p.Kind != "link" && p.Kind != "image") {
					t.Fatalf("problem %d = %+v, want destination %q", i, p, tc.bad[i])
				}
			}
		})
	}
}

func FuzzCheckLinks(f *testing.F) {
	for _, s := range []string{
		"[x](javascript:alert(1))", "[x][1]\n\n[1]: javascript:alert(1)", `[x](javascript\:a)`,
		"[x](&#106;avascript:a)", "[x](javascript&colon;a)", "<javascript:a>", "![i](data:x)",
		"[ok](https://example.com)", "**bold** `code` > quote\n\n- list", "| a | b |\n|---|---|\n| [x](y:z) | 2 |",
	} {
		f.Add(s)
	}
	// The oracle: whatever CheckLinks passes, goldmark rendered without its
	// own URL filter must not turn into a script or data URL in the browser.
	unsafe := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(html.WithUnsafe()))
	attr := regexp.MustCompile(`(?:href|src)="([^"]*)"`)
	f.Fuzz(func(t *testing.T, src string) {
		problems := markdown.CheckLinks(src)
		for _, p := range problems {
			if p.Message == "" || p.Kind == "" {
				t.Fatalf("incomplete problem %+v", p)
			}
		}
		if len(problems) > 0 || strings.Contains(src, "<") { // raw HTML is refused before this check
			return
		}
		var out bytes.Buffer
		if err := unsafe.Convert([]byte(src), &out); err != nil {
			return
		}
		for _, m := range attr.FindAllStringSubmatch(out.String(), -1) {
			u := strings.ToLower(strings.Map(func(r rune) rune {
				if r <= ' ' {
					return -1
				}
				return r
			}, stdhtml.UnescapeString(m[1])))
			for _, bad := range []string{"javascript:", "vbscript:", "data:", "file:"} {
				if strings.HasPrefix(u, bad) {
					t.Fatalf("CheckLinks passed %q, rendered as %q", src, m[1])
				}
			}
		}
	})
}
