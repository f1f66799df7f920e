package httpapi_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"

	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
	"github.com/verdict-cms/verdict/internal/guide"
)

func decodePNG(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	if s := img.Bounds().Size(); s.X != 1200 || s.Y != 630 {
		t.Fatalf("size %v, want 1200x630", s)
	}
	return img
}

// TestOGImage: the card is cached with validators and redrawn when content
// changes, here when Node.js gets an uploaded logo.
func TestOGImage(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e, tok := seededSite(t, db)
		res := e.do("GET", "/og/node-vs-django.png", "", nil).wantStatus(200)
		if ct := res.header.Get("Content-Type"); ct != "image/png" {
			t.Fatalf("Content-Type=%q", ct)
		}
		before := decodePNG(t, res.body)
		e.do("GET", "/og/node-vs-django.png", "", nil, "If-None-Match", res.header.Get("ETag")).wantStatus(304)
		e.do("GET", "/og/nope.png", "", nil).problem(404)

		// Upload a solid green logo and give it to Node.js.
		logo := image.NewRGBA(image.Rect(0, 0, 32, 32))
		for i := range logo.Pix {
			logo.Pix[i] = []byte{0, 0xc0, 0, 0xff}[i%4]
		}
		var raw bytes.Buffer
		if err := png.Encode(&raw, logo); err != nil {
			t.Fatal(err)
		}
		body, ct := multipartFile(t, "node.png", raw.Bytes())
		var item struct{ URL string }
		e.do("POST", "/api/v1/admin/media", tok, body, "Content-Type", ct).wantStatus(201).decode(&item)
		node, err := e.guides.TechnologyBySlug(t.Context(), "nodejs")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.guides.UpdateTechnology(t.Context(), node.ID, guide.TechnologyInput{Slug: node.Slug, Name: node.Name,
			Description: node.Description, Language: node.Language, WebsiteURL: node.WebsiteURL, LogoURL: item.URL}, node.Version); err != nil {
			t.Fatal(err)
		}
		after := e.do("GET", "/og/node-vs-django.png", "", nil, "If-None-Match", res.header.Get("ETag")).wantStatus(200)
		img := decodePNG(t, after.body)
		green := func(im image.Image) int {
			n := 0
			for y := 630 - 190; y < 630-94; y++ {
				for x := 96; x < 400; x++ {
					if c := color.RGBAModel.Convert(im.At(x, y)).(color.RGBA); c.G > 0xa0 && c.R < 0x40 && c.B < 0x40 {
						n++
					}
				}
			}
			return n
		}
		if g0, g1 := green(before), green(img); g0 != 0 || g1 < 64*64/2 {
			t.Fatalf("green logo pixels before %d, after %d", g0, g1)
		}
	})
}
