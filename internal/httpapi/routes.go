package httpapi

import (
	"github.com/gofiber/fiber/v2"

	"github.com/verdict-cms/verdict/internal/auth"
)

// routes lists Verdict's whole HTTP surface.
func (a *API) routes(app *fiber.App) {
	app.Get("/healthz", a.handleHealth)
	app.Get("/readyz", a.handleReady)
	app.Get("/admin", a.handleAdminUI)
	app.Get("/admin/*", a.handleAdminUI)

	v1 := app.Group("/api/v1", a.authenticate)

	authg := v1.Group("/auth", noStore)
	authg.Post("/login", a.handleAuthLogin)
	authg.Post("/refresh", a.handleAuthRefresh)
	authg.Post("/logout", a.handleAuthLogout)
	authg.Get("/me", requireUser(), a.handleAuthMe)

	admin := v1.Group("/admin", noStore)
	admins := requireUser(auth.RoleAdmin)
	admin.Get("/users", admins, a.handleUserList)
	admin.Post("/users", admins, a.handleUserCreate)
	admin.Get("/users/:id", admins, a.handleUserGet)
	admin.Put("/users/:id", admins, a.handleUserUpdate)
	admin.Post("/users/:id/password", admins, a.handleUserResetPassword)
	admin.Get("/api-tokens", admins, a.handleAPITokenList)
	admin.Post("/api-tokens", admins, a.handleAPITokenCreate)
	admin.Delete("/api-tokens/:id", admins, a.handleAPITokenRevoke)
}
