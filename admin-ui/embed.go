// Package adminui serves the admin web app, built by Vite into dist/ and
// embedded in the binary. Without a build (no Node.js), Handler is nil and
// /admin explains how to build it; go build and go test work either way.
package adminui

import (
	"embed"
	"io/fs"
	"mime"
	"path"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
)

//go:embed all:dist
var dist embed.FS

// csp lets the app load only its own scripts and styles and call only its
// own API; nothing can frame it. The editor's preview frame shows the
// server's own rendering of a draft (same origin, sandboxed).
const csp = "default-src 'self'; img-src 'self' data: https:; style-src 'self'; script-src 'self'; " +
	"connect-src 'self'; frame-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// Handler serves /admin and everything below it, or returns nil when the
// UI was not built into this binary.
func Handler() fiber.Handler {
	files, err := fs.Sub(dist, "dist")
	if err != nil {
		return nil
	}
	return newHandler(files)
}

// encodings are the precompressed variants the build writes beside each
// asset (vite.config.ts), best first.
var encodings = []struct{ name, ext string }{{"br", ".br"}, {"gzip", ".gz"}}

func newHandler(files fs.FS) fiber.Handler {
	index, err := fs.ReadFile(files, "index.html")
	if err != nil {
		return nil
	}
	return func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentSecurityPolicy, csp)
		name := strings.TrimPrefix(path.Clean("/"+strings.TrimPrefix(c.Path(), "/admin")), "/")
		if strings.HasPrefix(name, "assets/") {
			return serveAsset(c, files, name)
		}
		// Every other path is a route of the single-page app.
		c.Set(fiber.HeaderCacheControl, "no-cache")
		c.Type("html", "utf-8")
		return c.Send(index)
	}
}

// serveAsset sends an asset, precompressed when the client accepts one of
// the encodings the build wrote: no compression work per request.
func serveAsset(c *fiber.Ctx, files fs.FS, name string) error {
	if strings.HasSuffix(name, ".br") || strings.HasSuffix(name, ".gz") {
		return fiber.ErrNotFound // variants are chosen by Accept-Encoding, not asked for
	}
	body, err := fs.ReadFile(files, name)
	if err != nil {
		return fiber.ErrNotFound
	}
	// Vite puts a content hash in every asset name: cache forever.
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	c.Set(fiber.HeaderContentType, mime.TypeByExtension(path.Ext(name)))
	accept := c.Get(fiber.HeaderAcceptEncoding)
	for _, e := range encodings {
		packed, err := fs.ReadFile(files, name+e.ext)
		if err != nil {
			continue
		}
		// The answer depends on Accept-Encoding whenever a variant exists.
		c.Vary(fiber.HeaderAcceptEncoding)
		if accepts(accept, e.name) {
			c.Set(fiber.HeaderContentEncoding, e.name)
			return c.Send(packed)
		}
	}
	return c.Send(body)
}

// accepts reports whether an Accept-Encoding header allows coding (q > 0,
// named or through "*").
func accepts(header, coding string) bool {
	star := false
	for _, part := range strings.Split(header, ",") {
		token, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		switch strings.ToLower(strings.TrimSpace(token)) {
		case coding:
			return q > 0
		case "*":
			star = q > 0
		}
	}
	return star
}
