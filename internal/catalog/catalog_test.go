package catalog_test

import (
	"testing"
	"time"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/cache"
	"github.com/verdict-cms/verdict/internal/catalog"
	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
	"github.com/verdict-cms/verdict/internal/guide"
	"github.com/verdict-cms/verdict/internal/seed"
	"github.com/verdict-cms/verdict/internal/store"
)

// newCatalog returns a catalog over the seeded content, keeping its
// answers in a cache of maxBytes that the guide service invalidates, as in
// production.
func newCatalog(t *testing.T, db *database.DB, maxBytes int64) (*catalog.Catalog, *guide.Service, *cache.Cache[cache.Sized]) {
	t.Helper()
	guides := guide.NewService(store.GuideStore{Store: store.New(db)}, guide.CTA{Title: "Talk to us"}, time.Now)
	c := cache.New(cache.Options[cache.Sized]{MaxBytes: maxBytes, Cost: cache.SizeOf})
	cat := catalog.New(guides, c)
	guides.OnChange(c)
	if _, err := seed.Load(t.Context(), guides, ""); err != nil {
		t.Fatal(err)
	}
	return cat, guides, c
}

// closeDB closes the database under the catalog, so that only answers
// from memory succeed.
func closeDB(t *testing.T, db *database.DB) {
	t.Helper()
	sqlDB, err := db.DB.DB()
	if err != nil {
		t.Fatal(err)
	}
	if err := sqlDB.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestGuideForLead(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		cat, guides, _ := newCatalog(t, db, 1<<20)
		info, err := cat.GuideForLead(t.Context(), "node-vs-django")
		if err != nil {
			t.Fatal(err)
		}
		q, ok := info.Questions["team-language"]
		if info.Slug != "node-vs-django" || len(info.TechnologyIDs) != 2 || !ok || q.Choices["python"] == "" || q.Open {
			t.Fatalf("info %+v", info)
		}
		rec, err := info.Score(map[string][]string{"team-language": {"python"}})
		if err != nil || len(rec.Options) != 2 || rec.Options[0].Slug != "django" || rec.Options[0].Rank != 1 {
			t.Fatalf("recommendation %+v, err %v", rec, err)
		}
		for _, slug := range []string{"no-such-guide", ""} {
			if _, err := cat.GuideForLead(t.Context(), slug); !apperr.IsKind(err, apperr.NotFound) {
				t.Errorf("%q: %v, want NotFound", slug, err)
			}
		}

		// Unpublishing goes through the guide service, which invalidates.
		g, err := guides.Guide(t.Context(), info.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := guides.Unpublish(t.Context(), info.ID, g.Guide.Version); err != nil {
			t.Fatal(err)
		}
		if _, err := cat.GuideForLead(t.Context(), "node-vs-django"); !apperr.IsKind(err, apperr.NotFound) {
			t.Fatalf("after unpublish: %v, want NotFound (a prospect can only have read what was public)", err)
		}
	})
}

// TestCatalogServesFromMemory: once read, answers come without the
// database (closed here), until Invalidate.
func TestCatalogServesFromMemory(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		cat, _, c := newCatalog(t, db, 1<<20)
		ctx := t.Context()
		if _, err := cat.GuideForLead(ctx, "node-vs-django"); err != nil {
			t.Fatal(err)
		}
		ids, err := cat.TechnologyIDs(ctx, []string{"nodejs", "cobol"})
		if err != nil || ids["nodejs"] == "" || len(ids) != 1 {
			t.Fatalf("ids %v, err %v", ids, err)
		}
		closeDB(t, db)
		for _, c := range []struct {
			name   string
			call   func() error
			cached bool
		}{
			{"known guide", func() error { _, err := cat.GuideForLead(ctx, "node-vs-django"); return err }, true},
			{"known and known-unknown technologies", func() error {
				ids, err := cat.TechnologyIDs(ctx, []string{"cobol", "nodejs"})
				if err == nil && (ids["nodejs"] == "" || len(ids) != 1) {
					t.Errorf("cached ids %v", ids)
				}
				return err
			}, true},
			{"new technology", func() error { _, err := cat.TechnologyIDs(ctx, []string{"django"}); return err }, false},
			{"new guide", func() error { _, err := cat.GuideForLead(ctx, "go-vs-rust"); return err }, false},
		} {
			err := c.call()
			if c.cached && err != nil {
				t.Errorf("%s: %v, want an answer from memory", c.name, err)
			}
			if !c.cached && (err == nil || apperr.IsKind(err, apperr.NotFound)) {
				t.Errorf("%s: %v, want the closed database's error", c.name, err)
			}
		}
		c.Invalidate()
		if _, err := cat.GuideForLead(ctx, "node-vs-django"); err == nil {
			t.Fatal("answered from memory after Invalidate")
		}
	})
}

// TestCatalogCountsItsBytes: the catalog's answers count against the
// cache's budget: with no room, every answer comes from the database.
func TestCatalogCountsItsBytes(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		cat, _, c := newCatalog(t, db, 1)
		if _, err := cat.GuideForLead(t.Context(), "node-vs-django"); err != nil {
			t.Fatal(err)
		}
		if c.Len() != 0 {
			t.Fatalf("%d entries in a one-byte cache", c.Len())
		}
		closeDB(t, db)
		if _, err := cat.GuideForLead(t.Context(), "node-vs-django"); err == nil {
			t.Fatal("answered from memory without room for the answer")
		}
	})
}
