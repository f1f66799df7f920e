package httpapi

import (
	"io"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/media"
)

type mediaResponse struct {
	ID           string    `json:"id"`
	URL          string    `json:"url"`
	ContentType  string    `json:"content_type"`
	Size         int64     `json:"size"`
	OriginalName string    `json:"original_name"`
	CreatedAt    time.Time `json:"created_at"`
}

func toMediaResponse(i *media.Item) mediaResponse {
	return mediaResponse{ID: i.ID, URL: i.URL(), ContentType: i.ContentType, Size: i.Size, OriginalName: i.OriginalName, CreatedAt: i.CreatedAt}
}

// handleMediaUpload takes one image as the multipart field "file".
func (a *API) handleMediaUpload(c *fiber.Ctx) error {
	fh, err := c.FormFile("file")
	if err != nil {
		return apperr.Fields{{Field: "file", Code: "required", Message: "send the image as multipart/form-data field \"file\""}}.Err()
	}
	f, err := fh.Open()
	if err != nil {
		return apperr.Fields{{Field: "file", Code: "invalid", Message: "the upload could not be read"}}.Err()
	}
	defer f.Close()
	content, err := io.ReadAll(io.LimitReader(f, a.opts.MediaMaxBytes+1))
	if err != nil {
		return err
	}
	item, err := a.media.Upload(c.UserContext(), currentUser(c).ID, fh.Filename, content)
	if err != nil {
		return err
	}
	a.record(c, "media.uploaded", "media", item.ID, item.OriginalName)
	c.Location(item.URL())
	return c.Status(fiber.StatusCreated).JSON(toMediaResponse(item))
}

func (a *API) handleMediaList(c *fiber.Ctx) error {
	q := newQuery(c)
	limit, before, search := q.limit(), q.cursor(), q.str("q")
	if err := q.err(); err != nil {
		return err
	}
	items, err := a.mediaLibrary.Search(c.UserContext(), search, before, limit+1)
	if err != nil {
		return err
	}
	resp, _ := page(items, limit, func(i *media.Item) string { return i.ID }, toMediaResponse, nil)
	return c.JSON(resp)
}

// handleMediaGet serves a file forever-cacheable (its name is its hash),
// with a CSP that keeps a browser from running anything in it.
func (a *API) handleMediaGet(c *fiber.Ctx) error {
	item, r, err := a.media.Open(c.UserContext(), c.Params("name"))
	if err != nil {
		return err
	}
	defer r.Close()
	body, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, item.ContentType)
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	c.Set(fiber.HeaderETag, `"`+item.ID+`"`)
	c.Set(fiber.HeaderContentSecurityPolicy, "default-src 'none'; sandbox")
	if etagMatches(c.Get(fiber.HeaderIfNoneMatch), `"`+item.ID+`"`) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	return c.Send(body)
}

// limitJSONBody applies the JSON body limit: the server's own limit is
// raised to fit image uploads, which only the media route accepts.
func (a *API) limitJSONBody(c *fiber.Ctx) error {
	if len(c.Body()) > a.opts.BodyLimit && !(c.Route().Path == "/api/v1/admin/media" && c.Method() == fiber.MethodPost) {
		return apperr.New(apperr.TooLarge, "the request body is larger than %d bytes", a.opts.BodyLimit)
	}
	return c.Next()
}
