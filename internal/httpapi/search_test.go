package httpapi_test

import (
	"fmt"
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

// TestPublicSearchTopK checks a query that matches more guides than a
// search ranks (200): its results are the 200 most recently published
// matches, best first, on pages that neither repeat nor skip, with a total
// of 200; a rare word is found however old its guide; stemming and case
// are as ever; an unpublished guide is gone from the results.
func TestPublicSearchTopK(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		c := newContent(t, db)
		const n = 210
		guides := make([]adminGuide, n)
		for i := range n {
			d := doc(fmt.Sprintf("quokka-%03d", i), fmt.Sprintf("Guide %03d", i))
			d["summary"] = "All about the quokka."
			if i%50 == 7 { // 7 is too old to be a candidate; 57, 107, 157, 207 are
				d["title"] = fmt.Sprintf("Quokka guide %03d", i)
			}
			if i == 0 {
				d["faq"] = []any{map[string]any{"question": "And the marmoset?", "answer": "Elsewhere."}}
			}
			guides[i] = c.act(c.create(d), "publish", nil)
			c.clock.Advance(1e9)
		}
		list := func(q string) summaryPage {
			var p summaryPage
			c.do("GET", "/api/v1/guides?"+q, "", nil).wantStatus(200).decode(&p)
			return p
		}
		all := func(q string) []string {
			var got []string
			cursor := ""
			for range 20 {
				p := list(q + "&limit=30" + cursor)
				got = append(got, p.slugs()...)
				if p.NextCursor == nil {
					return got
				}
				cursor = "&cursor=" + urlQuery(*p.NextCursor)
			}
			t.Fatalf("%s: pages never end", q)
			return nil
		}
		newest := func(skip string) []string {
			var want []string
			for i := n - 1; len(want) < 200; i-- {
				if s := fmt.Sprintf("quokka-%03d", i); s != skip {
					want = append(want, s)
				}
			}
			slices.Sort(want)
			return want
		}
		check := func(q string, titled []string, skip string) {
			t.Helper()
			got := all(q)
			if len(got) < len(titled) || !sameSet(got[:len(titled)], titled) {
				t.Fatalf("%s: title matches do not lead: %v", q, got[:min(len(got), 6)])
			}
			if sorted := slices.Sorted(slices.Values(got)); !slices.Equal(sorted, newest(skip)) {
				t.Fatalf("%s: %d results, want the 200 newest matches once each (first %v)", q, len(got), got[:min(len(got), 6)])
			}
			if total := list(q + "&include_total=true").Total; total == nil || *total != 200 {
				t.Fatalf("%s: total %v, want 200", q, total)
			}
		}
		titled := []string{"quokka-057", "quokka-107", "quokka-157", "quokka-207"}
		check("q=quokka", titled, "")
		check("q=QUOKKAS", titled, "") // stemmed, any case

		for _, tc := range []struct {
			query string
			want  []string
		}{
			{"q=marmoset", []string{"quokka-000"}}, // rare, and older than every candidate of quokka
			{"q=marmoset+quokka", []string{"quokka-000"}},
			{"q=zzzqqq", nil},
			{"q=quokka+zzzqqq", nil},
		} {
			p := list(tc.query + "&include_total=true")
			if !slices.Equal(p.slugs(), tc.want) || p.Total == nil || *p.Total != len(tc.want) || p.NextCursor != nil {
				t.Errorf("%s gave %v (total %v), want %v", tc.query, p.slugs(), p.Total, tc.want)
			}
		}

		c.act(guides[207], "unpublish", nil)
		check("q=quokka", titled[:3], "quokka-207")
	})
}

func sameSet(a, b []string) bool {
	return slices.Equal(slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b)))
}
