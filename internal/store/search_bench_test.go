package store_test

import (
	"os"
	"strings"
	"testing"

	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/guide"
	"github.com/verdict-cms/verdict/internal/store"
)

// BenchmarkSearchPage lists the first page of a search, as the public
// list does, on an existing database filled by bench/fill.sql or
// bench/fill-sqlite.sql (VERDICT_SEARCH_BENCH_DB: a postgres:// URL or a
// SQLite path; skipped without it), for a rare, a common and an absent word.
func BenchmarkSearchPage(b *testing.B) {
	where := os.Getenv("VERDICT_SEARCH_BENCH_DB")
	if where == "" {
		b.Skip("VERDICT_SEARCH_BENCH_DB names no database")
	}
	o := database.Options{URL: where, MaxOpenConns: 4, MaxIdleConns: 4}
	if !strings.HasPrefix(where, "postgres") {
		o = database.Options{SQLitePath: where, MaxOpenConns: 4, MaxIdleConns: 4}
	}
	db, err := database.Open(b.Context(), o)
	if err != nil {
		b.Fatal(err)
	}
	s := store.GuideStore{Store: store.New(db)}
	for _, q := range []string{"supabase", "django", "zzzqqq"} {
		b.Run(q, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.ListPublished(b.Context(), guide.PublicFilter{Query: q, Sort: guide.SortRelevance, Limit: 21, Entries: true}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
