// Package adminui serves the admin web app, built by Vite into dist/ and
// embedded in the binary. Without a build (no Node.js), Handler is nil and
// /admin explains how to build it; go build and go test work either way.
package adminui

import (
	"embed"
	"io/fs"
	"mime"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"
)

//go:embed all:dist
var dist embed.FS

// csp lets the app load only its own scripts and styles and call only its
// own API; nothing can frame it.
const csp = "default-src 'self'; img-src 'self' data: https:; style-src 'self'; script-src 'self'; " +
	"connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// Handler serves /admin and everything below it, or returns nil when the
// UI was not built into this binary.
func Handler() fiber.Handler {
	files, err := fs.Sub(dist, "dist")
	if err != nil {
		return nil
	}
	index, err := fs.ReadFile(files, "index.html")
	if err != nil {
		return nil
	}
	return func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentSecurityPolicy, csp)
		name := strings.TrimPrefix(path.Clean("/"+strings.TrimPrefix(c.Path(), "/admin")), "/")
		if strings.HasPrefix(name, "assets/") {
			body, err := fs.ReadFile(files, name)
			if err != nil {
				return fiber.ErrNotFound
			}
			// Vite puts a content hash in every asset name: cache forever.
			c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
			c.Set(fiber.HeaderContentType, mime.TypeByExtension(path.Ext(name)))
			return c.Send(body)
		}
		// Every other path is a route of the single-page app.
		c.Set(fiber.HeaderCacheControl, "no-cache")
		c.Type("html", "utf-8")
		return c.Send(index)
	}
}
