package httpapi

import (
	"slices"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/verdict-cms/verdict/internal/guide"
)

type categoryResponse struct {
	ID          string    `json:"id"`
	Slug        string    `json:"slug"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Position    int       `json:"position"`
	Version     int       `json:"version"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

func toCategoryResponse(c *guide.Category) categoryResponse {
	return categoryResponse{ID: c.ID, Slug: c.Slug, Name: c.Name, Description: c.Description, Position: c.Position,
		Version: c.Version, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
}

// CategoryRequest is a category as editors send it.
type CategoryRequest struct {
	Slug        string `json:"slug"`
	Name        string `json:"name"`
	Description string `json:"description" openapi:"optional"`
	Position    int    `json:"position" openapi:"optional"`
}

type technologyResponse struct {
	ID          string    `json:"id"`
	Slug        string    `json:"slug"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Language    string    `json:"language"`
	WebsiteURL  string    `json:"website_url"`
	LogoURL     string    `json:"logo_url"`
	Version     int       `json:"version"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

func toTechnologyResponse(t *guide.Technology) technologyResponse {
	return technologyResponse{ID: t.ID, Slug: t.Slug, Name: t.Name, Description: t.Description, Language: t.Language,
		WebsiteURL: t.WebsiteURL, LogoURL: t.LogoURL, Version: t.Version, CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt}
}

// TechnologyRequest is a technology as editors send it.
type TechnologyRequest struct {
	Slug        string `json:"slug"`
	Name        string `json:"name"`
	Description string `json:"description" openapi:"optional"`
	Language    string `json:"language" openapi:"optional"`
	WebsiteURL  string `json:"website_url" openapi:"optional"`
	LogoURL     string `json:"logo_url" openapi:"optional"`
}

func setVersionETag(c *fiber.Ctx, version int) {
	c.Set(fiber.HeaderETag, strconv.Quote(strconv.Itoa(version)))
}

func (a *API) handleCategoryList(c *fiber.Ctx) error {
	q := newQuery(c)
	limit, after := q.limit(), q.cursor()
	if err := q.err(); err != nil {
		return err
	}
	resp, _, err := a.categoryPage(c, limit, after)
	if err != nil {
		return err
	}
	return c.JSON(resp)
}

// categoryPage lists categories in display order. There are few, so the
// page is cut from the full list; the cursor is the last category's ID.
func (a *API) categoryPage(c *fiber.Ctx, limit int, after string) (listResponse[categoryResponse], time.Time, error) {
	cats, err := a.guides.Categories(c.UserContext())
	if err != nil {
		return listResponse[categoryResponse]{}, time.Time{}, err
	}
	if after != "" {
		i := slices.IndexFunc(cats, func(x *guide.Category) bool { return x.ID == after })
		cats = cats[i+1:] // an unknown cursor (i = -1) starts over
	}
	resp, modified := page(cats, limit, categoryID, toCategoryResponse, categoryUpdated)
	return resp, modified, nil
}

func (a *API) handleCategoryCreate(c *fiber.Ctx) error {
	var req CategoryRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	cat, err := a.guides.CreateCategory(c.UserContext(), guide.CategoryInput(req))
	if err != nil {
		return err
	}
	c.Location("/api/v1/admin/categories/" + cat.ID)
	setVersionETag(c, cat.Version)
	return c.Status(fiber.StatusCreated).JSON(toCategoryResponse(cat))
}

func (a *API) handleCategoryGet(c *fiber.Ctx) error {
	cat, err := a.guides.Category(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	setVersionETag(c, cat.Version)
	return c.JSON(toCategoryResponse(cat))
}

func (a *API) handleCategoryUpdate(c *fiber.Ctx) error {
	version, err := ifMatchVersion(c)
	if err != nil {
		return err
	}
	var req CategoryRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	cat, err := a.guides.UpdateCategory(c.UserContext(), c.Params("id"), guide.CategoryInput(req), version)
	if err != nil {
		return err
	}
	setVersionETag(c, cat.Version)
	return c.JSON(toCategoryResponse(cat))
}

func (a *API) handleCategoryDelete(c *fiber.Ctx) error {
	if err := a.guides.DeleteCategory(c.UserContext(), c.Params("id")); err != nil {
		return err
	}
	a.record(c, "category.deleted", "category", c.Params("id"), "")
	return c.SendStatus(fiber.StatusNoContent)
}

func (a *API) handleTechnologyList(c *fiber.Ctx) error {
	q := newQuery(c)
	limit, after := q.limit(), q.cursor()
	if err := q.err(); err != nil {
		return err
	}
	resp, _, err := a.technologyPage(c, limit, after)
	if err != nil {
		return err
	}
	return c.JSON(resp)
}

// technologyPage lists technologies by slug; the cursor is the last slug.
func (a *API) technologyPage(c *fiber.Ctx, limit int, after string) (listResponse[technologyResponse], time.Time, error) {
	techs, err := a.guides.Technologies(c.UserContext(), after, limit+1)
	if err != nil {
		return listResponse[technologyResponse]{}, time.Time{}, err
	}
	resp, modified := page(techs, limit, func(t *guide.Technology) string { return t.Slug }, toTechnologyResponse,
		func(t *guide.Technology) time.Time { return t.UpdatedAt })
	return resp, modified, nil
}

func categoryID(c *guide.Category) string { return c.ID }

func categoryUpdated(c *guide.Category) time.Time { return c.UpdatedAt }

func (a *API) handleTechnologyCreate(c *fiber.Ctx) error {
	var req TechnologyRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	t, err := a.guides.CreateTechnology(c.UserContext(), guide.TechnologyInput(req))
	if err != nil {
		return err
	}
	c.Location("/api/v1/admin/technologies/" + t.ID)
	setVersionETag(c, t.Version)
	return c.Status(fiber.StatusCreated).JSON(toTechnologyResponse(t))
}

func (a *API) handleTechnologyGet(c *fiber.Ctx) error {
	t, err := a.guides.Technology(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	setVersionETag(c, t.Version)
	return c.JSON(toTechnologyResponse(t))
}

func (a *API) handleTechnologyUpdate(c *fiber.Ctx) error {
	version, err := ifMatchVersion(c)
	if err != nil {
		return err
	}
	var req TechnologyRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	t, err := a.guides.UpdateTechnology(c.UserContext(), c.Params("id"), guide.TechnologyInput(req), version)
	if err != nil {
		return err
	}
	setVersionETag(c, t.Version)
	return c.JSON(toTechnologyResponse(t))
}

func (a *API) handleTechnologyDelete(c *fiber.Ctx) error {
	if err := a.guides.DeleteTechnology(c.UserContext(), c.Params("id")); err != nil {
		return err
	}
	a.record(c, "technology.deleted", "technology", c.Params("id"), "")
	return c.SendStatus(fiber.StatusNoContent)
}
