package httpapi

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/verdict-cms/verdict/internal/webhook"
)

type webhookRequest struct {
	URL         string   `json:"url"`
	Events      []string `json:"events"`
	Description string   `json:"description" openapi:"optional"`
	Active      bool     `json:"active"`
}

type webhookResponse struct {
	ID          string    `json:"id"`
	URL         string    `json:"url"`
	Events      []string  `json:"events"`
	Description string    `json:"description"`
	Active      bool      `json:"active"`
	Version     int       `json:"version"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	Secret      string    `json:"secret,omitempty"` // only when created
}

func toWebhookResponse(w *webhook.Webhook) webhookResponse {
	return webhookResponse{ID: w.ID, URL: w.URL, Events: w.Events, Description: w.Description, Active: w.Active,
		Version: w.Version, CreatedAt: w.CreatedAt, UpdatedAt: w.UpdatedAt}
}

type deliveryResponse struct {
	ID         string    `json:"id"`
	Event      string    `json:"event"`
	StatusCode int       `json:"status_code"`
	Error      string    `json:"error"`
	DurationMS int64     `json:"duration_ms"`
	CreatedAt  time.Time `json:"created_at"`
}

func (a *API) handleWebhookList(c *fiber.Ctx) error {
	if err := newQuery(c).err(); err != nil {
		return err
	}
	hooks, err := a.webhooks.List(c.UserContext())
	if err != nil {
		return err
	}
	resp, _ := page(hooks, len(hooks), func(w *webhook.Webhook) string { return w.ID }, toWebhookResponse, nil)
	return c.JSON(resp)
}

func (a *API) handleWebhookCreate(c *fiber.Ctx) error {
	var req webhookRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	w, err := a.webhooks.Create(c.UserContext(), webhook.Input(req))
	if err != nil {
		return err
	}
	a.record(c, "webhook.created", "webhook", w.ID, w.URL)
	resp := toWebhookResponse(w)
	resp.Secret = w.Secret
	c.Location("/api/v1/admin/webhooks/" + w.ID)
	setVersionETag(c, w.Version)
	return c.Status(fiber.StatusCreated).JSON(resp)
}

func (a *API) handleWebhookGet(c *fiber.Ctx) error {
	w, err := a.webhooks.Get(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	setVersionETag(c, w.Version)
	return c.JSON(toWebhookResponse(w))
}

func (a *API) handleWebhookUpdate(c *fiber.Ctx) error {
	version, err := ifMatchVersion(c)
	if err != nil {
		return err
	}
	var req webhookRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	w, err := a.webhooks.Update(c.UserContext(), c.Params("id"), webhook.Input(req), version)
	if err != nil {
		return err
	}
	setVersionETag(c, w.Version)
	return c.JSON(toWebhookResponse(w))
}

func (a *API) handleWebhookDelete(c *fiber.Ctx) error {
	if err := a.webhooks.Delete(c.UserContext(), c.Params("id")); err != nil {
		return err
	}
	a.record(c, "webhook.deleted", "webhook", c.Params("id"), "")
	return c.SendStatus(fiber.StatusNoContent)
}

func (a *API) handleWebhookDeliveries(c *fiber.Ctx) error {
	q := newQuery(c)
	limit, before := q.limit(), q.cursor()
	if err := q.err(); err != nil {
		return err
	}
	ds, err := a.webhooks.Deliveries(c.UserContext(), c.Params("id"), before, limit+1)
	if err != nil {
		return err
	}
	resp, _ := page(ds, limit, func(d *webhook.Delivery) string { return d.ID }, func(d *webhook.Delivery) deliveryResponse {
		return deliveryResponse{ID: d.ID, Event: d.Event, StatusCode: d.StatusCode, Error: d.Error,
			DurationMS: d.Duration.Milliseconds(), CreatedAt: d.CreatedAt}
	}, nil)
	return c.JSON(resp)
}

func (a *API) handleWebhookRedeliver(c *fiber.Ctx) error {
	if err := a.webhooks.Redeliver(c.UserContext(), c.Params("id"), c.Params("delivery")); err != nil {
		return err
	}
	if a.outbox != nil {
		a.outbox.Wake()
	}
	return c.SendStatus(fiber.StatusAccepted)
}
