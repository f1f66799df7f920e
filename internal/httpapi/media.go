package httpapi

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime/multipart"
	"strings"
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

// multipartSlack is what a multipart envelope may add to a file's size.
const multipartSlack = 64 << 10

// handleMediaUpload takes one image as the multipart field "file". The body
// is streamed into a temporary file, never held in memory whole.
func (a *API) handleMediaUpload(c *fiber.Ctx) error {
	if n := c.Request().Header.ContentLength(); n > int(a.opts.MediaMaxBytes)+multipartSlack {
		return tooLarge(int(a.opts.MediaMaxBytes))
	}
	part, err := uploadPart(c)
	if err != nil {
		return err
	}
	spooled, err := media.Spool(part, a.opts.MediaMaxBytes)
	if err != nil {
		return err
	}
	defer spooled.Close()
	// The client's upload may have used up the request's deadline: the
	// database work gets one of its own.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.UserContext()), a.opts.RequestTimeout)
	defer cancel()
	item, err := a.media.Upload(ctx, currentUser(c).ID, part.FileName(), spooled, spooled.Size)
	if err != nil {
		return err
	}
	a.record(c, "media.uploaded", "media", item.ID, item.OriginalName)
	c.Location(item.URL())
	return c.Status(fiber.StatusCreated).JSON(toMediaResponse(item))
}

// uploadPart finds the "file" part of a multipart body, reading the body
// as a stream.
func uploadPart(c *fiber.Ctx) (*multipart.Part, error) {
	missing := apperr.Fields{{Field: "file", Code: "required", Message: "send the image as multipart/form-data field \"file\""}}.Err()
	boundary := string(c.Request().Header.MultipartFormBoundary())
	if boundary == "" {
		return nil, missing
	}
	body := c.Request().BodyStream()
	if body == nil {
		body = bytes.NewReader(c.Body())
	}
	mr := multipart.NewReader(body, boundary)
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, missing
		}
		if err != nil {
			return nil, apperr.Fields{{Field: "file", Code: "invalid", Message: "the upload could not be read"}}.Err()
		}
		if p.FormName() == "file" {
			return p, nil
		}
	}
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
// with a CSP that keeps a browser from running anything in it. The bytes
// are streamed from storage while they are sent.
func (a *API) handleMediaGet(c *fiber.Ctx) error {
	item, err := a.media.Find(c.UserContext(), c.Params("name"))
	if err != nil {
		return err
	}
	etag := `"` + item.ID + `"`
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	c.Set(fiber.HeaderETag, etag)
	c.Set(fiber.HeaderContentSecurityPolicy, "default-src 'none'; sandbox")
	if etagMatches(c.Get(fiber.HeaderIfNoneMatch), etag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	r, err := a.media.Content(c.UserContext(), item)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, item.ContentType)
	c.Context().SetBodyStream(r, int(item.Size)) // fasthttp closes r when sent
	return nil
}

// limitJSONBody applies VERDICT_BODY_LIMIT to every /api/v1 route but the
// upload, which streams its body and bounds it itself. Request bodies are
// streamed (the server's own limit does not apply to them), so the limit is
// checked on Content-Length before anything reads the body, and a chunked
// body is read only up to the limit.
func (a *API) limitJSONBody(c *fiber.Ctx) error {
	if c.Method() == fiber.MethodPost && strings.TrimSuffix(c.Path(), "/") == "/api/v1/admin/media" {
		return c.Next()
	}
	limit := a.opts.BodyLimit
	req := c.Request()
	if n := req.Header.ContentLength(); n > limit {
		return tooLarge(limit)
	}
	if req.IsBodyStream() && req.Header.ContentLength() < 0 {
		body, err := io.ReadAll(io.LimitReader(req.BodyStream(), int64(limit)+1))
		if err != nil {
			return apperr.Wrap(apperr.Invalid, err, "the request body could not be read")
		}
		if len(body) > limit {
			return tooLarge(limit)
		}
		req.SetBodyRaw(body)
	}
	if err := refuseUnstorableBody(c); err != nil {
		return err
	}
	return c.Next()
}

// tooLarge refuses a body over limit; frame then drops the unread rest.
func tooLarge(limit int) error {
	return apperr.New(apperr.TooLarge, "the request body is larger than %d bytes", limit)
}
