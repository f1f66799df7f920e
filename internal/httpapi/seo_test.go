package httpapi_test

import (
	"encoding/xml"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/verdict-cms/verdict/internal/auth"
	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
)

const sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"

type xmlURLSet struct {
	XMLName xml.Name `xml:"urlset"`
	URLs    []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
	} `xml:"url"`
}

type xmlSitemapIndex struct {
	XMLName  xml.Name `xml:"sitemapindex"`
	Sitemaps []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
	} `xml:"sitemap"`
}

// parseURLSet checks a urlset the way the sitemap schema does: namespace,
// absolute loc under the site, W3C datetime lastmod, at most max URLs.
func parseURLSet(t *testing.T, body []byte, max int) []string {
	t.Helper()
	var set xmlURLSet
	if err := xml.Unmarshal(body, &set); err != nil {
		t.Fatalf("sitemap is not XML: %v\n%s", err, body)
	}
	if set.XMLName.Space != sitemapNS {
		t.Fatalf("urlset namespace %q", set.XMLName.Space)
	}
	if len(set.URLs) == 0 || len(set.URLs) > max {
		t.Fatalf("%d URLs, want 1..%d", len(set.URLs), max)
	}
	var slugs []string
	for _, u := range set.URLs {
		slug, ok := strings.CutPrefix(u.Loc, testSiteURL+"/g/")
		if !ok || slug == "" {
			t.Errorf("loc %q is not a guide page under the site URL", u.Loc)
		}
		if _, err := time.Parse(time.RFC3339, u.LastMod); err != nil {
			t.Errorf("lastmod %q: %v", u.LastMod, err)
		}
		slugs = append(slugs, slug)
	}
	return slugs
}

func publishedSlugs(t *testing.T, e *testEnv) []string {
	t.Helper()
	var list struct{ Data []struct{ Slug string } }
	e.do("GET", "/api/v1/guides?limit=100", "", nil).wantStatus(200).decode(&list)
	var out []string
	for _, g := range list.Data {
		out = append(out, g.Slug)
	}
	slices.Sort(out)
	return out
}

func TestSitemap(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e, tok := seededSite(t, db)
		res := e.do("GET", "/sitemap.xml", "", nil).wantStatus(200)
		if ct := res.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/xml") {
			t.Errorf("Content-Type=%q", ct)
		}
		got := parseURLSet(t, res.body, 50_000)
		slices.Sort(got)
		want := publishedSlugs(t, e)
		if !slices.Equal(got, want) {
			t.Fatalf("sitemap %v, want %v", got, want)
		}
		e.do("GET", "/sitemap.xml", "", nil, "If-None-Match", res.header.Get("ETag")).wantStatus(304)
		e.do("GET", "/sitemap-1.xml", "", nil).problem(404) // no index below the page size

		// Unpublishing drops the guide from the (cached) sitemap.
		d, err := e.guides.GuideBySlug(t.Context(), "react-vs-nextjs")
		if err != nil {
			t.Fatal(err)
		}
		e.do("POST", "/api/v1/admin/guides/"+d.Guide.ID+"/unpublish", tok, nil, "If-Match", fmt.Sprintf(`"%d"`, d.Guide.Version)).wantStatus(200)
		if after := parseURLSet(t, e.do("GET", "/sitemap.xml", "", nil).wantStatus(200).body, 50_000); slices.Contains(after, "react-vs-nextjs") {
			t.Fatal("an unpublished guide stayed in the sitemap")
		}
	})
}

// TestSitemapIndex uses a page size of 2 to check the index form without
// 50,000 guides: every file is listed, each holds at most 2 URLs, and
// together they hold every guide once.
func TestSitemapIndex(t *testing.T) {
	e := newEnv(t, dbtest.SQLite(t), withSite, func(o *httpapiOptions, _ *auth.Config) { o.SitemapPageSize = 2 })
	seedInto(t, e)
	want := publishedSlugs(t, e)
	var idx xmlSitemapIndex
	if err := xml.Unmarshal(e.do("GET", "/sitemap.xml", "", nil).wantStatus(200).body, &idx); err != nil {
		t.Fatal(err)
	}
	if idx.XMLName.Space != sitemapNS || idx.XMLName.Local != "sitemapindex" {
		t.Fatalf("root %v", idx.XMLName)
	}
	if n := (len(want) + 1) / 2; len(idx.Sitemaps) != n {
		t.Fatalf("%d sitemaps for %d guides, want %d", len(idx.Sitemaps), len(want), n)
	}
	var all []string
	for i, s := range idx.Sitemaps {
		path, ok := strings.CutPrefix(s.Loc, testSiteURL)
		if !ok || path != fmt.Sprintf("/sitemap-%d.xml", i+1) {
			t.Fatalf("sitemap loc %q", s.Loc)
		}
		if _, err := time.Parse(time.RFC3339, s.LastMod); err != nil {
			t.Errorf("lastmod %q: %v", s.LastMod, err)
		}
		all = append(all, parseURLSet(t, e.do("GET", path, "", nil).wantStatus(200).body, 2)...)
	}
	slices.Sort(all)
	if !slices.Equal(all, want) {
		t.Fatalf("sitemaps hold %v, want %v", all, want)
	}
	for _, p := range []string{fmt.Sprintf("/sitemap-%d.xml", len(idx.Sitemaps)+1), "/sitemap-0.xml", "/sitemap-x.xml"} {
		e.do("GET", p, "", nil).problem(404)
	}
}

type atomFeed struct {
	XMLName xml.Name `xml:"feed"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Author  struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Links []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Entries []struct {
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Link    struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Summary  string `xml:"summary"`
		Category struct {
			Term string `xml:"term,attr"`
		} `xml:"category"`
	} `xml:"entry"`
}

// TestFeed checks the Atom feed against RFC 4287's required elements.
func TestFeed(t *testing.T) {
	e, _ := seededSite(t, dbtest.SQLite(t))
	res := e.do("GET", "/feed.xml", "", nil).wantStatus(200)
	if ct := res.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/atom+xml") {
		t.Errorf("Content-Type=%q", ct)
	}
	var f atomFeed
	if err := xml.Unmarshal(res.body, &f); err != nil {
		t.Fatalf("feed is not XML: %v", err)
	}
	if f.XMLName.Space != "http://www.w3.org/2005/Atom" || f.ID == "" || f.Title == "" || f.Author.Name == "" {
		t.Fatalf("feed head: %+v", f)
	}
	updated, err := time.Parse(time.RFC3339, f.Updated)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(f.Links, func(l struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	}) bool {
		return l.Rel == "self" && l.Href == testSiteURL+"/feed.xml"
	}) {
		t.Errorf("no self link: %+v", f.Links)
	}
	if want := publishedSlugs(t, e); len(f.Entries) != len(want) {
		t.Fatalf("%d entries, want %d", len(f.Entries), len(want))
	}
	var prev time.Time
	for i, en := range f.Entries {
		u, err := time.Parse(time.RFC3339, en.Updated)
		if err != nil {
			t.Fatal(err)
		}
		if i > 0 && u.After(prev) {
			t.Errorf("entry %d is newer than the one before", i)
		}
		if u.After(updated) {
			t.Errorf("entry %d is newer than the feed", i)
		}
		prev = u
		if !strings.HasPrefix(en.ID, testSiteURL+"/g/") || en.Link.Href != en.ID || en.Title == "" || en.Summary == "" || en.Category.Term == "" {
			t.Errorf("entry %d: %+v", i, en)
		}
	}
}
