package httpapi

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/verdict-cms/verdict/internal/guide"
)

// TestGuideListEncode: a page written from stored entries, from built ones
// or from both is the JSON a listResponse of the same guides encodes to.
func TestGuideListEncode(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 600, time.UTC)
	sum := func(slug, title string) *guide.PublishedSummary {
		return &guide.PublishedSummary{GuideID: slug, Slug: slug, Title: title, Summary: "<b>&</b> \u2028",
			Category: &guide.Category{Slug: "backend", Name: "Back end"}, PublishedAt: at,
			Technologies: []*guide.Technology{{Slug: "go", Name: "Go", Description: "Gopher", WebsiteURL: "https://go.dev"}}}
	}
	stored := func(s *guide.PublishedSummary) *guide.PublishedSummary {
		e, err := guideListEntry(s)
		if err != nil {
			t.Fatal(err)
		}
		c := *s
		c.Technologies, c.Category, c.Entry = nil, nil, e // what a stored row carries
		return &c
	}
	cursor, total := encodeCursor("k\x00id"), 7
	for _, tc := range []struct {
		name   string
		sums   []*guide.PublishedSummary
		next   *string
		total  *int
		stored []bool
	}{
		{"empty", nil, nil, nil, nil},
		{"empty with total", nil, nil, &total, nil},
		{"built", []*guide.PublishedSummary{sum("a", "A"), sum("b", `"B"`)}, cursor, nil, []bool{false, false}},
		{"stored", []*guide.PublishedSummary{sum("a", "A"), sum("b", "B <c>")}, nil, &total, []bool{true, true}},
		{"mixed", []*guide.PublishedSummary{sum("a", "A"), sum("b", "B"), sum("c", "C")}, cursor, &total, []bool{true, false, true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := listResponse[guideSummary]{Data: []guideSummary{}, NextCursor: tc.next, Total: tc.total}
			page := guideList{NextCursor: tc.next, Total: tc.total}
			for i, s := range tc.sums {
				want.Data = append(want.Data, toGuideSummary(s))
				if tc.stored[i] {
					s = stored(s)
				}
				page.Data = append(page.Data, s)
			}
			wantBody, err := json.Marshal(want)
			if err != nil {
				t.Fatal(err)
			}
			got, err := page.encode()
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != string(wantBody) {
				t.Fatalf("encode:\n%s\nwant:\n%s", got, wantBody)
			}
		})
	}
}
