package httpapi

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/verdict-cms/verdict/internal/audit"
)

// record notes an action by the signed-in user on a subject.
func (a *API) record(c *fiber.Ctx, action, subjectType, subjectID, detail string) {
	actor := ""
	if u := currentUser(c); u != nil {
		actor = u.ID
	}
	a.audit.Record(c.UserContext(), actor, action, subjectType, subjectID, detail)
}

type auditResponse struct {
	ID          string    `json:"id"`
	ActorID     *string   `json:"actor_id"`
	Action      string    `json:"action"`
	SubjectType string    `json:"subject_type"`
	SubjectID   string    `json:"subject_id"`
	Detail      string    `json:"detail"`
	CreatedAt   time.Time `json:"created_at"`
}

func (a *API) handleAuditList(c *fiber.Ctx) error {
	q := newQuery(c)
	f := audit.Filter{Limit: q.limit(), BeforeID: q.cursor()}
	for name, dst := range map[string]**string{"action": &f.Action, "actor": &f.ActorID, "subject": &f.Subject} {
		if v := q.str(name); v != "" {
			*dst = &v
		}
	}
	if err := q.err(); err != nil {
		return err
	}
	limit := f.Limit
	f.Limit++
	entries, err := a.audit.List(c.UserContext(), f)
	if err != nil {
		return err
	}
	resp, _ := page(entries, limit, func(e *audit.Entry) string { return e.ID }, func(e *audit.Entry) auditResponse {
		return auditResponse(*e)
	}, nil)
	return c.JSON(resp)
}
