package httpapi

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/verdict-cms/verdict/internal/apperr"
)

// handleHealth answers while the process is alive.
func (a *API) handleHealth(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(statusResponse{Status: "ok"})
}

// readier is a database that can tell whether it takes writes too.
type readier interface {
	Ready(ctx context.Context) error
}

// handleReady answers 200 only while the database answers and, when it can
// tell, takes writes: the problem detail names the reason (unreachable,
// full, read-only) so an operator sees it in the probe's output.
func (a *API) handleReady(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	check := a.db.Ping
	if r, ok := a.db.(readier); ok {
		check = r.Ready
	}
	if err := check(ctx); err != nil {
		if e := apperr.Dependency(err); e != nil {
			return e
		}
		return apperr.Wrap(apperr.Unavailable, err, "the database is unreachable")
	}
	return c.JSON(statusResponse{Status: "ready"})
}

// handleAdminUI serves the admin web app, or explains how to build it.
func (a *API) handleAdminUI(c *fiber.Ctx) error {
	if a.opts.AdminUI != nil {
		return a.opts.AdminUI(c)
	}
	c.Set(fiber.HeaderContentSecurityPolicy, "default-src 'none'; style-src 'unsafe-inline'")
	c.Type("html", "utf-8")
	return c.SendString(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Verdict admin</title></head>
<body style="font-family:sans-serif;max-width:40rem;margin:3rem auto">
<h1>Verdict admin</h1><p>The admin UI is not built into this binary yet.
Build it with <code>make ui</code> (needs Node.js) and rebuild Verdict; <code>make run</code> does both.</p>
<p>The JSON API is available under <code>/api/v1</code>.</p></body></html>`)
}
