package httpapi

import (
	"bufio"
	"cmp"
	"context"
	"encoding/csv"
	"fmt"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/auth"
	"github.com/verdict-cms/verdict/internal/lead"
)

type leadResponse struct {
	ID                    string               `json:"id"`
	Reference             string               `json:"reference"`
	Status                lead.Status          `json:"status"`
	Name                  string               `json:"name"`
	Email                 string               `json:"email"`
	Company               string               `json:"company"`
	Role                  string               `json:"role"`
	Locale                string               `json:"locale"` // the prospect's language
	ProjectDescription    string               `json:"project_description"`
	Guide                 *leadGuideRef        `json:"guide"`
	Answers               []lead.Answer        `json:"answers"`
	Recommendation        *lead.Recommendation `json:"recommendation"`
	PreferredTechnologies []string             `json:"preferred_technologies"`
	RequestVolume         string               `json:"request_volume"`
	TeamLanguage          string               `json:"team_language"`
	Timeline              string               `json:"timeline"`
	Budget                string               `json:"budget"`
	Referrer              string               `json:"referrer"`
	UTM                   lead.UTM             `json:"utm"`
	OwnerID               *string              `json:"owner_id"`
	CreatedAt             time.Time            `json:"created_at"`
	UpdatedAt             time.Time            `json:"updated_at"`
	ClosedAt              *time.Time           `json:"closed_at"`
	ErasedAt              *time.Time           `json:"erased_at"`
	Notes                 []noteDoc            `json:"notes,omitempty"`
}

type leadGuideRef struct {
	Slug  string `json:"slug"`
	Title string `json:"title"`
}

type noteDoc struct {
	ID         string    `json:"id"`
	AuthorID   *string   `json:"author_id"`
	AuthorName string    `json:"author_name"` // name, else email; empty for a deleted author or the system
	Body       string    `json:"body"`
	CreatedAt  time.Time `json:"created_at"`
}

func toLeadResponse(l *lead.Lead, notes []*lead.Note) leadResponse {
	r := leadResponse{
		ID: l.ID, Reference: l.Reference, Status: l.Status, Name: l.Name, Email: l.Email, Company: l.Company, Role: l.Role, Locale: l.Locale,
		ProjectDescription: l.Project, Answers: nonNil(l.Answers), Recommendation: l.Recommendation, PreferredTechnologies: nonNil(l.PreferredTechnologies),
		RequestVolume: l.RequestVolume, TeamLanguage: l.TeamLanguage, Timeline: l.Timeline, Budget: l.Budget,
		Referrer: l.Referrer, UTM: l.UTM, OwnerID: l.OwnerID, CreatedAt: l.CreatedAt, UpdatedAt: l.UpdatedAt,
		ClosedAt: l.ClosedAt, ErasedAt: l.ErasedAt,
	}
	if l.GuideSlug != "" {
		r.Guide = &leadGuideRef{Slug: l.GuideSlug, Title: l.GuideTitle}
	}
	for _, n := range notes {
		r.Notes = append(r.Notes, noteDoc{ID: n.ID, AuthorID: n.AuthorID, Body: n.Body, CreatedAt: n.CreatedAt})
	}
	return r
}

func viewer(c *fiber.Ctx) lead.Viewer {
	u := currentUser(c)
	return lead.Viewer{UserID: u.ID, Admin: u.Role == auth.RoleAdmin}
}

// leadFilter reads the list filters shared by the list and the export.
func leadFilter(q *query) (lead.Filter, error) {
	f := lead.Filter{Query: q.str("q"), Limit: q.limit(), AfterID: q.cursor()}
	if s := q.str("status"); s != "" {
		st := lead.Status(s)
		if !st.Valid() {
			q.fields.Add("status", "invalid", "must be new, contacted, qualified, won, lost or spam")
		}
		f.Status = &st
	}
	if o := q.str("owner"); o != "" {
		f.OwnerID = &o
	}
	if slug := q.str("guide"); slug != "" {
		f.GuideSlug = &slug
	}
	f.From, f.To = q.date("from"), q.date("to")
	return f, q.err()
}

func (a *API) handleLeadList(c *fiber.Ctx) error {
	q := newQuery(c)
	withTotal := q.boolean("include_total")
	f, err := leadFilter(q)
	if err != nil {
		return err
	}
	limit := f.Limit
	f.Limit++
	leads, err := a.leads.List(c.UserContext(), viewer(c), f)
	if err != nil {
		return err
	}
	resp, _ := page(leads, limit, func(l *lead.Lead) string { return l.ID }, func(l *lead.Lead) leadResponse { return toLeadResponse(l, nil) }, nil)
	if err := addTotal(withTotal, &resp, func() (int, error) { return a.leads.Count(c.UserContext(), viewer(c), f) }); err != nil {
		return err
	}
	return c.JSON(resp)
}

// handleLeadExport streams every lead the filter selects as CSV, a page at
// a time, so an export of any size holds one page in memory.
func (a *API) handleLeadExport(c *fiber.Ctx) error {
	q := newQuery(c)
	f, err := leadFilter(q)
	if err != nil {
		return err
	}
	v, ctx := viewer(c), c.UserContext()
	f.Limit = 500
	first, err := a.leads.List(ctx, v, f) // fail before the 200 is committed
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="leads.csv"`)
	rid := strings.Clone(requestID(c)) // c is reused once the handler returns
	c.Context().SetBodyStreamWriter(fasthttp.StreamWriter(func(w *bufio.Writer) {
		rows, err := writeLeadCSV(w, first, f.Limit, func(afterID string) ([]*lead.Lead, error) {
			f.AfterID = afterID
			// The stream is written after the handler returned and its
			// context ended: each page gets a deadline of its own.
			pageCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), a.opts.RequestTimeout)
			defer cancel()
			return a.leads.List(pageCtx, v, f)
		})
		if err != nil {
			a.log.Warn("lead export stopped", "request_id", rid, "rows", rows, "err", err)
		}
	}))
	return nil
}

// writeLeadCSV writes the header and every page of leads, fetching the page
// after each full one with next. It stops at the first write error (the
// client went away: flushing to its connection fails), so an abandoned
// export reads no more pages, and returns how many rows were written.
func writeLeadCSV(w *bufio.Writer, page []*lead.Lead, pageSize int, next func(afterID string) ([]*lead.Lead, error)) (int, error) {
	out := csv.NewWriter(w)
	rows := 0
	if err := out.Write(lead.CSVHeader); err != nil {
		return rows, fmt.Errorf("write csv header: %w", err)
	}
	for {
		for _, l := range page {
			if err := out.Write(lead.CSVRow(l)); err != nil {
				return rows, fmt.Errorf("write csv row: %w", err)
			}
			rows++
		}
		out.Flush()
		if err := out.Error(); err != nil {
			return rows, fmt.Errorf("write csv: %w", err)
		}
		if err := w.Flush(); err != nil {
			return rows, fmt.Errorf("send csv: %w", err)
		}
		if len(page) < pageSize {
			return rows, nil
		}
		var err error
		if page, err = next(page[len(page)-1].ID); err != nil {
			return rows, fmt.Errorf("read leads after row %d: %w", rows, err)
		}
	}
}

func (a *API) handleLeadGet(c *fiber.Ctx) error {
	l, notes, err := a.leads.Get(c.UserContext(), viewer(c), c.Params("id"))
	if err != nil {
		return err
	}
	resp := toLeadResponse(l, notes)
	if err := a.nameNoteAuthors(c, resp.Notes); err != nil {
		return err
	}
	return c.JSON(resp)
}

// nameNoteAuthors says who wrote each note: consultants may not list users,
// yet must know whose note they read.
func (a *API) nameNoteAuthors(c *fiber.Ctx, notes []noteDoc) error {
	names := map[string]string{}
	for i, n := range notes {
		if n.AuthorID == nil {
			continue
		}
		name, ok := names[*n.AuthorID]
		if !ok {
			u, err := a.auth.User(c.UserContext(), *n.AuthorID)
			if err != nil && !apperr.IsKind(err, apperr.NotFound) {
				return err
			}
			if u != nil {
				name = cmp.Or(u.Name, u.Email)
			}
			names[*n.AuthorID] = name
		}
		notes[i].AuthorName = name
	}
	return nil
}

type leadStatusRequest struct {
	Status lead.Status `json:"status"`
}

func (a *API) handleLeadStatus(c *fiber.Ctx) error {
	var req leadStatusRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	l, err := a.leads.ChangeStatus(c.UserContext(), viewer(c), c.Params("id"), req.Status)
	if err != nil {
		return err
	}
	a.record(c, "lead.status_changed", "lead", l.ID, string(l.Status))
	return c.JSON(toLeadResponse(l, nil))
}

type leadAssignRequest struct {
	OwnerID string `json:"owner_id"`
}

func (a *API) handleLeadAssign(c *fiber.Ctx) error {
	var req leadAssignRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	l, err := a.leads.Reassign(c.UserContext(), viewer(c), c.Params("id"), req.OwnerID)
	if err != nil {
		return err
	}
	a.record(c, "lead.reassigned", "lead", l.ID, "to "+req.OwnerID)
	return c.JSON(toLeadResponse(l, nil))
}

type noteRequest struct {
	Body string `json:"body"`
}

func (a *API) handleLeadNote(c *fiber.Ctx) error {
	var req noteRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	n, err := a.leads.AddNote(c.UserContext(), viewer(c), c.Params("id"), req.Body)
	if err != nil {
		return err
	}
	doc := []noteDoc{{ID: n.ID, AuthorID: n.AuthorID, Body: n.Body, CreatedAt: n.CreatedAt}}
	if err := a.nameNoteAuthors(c, doc); err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(doc[0])
}

func (a *API) handleLeadErase(c *fiber.Ctx) error {
	actor := currentUser(c).ID
	if err := a.leads.Erase(c.UserContext(), &actor, c.Params("id"), "erased on request"); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
