package adminui

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gofiber/fiber/v2"
)

func gz(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := w.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestAssetsPrecompressed(t *testing.T) {
	const js = "console.log('verdict admin');"
	files := fstest.MapFS{
		"index.html":            {Data: []byte("<!doctype html><div id=root></div>")},
		"assets/app-1.js":       {Data: []byte(js)},
		"assets/app-1.js.gz":    {Data: gz(t, js)},
		"assets/app-1.js.br":    {Data: []byte("brotli bytes")},
		"assets/logo-2.png":     {Data: []byte("png")},
		"assets/style-3.css":    {Data: []byte("body{}")},
		"assets/style-3.css.gz": {Data: gz(t, "body{}")},
	}
	app := fiber.New()
	app.Get("/admin/*", newHandler(files))

	cases := []struct {
		name, path, accept       string
		status                   int
		encoding, vary, body, ct string
	}{
		{"brotli preferred", "/admin/assets/app-1.js", "gzip, deflate, br", 200, "br", "Accept-Encoding", "brotli bytes", "text/javascript; charset=utf-8"},
		{"gzip when brotli refused", "/admin/assets/app-1.js", "gzip, br;q=0", 200, "gzip", "Accept-Encoding", js, "text/javascript; charset=utf-8"},
		{"gzip only", "/admin/assets/style-3.css", "gzip", 200, "gzip", "Accept-Encoding", "body{}", "text/css; charset=utf-8"},
		{"any coding", "/admin/assets/style-3.css", "*", 200, "gzip", "Accept-Encoding", "body{}", "text/css; charset=utf-8"},
		{"identity", "/admin/assets/app-1.js", "", 200, "", "Accept-Encoding", js, "text/javascript; charset=utf-8"},
		{"identity, all refused", "/admin/assets/app-1.js", "br;q=0, gzip;q=0", 200, "", "Accept-Encoding", js, "text/javascript; charset=utf-8"},
		{"no variant: no Vary", "/admin/assets/logo-2.png", "br, gzip", 200, "", "", "png", "image/png"},
		{"variants are not addressable", "/admin/assets/app-1.js.br", "br", 404, "", "", "", ""},
		{"missing asset", "/admin/assets/nope.js", "br", 404, "", "", "", ""},
		{"app route", "/admin/guides/1", "br", 200, "", "", "<!doctype html><div id=root></div>", "text/html; charset=utf-8"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", tc.path, nil)
			if tc.accept != "" {
				req.Header.Set("Accept-Encoding", tc.accept)
			}
			resp, err := app.Test(req)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := resp.StatusCode, tc.status; got != want {
				t.Fatalf("status=%d, want %d", got, want)
			}
			if tc.status != 200 {
				return
			}
			if got := resp.Header.Get("Content-Encoding"); got != tc.encoding {
				t.Fatalf("Content-Encoding=%q, want %q", got, tc.encoding)
			}
			if got := resp.Header.Get("Vary"); got != tc.vary {
				t.Fatalf("Vary=%q, want %q", got, tc.vary)
			}
			if got := resp.Header.Get("Content-Type"); got != tc.ct {
				t.Fatalf("Content-Type=%q, want %q", got, tc.ct)
			}
			var r io.Reader = resp.Body
			if tc.encoding == "gzip" {
				if r, err = gzip.NewReader(resp.Body); err != nil {
					t.Fatal(err)
				}
			}
			body, _ := io.ReadAll(r)
			if string(body) != tc.body {
				t.Fatalf("body=%q, want %q", body, tc.body)
			}
		})
	}
}

// TestBuildWritesVariants checks the real build, when there is one: every
// script and stylesheet has its brotli and gzip variant.
func TestBuildWritesVariants(t *testing.T) {
	entries, err := dist.ReadDir("dist/assets")
	if err != nil {
		t.Skip("admin UI not built (npm run build)")
	}
	have := map[string]bool{}
	for _, e := range entries {
		have[e.Name()] = true
	}
	n := 0
	for name := range have {
		if !strings.HasSuffix(name, ".js") && !strings.HasSuffix(name, ".css") {
			continue
		}
		n++
		if !have[name+".br"] || !have[name+".gz"] {
			t.Errorf("%s has no .br or .gz variant", name)
		}
	}
	if n == 0 {
		t.Fatal("no scripts in the build")
	}
}
