package httpapi

import (
	"slices"
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

	// Each group's middleware goes into its routes' own handler lists, not
	// in front of the group (Group(prefix, handlers...)): every such layer
	// is one more walk of the route table per request, on the hot path too.
	v1 := []fiber.Handler{a.limitJSONBody, a.authenticate}
	private := append(v1[:len(v1):len(v1)], noStore)
	groups := []struct {
		prefix     string
		middleware []fiber.Handler
	}{ // the longest prefix first
		{"/api/v1/auth", private},
		{"/api/v1/admin", private},
		{"/api/v1", v1},
		{"", nil},
	}
	for _, op := range operations {
		if op.optional {
			continue
		}
		for _, g := range groups {
			if rest, ok := strings.CutPrefix(op.path, g.prefix); ok && (g.prefix == "" || rest == "" || strings.HasPrefix(rest, "/")) {
				handlers := append(append(slices.Clip(g.middleware), guard(op.auth)...), a.bind(op.handle))
				app.Add(op.method, op.path, handlers...)
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
