package httpapi_test

import (
	"slices"
	"testing"

	"github.com/verdict-cms/verdict/internal/auth"
	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
)

// TestPublicSearchRanking checks that ?q= orders matches best first on both
// databases (title over summary over body) and pages through them.
func TestPublicSearchRanking(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		c := newContent(t, db)
		// Published oldest first, so newest-first order would be the reverse.
		title := doc("title-hit", "Zephyrine vs Django")
		summary := doc("summary-hit", "Summary hit")
		summary["summary"] = "Where zephyrine shines."
		body := doc("body-hit", "Body hit")
		body["faq"] = []any{map[string]any{"question": "Which is faster?", "answer": "Zephyrine, by far."}}
		for _, d := range []map[string]any{title, summary, body} {
			c.act(c.create(d), "publish", nil)
			c.clock.Advance(1e9)
		}
		list := func(q string) summaryPage {
			var p summaryPage
			c.do("GET", "/api/v1/guides?"+q, "", nil).wantStatus(200).decode(&p)
			return p
		}
		want := []string{"title-hit", "summary-hit", "body-hit"}
		for _, tc := range []struct {
			query string
			want  []string
		}{
			{"q=zephyrine", want},
			{"q=ZEPHYRINE", want},
			{"q=zephyrine&category=backend", want},
			{"q=zephyrine&category=frontend", nil},
			{"q=zephyrine&technology=nodejs", want},
			{"q=zephyrine&sort=-published_at", []string{"body-hit", "summary-hit", "title-hit"}},
			{"q=qqqnomatch", nil},
		} {
			if got := list(tc.query).slugs(); !slices.Equal(got, tc.want) {
				t.Errorf("%s gave %v, want %v", tc.query, got, tc.want)
			}
		}

		// One at a time, the cursor carries the rank.
		var got []string
		cursor := ""
		for range 5 {
			p := list("q=zephyrine&limit=1" + cursor)
			got = append(got, p.slugs()...)
			if p.NextCursor == nil {
				break
			}
			cursor = "&cursor=" + urlQuery(*p.NextCursor)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("paged search gave %v, want %v", got, want)
		}

		// The results cache keys on the normalised query: behind the
		// cache's back the first match goes, and " Zephyrine " still has it.
		list("q=zephyrine")
		if err := db.DB.Exec("DELETE FROM published_guides WHERE slug = ?", "title-hit").Error; err != nil {
			t.Fatal(err)
		}
		if got := list("q=" + urlQuery(" Zephyrine ") + "&limit=20").slugs(); !slices.Equal(got, want) {
			t.Fatalf("a respelled query missed the cache: %v", got)
		}
		if got := list("q=zephyrine+django").slugs(); slices.Contains(got, "title-hit") {
			t.Fatalf("another query was served from the cache: %v", got)
		}
	})
}

// TestPublicSearchLimit checks the per-address limit on uncached searches:
// new queries past it are a 429 with Retry-After; cached ones still answer.
func TestPublicSearchLimit(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db, func(o *httpapiOptions, _ *auth.Config) { o.SearchLimit = 2 })
		for _, tc := range []struct {
			query  string
			status int
		}{
			{"q=alpha", 200},
			{"q=beta", 200},
			{"q=gamma", 429}, // a third new search in the same second
			{"q=Alpha", 200}, // cached: not counted
			{"limit=5", 200}, // not a search
		} {
			res := e.do("GET", "/api/v1/guides?"+tc.query, "", nil)
			if res.status != tc.status {
				t.Fatalf("%s: status %d, want %d", tc.query, res.status, tc.status)
			}
			if tc.status == 429 && res.header.Get("Retry-After") == "" {
				t.Fatalf("%s: no Retry-After", tc.query)
			}
		}
	})
}
