package httpapi

import (
	"github.com/gofiber/fiber/v2"

	"github.com/verdict-cms/verdict/internal/auth"
)

// routes lists Verdict's whole HTTP surface.
func (a *API) routes(app *fiber.App) {
	app.Get("/healthz", a.handleHealth)
	app.Get("/readyz", a.handleReady)
	a.metricsRoute(app)
	app.Get("/admin", a.handleAdminUI)
	app.Get("/admin/*", a.handleAdminUI)

	v1 := app.Group("/api/v1", a.authenticate)

	v1.Get("/guides", a.handlePublicGuideList)
	v1.Get("/guides/:slug", a.handlePublicGuideGet)
	v1.Post("/guides/:slug/recommendation", a.handleGuideRecommendation)
	v1.Get("/categories", a.handlePublicCategoryList)
	v1.Get("/technologies", a.handlePublicTechnologyList)
	v1.Get("/technologies/:slug", a.handlePublicTechnologyGet)
	v1.Post("/consultations", a.handleConsultationSubmit)

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
	admin.Get("/audit", admins, a.handleAuditList)
	admin.Get("/api-tokens", admins, a.handleAPITokenList)
	admin.Post("/api-tokens", admins, a.handleAPITokenCreate)
	admin.Delete("/api-tokens/:id", admins, a.handleAPITokenRevoke)

	editors := requireUser(auth.RoleAdmin, auth.RoleEditor)
	admin.Get("/categories", editors, a.handleCategoryList)
	admin.Post("/categories", editors, a.handleCategoryCreate)
	admin.Get("/categories/:id", editors, a.handleCategoryGet)
	admin.Put("/categories/:id", editors, a.handleCategoryUpdate)
	admin.Delete("/categories/:id", editors, a.handleCategoryDelete)
	admin.Get("/technologies", editors, a.handleTechnologyList)
	admin.Post("/technologies", editors, a.handleTechnologyCreate)
	admin.Get("/technologies/:id", editors, a.handleTechnologyGet)
	admin.Put("/technologies/:id", editors, a.handleTechnologyUpdate)
	admin.Delete("/technologies/:id", editors, a.handleTechnologyDelete)
	admin.Get("/guides", editors, a.handleGuideList)
	admin.Post("/guides", editors, a.handleGuideCreate)
	admin.Get("/guides/:id", editors, a.handleGuideGet)
	admin.Put("/guides/:id", editors, a.handleGuideUpdate)
	admin.Delete("/guides/:id", editors, a.handleGuideDelete)
	admin.Get("/guides/:id/preview", editors, a.handleGuidePreview)
	admin.Post("/guides/:id/publish", editors, a.handleGuideAction("published", guidePublish))
	admin.Post("/guides/:id/unpublish", editors, a.handleGuideAction("unpublished", guideUnpublish))
	admin.Post("/guides/:id/schedule", editors, a.handleGuideAction("scheduled", guideSchedule))
	admin.Post("/guides/:id/archive", editors, a.handleGuideAction("archived", guideArchive))
	admin.Get("/guides/:id/revisions", editors, a.handleGuideRevisions)
	admin.Get("/guides/:id/revisions/:number", editors, a.handleGuideRevisionGet)
	admin.Post("/guides/:id/revisions/:number/restore", editors, a.handleGuideRevisionRestore)

	consultants := requireUser(auth.RoleAdmin, auth.RoleConsultant)
	admin.Get("/analytics", consultants, a.handleAnalytics)
	admin.Get("/leads", consultants, a.handleLeadList)
	admin.Get("/leads/export.csv", consultants, a.handleLeadExport)
	admin.Get("/leads/:id", consultants, a.handleLeadGet)
	admin.Post("/leads/:id/status", consultants, a.handleLeadStatus)
	admin.Post("/leads/:id/assign", consultants, a.handleLeadAssign)
	admin.Post("/leads/:id/notes", consultants, a.handleLeadNote)
	admin.Delete("/leads/:id", admins, a.handleLeadErase)
	admin.Get("/outbox", admins, a.handleOutboxList)
	admin.Post("/outbox/:id/retry", admins, a.handleOutboxRetry)
	admin.Get("/consultants/:id", admins, a.handleConsultantGet)
	admin.Put("/consultants/:id", admins, a.handleConsultantPut)
}
