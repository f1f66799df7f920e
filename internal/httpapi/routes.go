package httpapi

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/verdict-cms/verdict/internal/auth"
)

// routes registers Verdict's whole HTTP surface from the one route table,
// operations (openapi.go): each route behind its group's middleware and the
// guard its documented auth names. Only the admin UI's pages and the
// optional /metrics are outside it.
func (a *API) routes(app *fiber.App) {
	a.metricsRoute(app)
	app.Get("/admin", a.handleAdminUI)
	app.Get("/admin/*", a.handleAdminUI)

	v1 := app.Group("/api/v1", a.limitJSONBody, a.authenticate)
	groups := []struct {
		prefix string
		router fiber.Router
	}{ // the longest prefix first
		{"/api/v1/auth", v1.Group("/auth", noStore)},
		{"/api/v1/admin", v1.Group("/admin", noStore)},
		{"/api/v1", v1},
		{"", app},
	}
	for _, op := range operations {
		if op.optional {
			continue
		}
		for _, g := range groups {
			if rest, ok := strings.CutPrefix(op.path, g.prefix); ok && (g.prefix == "" || strings.HasPrefix(rest, "/")) {
				g.router.Add(op.method, rest, append(guard(op.auth), a.bind(op.handle))...)
				break
			}
		}
	}
}

// guard is the check in front of a route whose documented auth is auth.
func guard(auth string) []fiber.Handler {
	if roles := allowedRoles(auth); roles != nil {
		return []fiber.Handler{requireUser(roles...)}
	}
	if auth == "user" {
		return []fiber.Handler{requireUser()}
	}
	return nil
}

// allowedRoles are the roles a route's auth admits; nil for public routes
// and for "user" (any signed-in user).
func allowedRoles(a string) []auth.Role {
	switch a {
	case "admin":
		return []auth.Role{auth.RoleAdmin}
	case "editor":
		return []auth.Role{auth.RoleAdmin, auth.RoleEditor}
	case "consultant":
		return []auth.Role{auth.RoleAdmin, auth.RoleConsultant}
	}
	return nil
}

// bind makes an operation's handler a Fiber handler of this API.
func (a *API) bind(h func(*API, *fiber.Ctx) error) fiber.Handler {
	return func(c *fiber.Ctx) error { return h(a, c) }
}
