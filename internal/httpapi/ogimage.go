package httpapi

import (
	"bytes"
	"image"
	_ "image/gif" // decoders for the logo formats media accepts
	_ "image/jpeg"
	_ "image/png"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	_ "golang.org/x/image/webp"

	"github.com/verdict-cms/verdict/internal/ogimage"
)

var mimePNG = []byte("image/png")

// handleOGImage serves a guide's Open Graph card from the public cache, so
// it is drawn once per publish: publishing drops the cache.
func (a *API) handleOGImage(c *fiber.Ctx) error {
	slug := strings.Clone(c.Params("slug"))
	return a.serveCached(c, "og:"+slug, mimePNG, func() ([]byte, time.Time, error) {
		v, err := a.guides.PublishedGuide(c.UserContext(), slug)
		if err != nil {
			return nil, time.Time{}, err
		}
		card := ogimage.Card{Title: v.Document.Title, Category: v.Category.Name}
		if u, err := url.Parse(a.site.SiteURL()); err == nil {
			card.Site = u.Host
		}
		for _, o := range v.Document.Options {
			t := v.Technologies[o.TechnologyID]
			if t == nil {
				continue
			}
			card.Options = append(card.Options, ogimage.Option{Name: t.Name, Logo: a.logo(c, t.LogoURL)})
		}
		var out bytes.Buffer
		err = ogimage.Render(&out, card)
		return out.Bytes(), v.PublishedAt, err
	})
}

// logo decodes an uploaded logo; anything else (an outside URL, which the
// server will not fetch, or an unreadable file) draws no logo.
func (a *API) logo(c *fiber.Ctx, logoURL string) image.Image {
	name, ok := strings.CutPrefix(logoURL, "/media/")
	if !ok || a.media == nil {
		return nil
	}
	item, err := a.media.Find(c.UserContext(), name)
	if err != nil {
		return nil
	}
	r, err := a.media.Content(c.UserContext(), item)
	if err != nil {
		return nil
	}
	defer r.Close()
	img, _, err := image.Decode(r)
	if err != nil {
		a.log.Warn("og image: undecodable logo", "logo", logoURL, "err", err)
		return nil
	}
	return img
}
