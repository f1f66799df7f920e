package httpapi

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/verdict-cms/verdict/internal/lead"
	"github.com/verdict-cms/verdict/internal/outbox"
)

type outboxResponse struct {
	ID            string     `json:"id"`
	Kind          string     `json:"kind"`
	LeadID        string     `json:"lead_id,omitempty"`
	Status        string     `json:"status"`
	Subject       string     `json:"subject,omitempty"`
	Recipients    int        `json:"recipients"`
	Attempts      int        `json:"attempts"`
	MaxAttempts   int        `json:"max_attempts"`
	NextAttemptAt time.Time  `json:"next_attempt_at"`
	LastError     string     `json:"last_error"`
	CreatedAt     time.Time  `json:"created_at"`
	SentAt        *time.Time `json:"sent_at"`
}

func (a *API) handleOutboxList(c *fiber.Ctx) error {
	q := newQuery(c)
	status, limit, after := q.str("status"), q.limit(), q.cursor()
	withTotal := q.boolean("include_total")
	switch status {
	case "", "pending", "sent", "failed":
	default:
		q.fields.Add("status", "invalid", "must be pending, sent or failed")
	}
	if err := q.err(); err != nil {
		return err
	}
	rows, err := a.outbox.List(c.UserContext(), status, after, limit+1)
	if err != nil {
		return err
	}
	resp, _ := page(rows, limit, func(r *outbox.Row) string { return r.ID }, toOutboxResponse, nil)
	if err := addTotal(withTotal, &resp, func() (int, error) { return a.outbox.Count(c.UserContext(), status) }); err != nil {
		return err
	}
	return c.JSON(resp)
}

func toOutboxResponse(r *outbox.Row) outboxResponse {
	return outboxResponse{ID: r.ID, Kind: r.Kind, LeadID: r.LeadID, Status: r.Status, Subject: r.Subject,
		Recipients: len(r.To), Attempts: r.Attempts, MaxAttempts: r.MaxAttempts, NextAttemptAt: r.NextAttemptAt,
		LastError: r.LastError, CreatedAt: r.CreatedAt, SentAt: r.SentAt}
}

func (a *API) handleOutboxRetry(c *fiber.Ctx) error {
	if err := a.outbox.Retry(c.UserContext(), c.Params("id")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusAccepted)
}

type consultantDoc struct {
	UserID       string   `json:"user_id"`
	Email        string   `json:"email"`
	Name         string   `json:"name"`
	Active       bool     `json:"active"`
	Technologies []string `json:"technologies"`
	Categories   []string `json:"categories"`
}

type consultantRequest struct {
	Active       bool     `json:"active"`
	Technologies []string `json:"technologies"`
	Categories   []string `json:"categories"`
}

func (a *API) toConsultantDoc(c *fiber.Ctx, k *lead.Consultant) (consultantDoc, error) {
	d := consultantDoc{UserID: k.UserID, Email: k.Email, Name: k.Name, Active: k.Active, Technologies: []string{}, Categories: []string{}}
	for _, tid := range k.TechnologyIDs {
		t, err := a.guides.Technology(c.UserContext(), tid)
		if err != nil {
			return d, err
		}
		d.Technologies = append(d.Technologies, t.Slug)
	}
	for _, cid := range k.CategoryIDs {
		cat, err := a.guides.Category(c.UserContext(), cid)
		if err != nil {
			return d, err
		}
		d.Categories = append(d.Categories, cat.Slug)
	}
	return d, nil
}

func (a *API) handleConsultantGet(c *fiber.Ctx) error {
	k, err := a.leads.Consultant(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	d, err := a.toConsultantDoc(c, k)
	if err != nil {
		return err
	}
	return c.JSON(d)
}

func (a *API) handleConsultantPut(c *fiber.Ctx) error {
	var req consultantRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	k, err := a.leads.SetConsultant(c.UserContext(), c.Params("id"), lead.ConsultantInput(req))
	if err != nil {
		return err
	}
	d, err := a.toConsultantDoc(c, k)
	if err != nil {
		return err
	}
	return c.JSON(d)
}
