package media_test

import (
	"bytes"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/auth"
	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
	"github.com/verdict-cms/verdict/internal/media"
	"github.com/verdict-cms/verdict/internal/store"
)

func pngBytes(t *testing.T, w int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, w, 1))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestServiceUpload(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		dir := t.TempDir()
		st := store.New(db)
		ed, _, err := auth.NewService(store.AuthStore{Store: st}, nil, mustHasher(t), nil, auth.Config{}, time.Now).
			CreateUser(t.Context(), auth.NewUser{Email: "ed@example.com", Role: auth.RoleEditor, Password: "correct horse battery"})
		if err != nil {
			t.Fatal(err)
		}
		svc := media.NewService(store.MediaStore{Store: st}, media.Disk{Dir: dir}, 4096, time.Now)
		logo := pngBytes(t, 8)
		for _, c := range []struct {
			name, file string
			content    []byte
			kind       apperr.Kind // 0: accepted
			field      string
		}{
			{"png", "logo.png", logo, 0, ""},
			{"the same bytes again: one file", "copy.png", logo, 0, ""},
			{"text named .png", "evil.png", []byte("hello, not an image"), apperr.Invalid, "file"},
			{"svg", "x.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), apperr.Invalid, "file"},
			{"too large", "big.png", append(pngBytes(t, 9), make([]byte, 4096)...), apperr.TooLarge, ""},
		} {
			t.Run(c.name, func(t *testing.T) {
				item, err := svc.Upload(t.Context(), ed.ID, c.file, bytes.NewReader(c.content), int64(len(c.content)))
				if c.kind != 0 {
					e, ok := apperr.As(err)
					if !ok || e.Kind != c.kind || (c.field != "" && (len(e.Fields) != 1 || e.Fields[0].Field != c.field)) {
						t.Fatalf("err %v, want kind %v on %q", err, c.kind, c.field)
					}
					return
				}
				if err != nil || item.ContentType != "image/png" || item.Size != int64(len(c.content)) || item.URL() != "/media/"+item.ID+".png" {
					t.Fatalf("item %+v, err %v", item, err)
				}
			})
		}
		files, _ := os.ReadDir(dir)
		if len(files) != 1 {
			t.Fatalf("%d files on disk, want 1 (content-addressed, no temporary left)", len(files))
		}
		list, err := svc.List(t.Context(), "", 10)
		if err != nil || len(list) != 1 || *list[0].CreatedByID != ed.ID {
			t.Fatalf("list %+v, err %v", list, err)
		}
		name := list[0].Name()
		for _, c := range []struct {
			name string
			ok   bool
		}{
			{name, true},
			{list[0].ID + ".jpg", false}, // right hash, wrong type
			{"../" + name, false},
			{filepath.Join("x", name), false},
			{"0000000000000000000000000000000000000000000000000000000000000000.png", false},
		} {
			item, err := svc.Find(t.Context(), c.name)
			if !c.ok {
				if !apperr.IsKind(err, apperr.NotFound) {
					t.Errorf("find %q: %v, want NotFound", c.name, err)
				}
				continue
			}
			if err != nil || item.ID != list[0].ID {
				t.Fatalf("find %q: %v", c.name, err)
			}
			r, err := svc.Content(t.Context(), item)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(r)
			r.Close()
			if !bytes.Equal(b, logo) {
				t.Errorf("content of %q differs", c.name)
			}
		}
	})
}

// TestOriginalNameCleaned: the client's name keeps no path or control
// characters and is bounded.
func TestOriginalNameCleaned(t *testing.T) {
	svc := media.NewService(store.MediaStore{Store: store.New(dbtest.SQLite(t))}, media.Disk{Dir: t.TempDir()}, 1<<20, time.Now)
	for i, c := range []struct{ in, want string }{
		{"../../etc/logo.png", "logo.png"},
		{"bad\x00na\x1bme.png", "badname.png"},
		{string(bytes.Repeat([]byte("a"), 300)), string(bytes.Repeat([]byte("a"), 200))},
	} {
		b := pngBytes(t, i+1)
		item, err := svc.Upload(t.Context(), "", c.in, bytes.NewReader(b), int64(len(b)))
		if err != nil || item.OriginalName != c.want || item.CreatedByID != nil {
			t.Errorf("%q: item %+v, err %v", c.in, item, err)
		}
	}
}

func mustHasher(t *testing.T) *auth.Hasher {
	t.Helper()
	h, err := auth.NewHasher(4)
	if err != nil {
		t.Fatal(err)
	}
	return h
}
