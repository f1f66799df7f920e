package httpapi_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
	"github.com/verdict-cms/verdict/internal/httpapi"
	"github.com/verdict-cms/verdict/internal/store"
)

// renderedCount counts published guides with and without a stored rendering.
func renderedCount(t *testing.T, db *database.DB) (rendered, pending int) {
	t.Helper()
	var n struct{ Rendered, Pending int }
	if err := db.DB.Raw(`SELECT COUNT(public_json) AS rendered, COUNT(*) - COUNT(public_json) AS pending FROM published_guides`).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n.Rendered, n.Pending
}

func storedJSON(t *testing.T, db *database.DB, slug string) []byte {
	t.Helper()
	var b []byte
	if err := db.DB.Raw("SELECT public_json FROM published_guides WHERE slug = ?", slug).Row().Scan(&b); err != nil {
		t.Fatal(err)
	}
	return b
}

// TestRenderedGuideMiss checks that a cache miss serves the stored bytes,
// and that every change a guide shows clears its rendering.
func TestRenderedGuideMiss(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		c := newContent(t, db)
		if _, pending := renderedCount(t, db); pending == 0 {
			t.Fatal("seeded guides start rendered: nothing to test")
		}
		if n, err := c.renderer.RenderPending(t.Context()); err != nil || n == 0 {
			t.Fatalf("RenderPending = %d, %v", n, err)
		}
		if _, pending := renderedCount(t, db); pending != 0 {
			t.Fatalf("%d guides left unrendered", pending)
		}
		first := c.do("GET", "/api/v1/guides/node-vs-django", "", nil).wantStatus(200)

		// The miss path reads the stored bytes and nothing else.
		if err := db.DB.Exec("UPDATE published_guides SET public_json = ? WHERE slug = ?", []byte(`{"stored":true}`), "node-vs-django").Error; err != nil {
			t.Fatal(err)
		}
		c.cache.Invalidate()
		if got := string(c.do("GET", "/api/v1/guides/node-vs-django", "", nil).wantStatus(200).body); got != `{"stored":true}` {
			t.Fatalf("miss served %.80q, not the stored rendering", got)
		}
		if err := db.DB.Exec("UPDATE published_guides SET public_json = NULL WHERE slug = ?", "node-vs-django").Error; err != nil {
			t.Fatal(err)
		}
		c.cache.Invalidate()
		again := c.do("GET", "/api/v1/guides/node-vs-django", "", nil).wantStatus(200)
		if string(again.body) != string(first.body) || again.header.Get("ETag") != first.header.Get("ETag") {
			t.Fatal("a rendering made on a miss differs from the first")
		}
		if storedJSON(t, db, "node-vs-django") == nil {
			t.Fatal("a miss did not store its rendering")
		}

		// A guide in backend that lists react-vs-nextjs (frontend) as related.
		g := c.create(doc("x-vs-y", "X vs Y"))
		c.act(g, "publish", nil)
		var cats struct {
			Data []struct {
				ID      string `json:"id"`
				Slug    string `json:"slug"`
				Version int    `json:"version"`
			}
		}
		c.do("GET", "/api/v1/admin/categories", c.tok, nil).wantStatus(200).decode(&cats)
		for _, cat := range cats.Data {
			if cat.Slug != "frontend" {
				continue
			}
			c.public("x-vs-y")
			if storedJSON(t, db, "x-vs-y") == nil {
				t.Fatal("x-vs-y not rendered")
			}
			c.do("PUT", "/api/v1/admin/categories/"+cat.ID, c.tok, map[string]any{"slug": "frontend", "name": "Front end"},
				"If-Match", fmt.Sprintf(`"%d"`, cat.Version)).wantStatus(200)
			if storedJSON(t, db, "x-vs-y") != nil || storedJSON(t, db, "react-vs-nextjs") != nil {
				t.Fatal("a category rename left renderings of guides that show it")
			}
			x, _ := c.public("x-vs-y")
			if len(x.Related) != 1 || x.Related[0].Category.Name != "Front end" {
				t.Fatalf("related after the rename: %+v", x.Related)
			}
		}
	})
}

// TestRenderedGuideStaleSave checks that a rendering begun before a change
// is not stored after it.
func TestRenderedGuideStaleSave(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		c := newContent(t, db)
		rs := store.RenderedStore{Store: store.New(db)}
		r, err := rs.FindRenderedBySlug(t.Context(), "node-vs-django")
		if err != nil {
			t.Fatal(err)
		}
		var list struct{ Data []adminGuide }
		c.do("GET", "/api/v1/admin/guides?q=Firebase", c.tok, nil).wantStatus(200).decode(&list)
		c.act(list.Data[0], "unpublish", nil) // a guide node-vs-django lists as related
		r.Body, r.ETag, r.Key = []byte(`{"stale":true}`), `"x"`, "k"
		if n, err := rs.SaveRendered(t.Context(), r); err != nil || n != 0 {
			t.Fatalf("SaveRendered of a stale rendering = %d, %v", n, err)
		}
		r, _ = rs.FindRenderedBySlug(t.Context(), "node-vs-django")
		r.Body, r.ETag, r.Key = []byte(`{"fresh":true}`), `"x"`, "k"
		if n, err := rs.SaveRendered(t.Context(), r); err != nil || n != 1 {
			t.Fatalf("SaveRendered of a current rendering = %d, %v", n, err)
		}
	})
}

// TestRenderedGuideSettings checks that renderings made with another site
// URL are made again.
func TestRenderedGuideSettings(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		c := newContent(t, db)
		if _, err := c.renderer.RenderPending(t.Context()); err != nil {
			t.Fatal(err)
		}
		rs := store.RenderedStore{Store: store.New(db)}
		other := httpapi.NewGuideRenderer(c.guides, rs, "https://guides.example.org", quietLog())
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan struct{})
		go func() { defer close(done); other.Run(ctx) }()
		deadline := time.Now().Add(10 * time.Second)
		for !bytes.Contains(storedJSON(t, db, "node-vs-django"), []byte("https://guides.example.org/g/node-vs-django")) {
			if time.Now().After(deadline) {
				t.Fatal("renderings with the old site URL were not made again")
			}
			time.Sleep(20 * time.Millisecond)
		}
		cancel()
		<-done
		if _, pending := renderedCount(t, db); pending != 0 {
			t.Fatalf("%d guides left unrendered", pending)
		}
	})
}

// TestRenderedConcurrentMisses: misses arriving together share batched
// reads, and each still gets its own guide's bytes and validators, the
// same as a read alone (and a 404 for a slug nobody published).
func TestRenderedConcurrentMisses(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		c := newContent(t, db)
		if _, err := c.renderer.RenderPending(t.Context()); err != nil {
			t.Fatal(err)
		}
		var slugs []string
		if err := db.DB.Raw("SELECT slug FROM published_guides ORDER BY slug").Scan(&slugs).Error; err != nil || len(slugs) < 2 {
			t.Fatalf("slugs %v, err %v", slugs, err)
		}
		alone := map[string]response{}
		for _, s := range slugs {
			c.cache.Invalidate()
			alone[s] = c.do("GET", "/api/v1/guides/"+s, "", nil).wantStatus(200)
		}
		slugs = append(slugs, "nobody-published-this")
		c.cache.Invalidate()
		type result struct {
			slug, etag string
			status     int
			body       []byte
		}
		results := make(chan result, 8*len(slugs))
		var wg sync.WaitGroup
		for range 8 {
			for _, s := range slugs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					res, err := c.app.Test(httptest.NewRequest("GET", "/api/v1/guides/"+s, nil), 10_000)
					if err != nil {
						results <- result{slug: s}
						return
					}
					defer res.Body.Close()
					body, _ := io.ReadAll(res.Body)
					results <- result{slug: s, etag: res.Header.Get("ETag"), status: res.StatusCode, body: body}
				}()
			}
		}
		wg.Wait()
		close(results)
		for r := range results {
			want, published := alone[r.slug]
			switch {
			case !published && r.status != 404:
				t.Errorf("%s: status %d, want 404", r.slug, r.status)
			case published && (r.status != 200 || r.etag != want.header.Get("ETag") || !bytes.Equal(r.body, want.body)):
				t.Errorf("%s: status %d, ETag %s (alone %s), same body %t", r.slug, r.status, r.etag, want.header.Get("ETag"), bytes.Equal(r.body, want.body))
			}
		}
	})
}
