package httpapi

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/guide"
)

func (a *API) handleGuideList(c *fiber.Ctx) error {
	q := newQuery(c)
	f := guide.AdminFilter{Query: q.str("q"), Limit: q.limit(), AfterID: q.cursor()}
	withTotal := q.boolean("include_total")
	ctx := c.UserContext()
	if s := q.str("status"); s != "" {
		st := guide.Status(s)
		if !st.Valid() {
			q.fields.Add("status", "invalid", "must be draft, scheduled, published or archived")
		}
		f.Status = &st
	}
	if slug := q.str("category"); slug != "" {
		cat, err := a.guides.CategoryBySlug(ctx, slug)
		if apperr.IsKind(err, apperr.NotFound) {
			q.fields.Add("category", "unknown", "no such category")
		} else if err != nil {
			return err
		} else {
			f.CategoryID = &cat.ID
		}
	}
	if slug := q.str("technology"); slug != "" {
		t, err := a.guides.TechnologyBySlug(ctx, slug)
		if apperr.IsKind(err, apperr.NotFound) {
			q.fields.Add("technology", "unknown", "no such technology")
		} else if err != nil {
			return err
		} else {
			f.TechnologyID = &t.ID
		}
	}
	if err := q.err(); err != nil {
		return err
	}
	limit := f.Limit
	f.Limit++
	guides, err := a.guides.Guides(ctx, f)
	if err != nil {
		return err
	}
	resp, _ := page(guides, limit, func(g *guide.Guide) string { return g.ID }, func(g *guide.Guide) guideListItem {
		return guideListItem{guideAdminResponse: toGuideAdminResponse(g, nil, 0), Slug: g.Slug, Title: g.Title,
			Summary: g.Summary, CategoryID: g.CategoryID}
	}, nil)
	if err := addTotal(withTotal, &resp, func() (int, error) { return a.guides.CountGuides(ctx, f) }); err != nil {
		return err
	}
	return c.JSON(resp)
}

func (a *API) writeDraft(c *fiber.Ctx, status int, d *guide.Draft) error {
	setVersionETag(c, d.Guide.Version)
	return c.Status(status).JSON(toGuideAdminResponse(d.Guide, d.Input, d.Revision))
}

func (a *API) handleGuideCreate(c *fiber.Ctx) error {
	var doc GuideDocument
	if err := decodeJSON(c, &doc); err != nil {
		return err
	}
	d, err := a.guides.CreateGuide(c.UserContext(), currentUser(c).ID, doc.Input())
	if err != nil {
		return err
	}
	c.Location("/api/v1/admin/guides/" + d.Guide.ID)
	return a.writeDraft(c, fiber.StatusCreated, d)
}

func (a *API) handleGuideGet(c *fiber.Ctx) error {
	d, err := a.guides.Guide(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return a.writeDraft(c, fiber.StatusOK, d)
}

func (a *API) handleGuideUpdate(c *fiber.Ctx) error {
	version, err := ifMatchVersion(c)
	if err != nil {
		return err
	}
	var doc GuideDocument
	if err := decodeJSON(c, &doc); err != nil {
		return err
	}
	d, err := a.guides.UpdateGuide(c.UserContext(), currentUser(c).ID, c.Params("id"), doc.Input(), version)
	if err != nil {
		return err
	}
	return a.writeDraft(c, fiber.StatusOK, d)
}

func (a *API) handleGuideDelete(c *fiber.Ctx) error {
	if err := a.guides.DeleteGuide(c.UserContext(), c.Params("id")); err != nil {
		return err
	}
	a.record(c, "guide.deleted", "guide", c.Params("id"), "")
	return c.SendStatus(fiber.StatusNoContent)
}

// guideAction is the handler of a workflow step that needs only the version.
func guideAction(action string, step func(a *API, c *fiber.Ctx, version int) (*guide.Guide, error)) func(*API, *fiber.Ctx) error {
	return func(a *API, c *fiber.Ctx) error {
		version, err := ifMatchVersion(c)
		if err != nil {
			return err
		}
		g, err := step(a, c, version)
		if err != nil {
			return err
		}
		a.record(c, "guide."+action, "guide", g.ID, g.Slug)
		setVersionETag(c, g.Version)
		return c.JSON(toGuideAdminResponse(g, nil, 0))
	}
}

func guidePublish(a *API, c *fiber.Ctx, version int) (*guide.Guide, error) {
	return a.guides.Publish(c.UserContext(), currentUser(c).ID, c.Params("id"), version)
}

func guideUnpublish(a *API, c *fiber.Ctx, version int) (*guide.Guide, error) {
	return a.guides.Unpublish(c.UserContext(), c.Params("id"), version)
}

func guideArchive(a *API, c *fiber.Ctx, version int) (*guide.Guide, error) {
	return a.guides.Archive(c.UserContext(), c.Params("id"), version)
}

type scheduleRequest struct {
	PublishAt *time.Time `json:"publish_at"`
}

func guideSchedule(a *API, c *fiber.Ctx, version int) (*guide.Guide, error) {
	var req scheduleRequest
	if err := decodeJSON(c, &req); err != nil {
		return nil, err
	}
	if req.PublishAt == nil {
		return nil, apperr.Fields{{Field: "publish_at", Code: "required", Message: "is required"}}.Err()
	}
	return a.guides.Schedule(c.UserContext(), c.Params("id"), *req.PublishAt, version)
}

func guideUnschedule(a *API, c *fiber.Ctx, version int) (*guide.Guide, error) {
	return a.guides.Unschedule(c.UserContext(), c.Params("id"), version)
}

func (a *API) handleGuideRevisions(c *fiber.Ctx) error {
	revs, err := a.guides.Revisions(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	resp := listResponse[revisionResponse]{Data: make([]revisionResponse, 0, len(revs))}
	for _, r := range revs {
		resp.Data = append(resp.Data, revisionResponse{Number: r.Number, Action: r.Action, AuthorID: r.AuthorID, CreatedAt: r.CreatedAt})
	}
	return c.JSON(resp)
}

func revisionNumber(c *fiber.Ctx) (int, error) {
	n, err := strconv.Atoi(c.Params("number"))
	if err != nil || n < 1 || n > math.MaxInt32 { // a 32-bit column: larger cannot exist
		return 0, apperr.New(apperr.NotFound, "no such revision")
	}
	return n, nil
}

func (a *API) handleGuideRevisionGet(c *fiber.Ctx) error {
	n, err := revisionNumber(c)
	if err != nil {
		return err
	}
	rev, in, err := a.guides.RevisionInput(c.UserContext(), c.Params("id"), n)
	if err != nil {
		return err
	}
	doc := toGuideDocument(in)
	return c.JSON(revisionResponse{Number: rev.Number, Action: rev.Action, AuthorID: rev.AuthorID, CreatedAt: rev.CreatedAt, Document: &doc})
}

func (a *API) handleGuideRevisionRestore(c *fiber.Ctx) error {
	version, err := ifMatchVersion(c)
	if err != nil {
		return err
	}
	n, err := revisionNumber(c)
	if err != nil {
		return err
	}
	d, err := a.guides.Restore(c.UserContext(), currentUser(c).ID, c.Params("id"), n, version)
	if err != nil {
		return err
	}
	a.record(c, "guide.restored", "guide", d.Guide.ID, fmt.Sprintf("revision %d as %d", n, d.Revision))
	return a.writeDraft(c, fiber.StatusOK, d)
}

// handleGuidePreview renders the draft exactly as the public API would.
func (a *API) handleGuidePreview(c *fiber.Ctx) error {
	q := newQuery(c)
	loc := q.str("locale")
	if err := q.err(); err != nil {
		return err
	}
	if loc != "" { // a translation's draft over the guide's draft
		v, err := a.guides.PreviewTranslation(c.UserContext(), c.Params("id"), loc)
		if err != nil {
			return err
		}
		return c.JSON(a.publicGuide(v))
	}
	v, err := a.guides.PreviewGuideByID(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(a.publicGuide(v))
}
