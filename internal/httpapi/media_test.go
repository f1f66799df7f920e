package httpapi_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
)

func pngBytes(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func multipartFile(t *testing.T, name string, content []byte) (string, string) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	fw, err := w.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(content)
	w.Close()
	return b.String(), w.FormDataContentType()
}

func TestMediaUpload(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		c := newContent(t, db)
		upload := func(name string, content []byte) response {
			body, ct := multipartFile(t, name, content)
			return c.do("POST", "/api/v1/admin/media", c.tok, body, "Content-Type", ct)
		}
		img := pngBytes(t)
		var item struct {
			ID          string `json:"id"`
			URL         string `json:"url"`
			ContentType string `json:"content_type"`
		}
		upload("../../logo.png", img).wantStatus(201).decode(&item)
		if !regexp.MustCompile(`^/media/[0-9a-f]{64}\.png$`).MatchString(item.URL) || item.ContentType != "image/png" {
			t.Fatalf("uploaded %+v", item)
		}
		res := c.do("GET", item.URL, "", nil).wantStatus(200)
		if !bytes.Equal(res.body, img) || res.header.Get("Content-Type") != "image/png" ||
			!strings.Contains(res.header.Get("Cache-Control"), "immutable") || !strings.Contains(res.header.Get("Content-Security-Policy"), "sandbox") {
			t.Fatalf("served %d bytes with %v", len(res.body), res.header)
		}
		if c.do("GET", item.URL, "", nil, "If-None-Match", res.header.Get("ETag")).status != http.StatusNotModified {
			t.Fatal("no 304 for a file the client has")
		}
		var again struct{ ID string }
		upload("copy.png", img).wantStatus(201).decode(&again)
		if again.ID != item.ID {
			t.Fatal("the same bytes were stored twice")
		}

		// The type comes from the bytes, never from the name or header.
		for name, content := range map[string][]byte{
			"evil.png":  []byte("<script>alert(1)</script>"),
			"image.svg": []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`),
		} {
			p := upload(name, content).problem(http.StatusBadRequest)
			if len(p.fields()) != 1 || p.fields()[0] != "file" {
				t.Errorf("%s: fields %v", name, p.fields())
			}
		}
		upload("huge.png", append(img, make([]byte, 1<<20)...)).problem(http.StatusRequestEntityTooLarge)
		c.do("POST", "/api/v1/admin/media", c.tok, map[string]string{"file": "x"}).problem(http.StatusBadRequest)
		c.do("GET", "/media/"+strings.Repeat("0", 64)+".png", "", nil).problem(http.StatusNotFound)
		c.do("GET", "/media/..%2F..%2Fetc%2Fpasswd", "", nil).problem(http.StatusNotFound)

		// An upload can be a technology's logo.
		var list struct{ Data []technologyDoc }
		c.do("GET", "/api/v1/admin/technologies?limit=1", c.tok, nil).wantStatus(200).decode(&list)
		tech := list.Data[0]
		c.do("PUT", "/api/v1/admin/technologies/"+tech.ID, c.tok, map[string]any{"slug": tech.Slug, "name": tech.Name, "logo_url": item.URL},
			"If-Match", `"1"`).wantStatus(200)
		var media struct{ Data []struct{ URL string } }
		c.do("GET", "/api/v1/admin/media", c.tok, nil).wantStatus(200).decode(&media)
		if len(media.Data) != 1 || media.Data[0].URL != item.URL {
			t.Fatalf("media list %+v", media.Data)
		}
	})
}

type technologyDoc struct {
	ID   string `json:"id"`
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// TestGuideTextReferencesMedia: guide text is Markdown, so an uploaded
// image is referenced by its URL.
func TestGuideTextReferencesMedia(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		c := newContent(t, db)
		body, ct := multipartFile(t, "diagram.png", pngBytes(t))
		var item struct{ URL string }
		c.do("POST", "/api/v1/admin/media", c.tok, body, "Content-Type", ct).wantStatus(201).decode(&item)
		d := doc("with-diagram", "With a diagram")
		d["summary"] = "How the two compare.\n\n![architecture](" + item.URL + ")"
		g := c.create(d)
		c.act(g, "publish", nil)
		if pub, _ := c.public("with-diagram"); !strings.Contains(pub.Summary, item.URL) {
			t.Fatalf("summary %q", pub.Summary)
		}
	})
}
