package httpapi

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/guide"
)

// translationTexts is a translation's editable document: every text of a
// guide, none of its structure (see guide.Texts).
type translationTexts = guide.Texts

// translationResponse is a guide's translation into one locale, with the
// source's current texts beside it and what changed in them since the
// translation was last saved or reviewed.
type translationResponse struct {
	Locale      string            `json:"locale"`
	Exists      bool              `json:"exists"`
	Status      string            `json:"status"`
	Version     int               `json:"version"`
	Slug        string            `json:"slug"`
	Title       string            `json:"title"`
	Revision    int               `json:"revision,omitempty"`
	OutOfDate   []string          `json:"out_of_date"`
	PublishedAt *time.Time        `json:"published_at"`
	ScheduledAt *time.Time        `json:"scheduled_at"`
	UpdatedAt   *time.Time        `json:"updated_at"`
	Texts       *translationTexts `json:"texts,omitempty"`
	Source      *translationTexts `json:"source,omitempty"`
}

func toTranslationResponse(d *guide.TranslationDraft, full bool) translationResponse {
	t := d.Translation
	r := translationResponse{Locale: t.Locale, Exists: t.Version > 0, Status: string(t.Status), Version: t.Version,
		Slug: t.Slug, Title: t.Title, Revision: d.Revision, OutOfDate: d.OutOfDate, PublishedAt: t.PublishedAt, ScheduledAt: t.ScheduledAt}
	if r.OutOfDate == nil {
		r.OutOfDate = []string{}
	}
	if r.Exists {
		at := t.UpdatedAt
		r.UpdatedAt = &at
	} else {
		r.Status = "missing"
	}
	if full {
		texts, src := d.Texts, d.Source
		r.Texts, r.Source = &texts, &src
	}
	return r
}

func (a *API) handleTranslationList(c *fiber.Ctx) error {
	ds, err := a.guides.Translations(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	resp := listResponse[translationResponse]{Data: make([]translationResponse, 0, len(ds))}
	for _, d := range ds {
		resp.Data = append(resp.Data, toTranslationResponse(d, false))
	}
	return c.JSON(resp)
}

func (a *API) writeTranslation(c *fiber.Ctx, status int, d *guide.TranslationDraft) error {
	setVersionETag(c, d.Translation.Version)
	return c.Status(status).JSON(toTranslationResponse(d, true))
}

func (a *API) handleTranslationGet(c *fiber.Ctx) error {
	d, err := a.guides.Translation(c.UserContext(), c.Params("id"), c.Params("locale"))
	if err != nil {
		return err
	}
	if d.Translation.Version == 0 {
		return c.JSON(toTranslationResponse(d, true)) // exists: false, no version to match
	}
	return a.writeTranslation(c, fiber.StatusOK, d)
}

// handleTranslationPut saves a translation's draft; without If-Match it
// creates the translation (201), and is a 409 if it exists.
func (a *API) handleTranslationPut(c *fiber.Ctx) error {
	version := 0
	if strings.TrimSpace(c.Get(fiber.HeaderIfMatch)) != "" {
		v, err := ifMatchVersion(c)
		if err != nil {
			return err
		}
		version = v
	}
	var texts translationTexts
	if err := decodeJSON(c, &texts); err != nil {
		return err
	}
	d, created, err := a.guides.SaveTranslation(c.UserContext(), currentUser(c).ID, c.Params("id"), c.Params("locale"), texts, version)
	if err != nil {
		return err
	}
	status := fiber.StatusOK
	if created {
		status = fiber.StatusCreated
		c.Location("/api/v1/admin/guides/" + d.Translation.GuideID + "/translations/" + d.Translation.Locale)
	}
	a.record(c, "guide.translation.saved", "guide", d.Translation.GuideID, d.Translation.Locale)
	return a.writeTranslation(c, status, d)
}

func (a *API) handleTranslationDelete(c *fiber.Ctx) error {
	if err := a.guides.DeleteTranslation(c.UserContext(), c.Params("id"), c.Params("locale")); err != nil {
		return err
	}
	a.record(c, "guide.translation.deleted", "guide", c.Params("id"), c.Params("locale"))
	return c.SendStatus(fiber.StatusNoContent)
}

// translationAction runs a translation workflow step at If-Match.
func translationAction(action string, step func(a *API, c *fiber.Ctx, version int) (*guide.TranslationDraft, error)) func(*API, *fiber.Ctx) error {
	return func(a *API, c *fiber.Ctx) error {
		version, err := ifMatchVersion(c)
		if err != nil {
			return err
		}
		d, err := step(a, c, version)
		if err != nil {
			return err
		}
		a.record(c, "guide.translation."+action, "guide", d.Translation.GuideID, d.Translation.Locale)
		return a.writeTranslation(c, fiber.StatusOK, d)
	}
}

func translationPublish(a *API, c *fiber.Ctx, version int) (*guide.TranslationDraft, error) {
	return a.guides.PublishTranslation(c.UserContext(), c.Params("id"), c.Params("locale"), version)
}

func translationUnpublish(a *API, c *fiber.Ctx, version int) (*guide.TranslationDraft, error) {
	return a.guides.UnpublishTranslation(c.UserContext(), c.Params("id"), c.Params("locale"), version)
}

func translationReview(a *API, c *fiber.Ctx, version int) (*guide.TranslationDraft, error) {
	return a.guides.ReviewTranslation(c.UserContext(), c.Params("id"), c.Params("locale"), version)
}

func translationSchedule(a *API, c *fiber.Ctx, version int) (*guide.TranslationDraft, error) {
	var req scheduleRequest
	if err := decodeJSON(c, &req); err != nil {
		return nil, err
	}
	if req.PublishAt == nil {
		return nil, apperr.Fields{{Field: "publish_at", Code: "required", Message: "is required"}}.Err()
	}
	return a.guides.ScheduleTranslation(c.UserContext(), c.Params("id"), c.Params("locale"), *req.PublishAt, version)
}

func (a *API) handleTranslationRevisions(c *fiber.Ctx) error {
	revs, err := a.guides.TranslationRevisions(c.UserContext(), c.Params("id"), c.Params("locale"))
	if err != nil {
		return err
	}
	resp := listResponse[revisionResponse]{Data: make([]revisionResponse, 0, len(revs))}
	for _, r := range revs {
		resp.Data = append(resp.Data, revisionResponse{Number: r.Number, Action: r.Action, AuthorID: r.AuthorID, CreatedAt: r.CreatedAt})
	}
	return c.JSON(resp)
}

// nameTranslation is a category's or technology's name in one locale.
type nameTranslation struct {
	Locale      string `json:"locale"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

type nameTranslationRequest struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

func nameTranslationList(kind guide.NameKind) func(*API, *fiber.Ctx) error {
	return func(a *API, c *fiber.Ctx) error {
		m, err := a.guides.NameTranslations(c.UserContext(), kind, c.Params("id"))
		if err != nil {
			return err
		}
		resp := listResponse[nameTranslation]{Data: []nameTranslation{}}
		for _, loc := range a.guides.Locales().All()[1:] {
			if n, ok := m[loc]; ok {
				resp.Data = append(resp.Data, nameTranslation{Locale: loc, Name: n.Name, Description: n.Description})
			}
		}
		return c.JSON(resp)
	}
}

func nameTranslationPut(kind guide.NameKind) func(*API, *fiber.Ctx) error {
	return func(a *API, c *fiber.Ctx) error {
		var req nameTranslationRequest
		if err := decodeJSON(c, &req); err != nil {
			return err
		}
		n := guide.NameTexts{Name: strings.TrimSpace(req.Name), Description: req.Description}
		if err := a.guides.SetNameTranslation(c.UserContext(), kind, c.Params("id"), c.Params("locale"), n); err != nil {
			return err
		}
		loc, _ := a.guides.Locales().Lookup(c.Params("locale"))
		a.record(c, string(kind)+".translation.saved", string(kind), c.Params("id"), loc)
		return c.JSON(nameTranslation{Locale: loc, Name: n.Name, Description: n.Description})
	}
}

func nameTranslationDelete(kind guide.NameKind) func(*API, *fiber.Ctx) error {
	return func(a *API, c *fiber.Ctx) error {
		if err := a.guides.DeleteNameTranslation(c.UserContext(), kind, c.Params("id"), c.Params("locale")); err != nil {
			return err
		}
		a.record(c, string(kind)+".translation.deleted", string(kind), c.Params("id"), c.Params("locale"))
		return c.SendStatus(fiber.StatusNoContent)
	}
}
