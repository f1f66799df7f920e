package httpapi

import (
	"github.com/gofiber/fiber/v2"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/media"
)

type mediaUseResponse struct {
	Kind  string `json:"kind"` // guide, technology
	ID    string `json:"id"`
	Slug  string `json:"slug"`
	Title string `json:"title"`
	Where string `json:"where"` // draft, published, logo
}

func toMediaUses(uses []media.Use) []mediaUseResponse {
	return convert(uses, func(u media.Use) mediaUseResponse { return mediaUseResponse(u) })
}

// mediaID is the hash part of ":id", which may also be the file's public name.
func mediaID(c *fiber.Ctx) string {
	id := c.Params("id")
	if len(id) > 64 && id[64] == '.' {
		id = id[:64]
	}
	return id
}

func (a *API) handleMediaUses(c *fiber.Ctx) error {
	uses, err := a.mediaLibrary.Uses(c.UserContext(), mediaID(c))
	if err != nil {
		return err
	}
	return c.JSON(listResponse[mediaUseResponse]{Data: toMediaUses(uses)})
}

// handleMediaDelete refuses (409, used_by) while a guide or technology shows the file.
func (a *API) handleMediaDelete(c *fiber.Ctx) error {
	id := mediaID(c)
	err := a.mediaLibrary.Delete(c.UserContext(), id)
	if e, ok := apperr.As(err); ok && e.Kind == apperr.Conflict {
		if uses, ok := e.Extra["used_by"].([]media.Use); ok {
			e.Extra["used_by"] = toMediaUses(uses)
		}
	}
	if err != nil {
		return err
	}
	a.record(c, "media.deleted", "media", id, "")
	return c.SendStatus(fiber.StatusNoContent)
}
