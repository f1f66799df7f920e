package httpapi_test

import (
	"fmt"
	"net/http"
	"slices"
	"sync/atomic"
	"testing"

	"gorm.io/gorm"

	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
	"github.com/verdict-cms/verdict/internal/seed"
)

type summaryPage struct {
	Data []struct {
		Slug         string `json:"slug"`
		Title        string `json:"title"`
		Technologies []struct {
			Slug string `json:"slug"`
		} `json:"technologies"`
		Category struct {
			Slug string `json:"slug"`
		} `json:"category"`
	} `json:"data"`
	NextCursor *string `json:"next_cursor"`
	Total      *int    `json:"total"`
}

func (p summaryPage) slugs() []string {
	var out []string
	for _, d := range p.Data {
		out = append(out, d.Slug)
	}
	return out
}

func TestPublicGuideList(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		c := newContent(t, db)
		for i := range 5 {
			g := c.create(doc(fmt.Sprintf("extra-%d", i), fmt.Sprintf("Extra %d", i)))
			c.clock.Advance(1e9)
			c.act(g, "publish", nil)
		}
		c.create(doc("still-draft", "Still draft")) // never listed
		list := func(q string) summaryPage {
			var p summaryPage
			c.do("GET", "/api/v1/guides"+q, "", nil).wantStatus(200).decode(&p)
			return p
		}

		// Newest first by default; pages join up with no gaps or repeats.
		var all []string
		cursor := ""
		for range 10 {
			p := list("?limit=3" + cursor)
			all = append(all, p.slugs()...)
			if p.NextCursor == nil {
				break
			}
			cursor = "&cursor=" + *p.NextCursor
		}
		if len(all) != 9 || all[0] != "extra-4" || slices.Contains(all, "still-draft") {
			t.Fatalf("paged list %v", all)
		}
		slices.Sort(all)
		if len(slices.Compact(all)) != 9 {
			t.Fatalf("pages repeat guides: %v", all)
		}

		byTitle := list("?sort=title&limit=2")
		if got := byTitle.slugs(); !slices.Equal(got, []string{"extra-0", "extra-1"}) {
			t.Fatalf("sort=title gave %v", got)
		}
		next := list("?sort=title&limit=2&cursor=" + *byTitle.NextCursor)
		if got := next.slugs(); !slices.Equal(got, []string{"extra-2", "extra-3"}) {
			t.Fatalf("second title page %v", got)
		}
		if got := list("?category=frontend").slugs(); len(got) != 2 {
			t.Fatalf("category=frontend gave %v", got)
		}
		if got := list("?technology=supabase").slugs(); !slices.Equal(got, []string{"firebase-vs-supabase"}) {
			t.Fatalf("technology=supabase gave %v", got)
		}
		p := list("?include_total=true&limit=1")
		if p.Total == nil || *p.Total != 9 || len(p.Data) != 1 {
			t.Fatalf("include_total gave %v / %d", p.Total, len(p.Data))
		}
		if list("").Total != nil {
			t.Fatal("total sent without being asked for")
		}
		if techs := list("?technology=django&sort=title&limit=1").Data[0].Technologies; len(techs) != 2 || techs[0].Slug != "nodejs" {
			t.Fatalf("summary technologies %+v", techs)
		}

		// Full-text search covers title, summary and body, on both engines.
		for q, want := range map[string][]string{
			"SSR":                    {"react-vs-nextjs"},
			"WebSocket":              {"node-vs-django"}, // only in the body
			"opinionated structured": {"node-vs-django"},
			"postgresql":             {"firebase-vs-supabase"},
			`"unbalanced (quote`:     nil,
		} {
			got := list("?q=" + urlQuery(q)).slugs()
			if !slices.Equal(got, want) {
				t.Errorf("q=%q gave %v, want %v", q, got, want)
			}
		}

		for _, bad := range []string{"sort=popularity", "limit=500", "cursor=nonsense", "include_total=maybe", "page=2"} {
			p := c.do("GET", "/api/v1/guides?"+bad, "", nil).problem(http.StatusBadRequest)
			if len(p.Errors) == 0 {
				t.Errorf("?%s: no parameter named", bad)
			}
		}
	})
}

func TestPublicReadsAndCaching(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		c := newContent(t, db)
		res := c.do("GET", "/api/v1/guides/node-vs-django", "", nil).wantStatus(200)
		etag := res.header.Get("ETag")
		if etag == "" || res.header.Get("Last-Modified") == "" || res.header.Get("Cache-Control") != "public, max-age=60, stale-while-revalidate=300" {
			t.Fatalf("headers %v", res.header)
		}
		again := c.do("GET", "/api/v1/guides/node-vs-django", "", nil, "If-None-Match", etag)
		if again.status != http.StatusNotModified || len(again.body) != 0 {
			t.Fatalf("If-None-Match: %d %q", again.status, again.body)
		}
		c.do("GET", "/api/v1/guides/no-such-guide", "", nil).problem(404)

		// A publish changes the body, the ETag, and invalidates lists too.
		var list struct{ Data []adminGuide }
		c.do("GET", "/api/v1/admin/guides?q=Firebase", c.tok, nil).wantStatus(200).decode(&list)
		var before summaryPage
		c.do("GET", "/api/v1/guides?category=backend", "", nil).wantStatus(200).decode(&before)
		c.act(list.Data[0], "unpublish", nil)
		res = c.do("GET", "/api/v1/guides/node-vs-django", "", nil).wantStatus(200)
		if res.header.Get("ETag") == etag {
			t.Fatal("the ETag did not change when a related guide was unpublished")
		}
		var after summaryPage
		c.do("GET", "/api/v1/guides?category=backend", "", nil).wantStatus(200).decode(&after)
		if len(after.Data) != len(before.Data)-1 {
			t.Fatalf("the cached list was not invalidated: %v then %v", before.slugs(), after.slugs())
		}

		var cats struct {
			Data []struct{ Slug string }
		}
		c.do("GET", "/api/v1/categories", "", nil).wantStatus(200).decode(&cats)
		if len(cats.Data) != 2 || cats.Data[0].Slug != "backend" {
			t.Fatalf("categories %+v", cats.Data)
		}
		var techs struct {
			Data       []struct{ Slug string }
			NextCursor *string `json:"next_cursor"`
		}
		c.do("GET", "/api/v1/technologies?limit=5", "", nil).wantStatus(200).decode(&techs)
		if len(techs.Data) != 5 || techs.NextCursor == nil || techs.Data[0].Slug != "django" {
			t.Fatalf("technologies %+v", techs)
		}
		var node struct {
			Name   string
			Guides []struct{ Slug string }
		}
		c.do("GET", "/api/v1/technologies/nodejs", "", nil).wantStatus(200).decode(&node)
		if node.Name != "Node.js" || len(node.Guides) != 1 || node.Guides[0].Slug != "node-vs-django" {
			t.Fatalf("technology page %+v", node)
		}
		c.do("GET", "/api/v1/technologies/cobol", "", nil).problem(404)
	})
}

// TestPublicListQueryCount checks a list page costs a fixed number of
// queries whatever its length: no query per guide.
func TestPublicListQueryCount(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		c := newContent(t, db)
		for i := range 8 {
			c.act(c.create(doc(fmt.Sprintf("n-plus-%d", i), fmt.Sprintf("N plus %d", i))), "publish", nil)
		}
		var n atomic.Int64
		count := func(*gorm.DB) { n.Add(1) }
		cb := db.Callback()
		_ = cb.Query().After("gorm:query").Register("test:count_query", count)
		_ = cb.Row().After("gorm:row").Register("test:count_row", count)
		_ = cb.Raw().After("gorm:raw").Register("test:count_raw", count)
		for _, tc := range []struct {
			query string
			max   int64
		}{
			{"?limit=100", 2},
			{"?limit=100&include_total=true&technology=nodejs", 3},
		} {
			c.cache.Invalidate()
			n.Store(0)
			var p summaryPage
			c.do("GET", "/api/v1/guides"+tc.query, "", nil).wantStatus(200).decode(&p)
			if len(p.Data) < 9 {
				t.Fatalf("%s listed %d guides", tc.query, len(p.Data))
			}
			if got := n.Load(); got == 0 || got > tc.max {
				t.Errorf("%s made %d queries for %d guides, want at most %d", tc.query, got, len(p.Data), tc.max)
			}
		}
	})
}

// TestCachedListLikeParsed: a list answered from the cache before its query
// is parsed gives what parsing gives: the same body, the locale the request
// negotiates (not the one cached first), and a refusal for a query that
// differs from a cached one only by a bad parameter.
func TestCachedListLikeParsed(t *testing.T) {
	e := newEnv(t, dbtest.SQLite(t))
	if _, err := seed.Load(t.Context(), e.guides, ""); err != nil {
		t.Fatal(err)
	}
	first := e.do("GET", "/api/v1/guides?limit=2", "", nil).wantStatus(200)
	again := e.do("GET", "/api/v1/guides?limit=2", "", nil).wantStatus(200)
	if string(again.body) != string(first.body) || again.header.Get("Content-Language") != "en" {
		t.Fatalf("cached answer differs: %s / %s (Content-Language %q)", first.body, again.body, again.header.Get("Content-Language"))
	}
	for range 2 { // a miss, then a hit
		de := e.do("GET", "/api/v1/guides?limit=2", "", nil, "Accept-Language", "de").wantStatus(200)
		if got := de.header.Get("Content-Language"); got != "de" {
			t.Fatalf("Accept-Language de: Content-Language %q", got)
		}
	}
	for range 2 {
		e.do("GET", "/api/v1/guides?limit=2&bogus=1", "", nil).problem(400)
	}
}
