package httpapi

import (
	"crypto/subtle"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"

	"github.com/verdict-cms/verdict/internal/apperr"
)

// metricsRoute serves /metrics on the main address to scrapers bearing the
// configured token. Without a token it is not served here at all (use
// VERDICT_METRICS_ADDR for a separate, private listener).
func (a *API) metricsRoute(app *fiber.App) {
	if a.opts.MetricsToken == "" || a.metrics == nil {
		return
	}
	serve := adaptor.HTTPHandler(a.metrics.Handler())
	want := []byte("Bearer " + a.opts.MetricsToken)
	app.Get("/metrics", func(c *fiber.Ctx) error {
		if subtle.ConstantTimeCompare([]byte(c.Get(fiber.HeaderAuthorization)), want) != 1 {
			return apperr.New(apperr.Unauthenticated, "the metrics need the metrics token")
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return serve(c)
	})
}
