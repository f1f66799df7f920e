package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/verdict-cms/verdict/internal/dbtest"
)

type ldListItem struct {
	Type     string `json:"@type"`
	Position int    `json:"position"`
	Name     string `json:"name"`
	Item     string `json:"item"`
}

type ldGraph struct {
	Context string `json:"@context"`
	Graph   []struct {
		Type          string `json:"@type"`
		NumberOfItems int    `json:"numberOfItems"`
		MainEntity    []struct {
			Type           string `json:"@type"`
			Name           string `json:"name"`
			AcceptedAnswer struct {
				Type string `json:"@type"`
				Text string `json:"text"`
			} `json:"acceptedAnswer"`
		} `json:"mainEntity"`
		ItemListElement []ldListItem `json:"itemListElement"`
	} `json:"@graph"`
}

// checkLD validates the schema.org shapes Google's rich results need:
// FAQPage questions with accepted answers, a BreadcrumbList and an
// ItemList whose positions count from 1, with absolute item URLs.
func checkLD(ld ldGraph, faqs int, options []string) error {
	if ld.Context != "https://schema.org" {
		return fmt.Errorf("@context=%q", ld.Context)
	}
	seen := map[string]int{}
	for _, n := range ld.Graph {
		seen[n.Type]++
		switch n.Type {
		case "FAQPage":
			if len(n.MainEntity) != faqs {
				return fmt.Errorf("FAQPage has %d questions, want %d", len(n.MainEntity), faqs)
			}
			for _, q := range n.MainEntity {
				if q.Type != "Question" || q.Name == "" || q.AcceptedAnswer.Type != "Answer" || q.AcceptedAnswer.Text == "" {
					return fmt.Errorf("bad Question %+v", q)
				}
			}
		case "BreadcrumbList", "ItemList":
			for i, it := range n.ItemListElement {
				if it.Type != "ListItem" || it.Position != i+1 || it.Name == "" {
					return fmt.Errorf("%s item %d: %+v", n.Type, i, it)
				}
				if n.Type == "BreadcrumbList" && !strings.HasPrefix(it.Item, testSiteURL+"/g/") {
					return fmt.Errorf("breadcrumb item URL %q", it.Item)
				}
			}
			if n.Type == "ItemList" {
				var names []string
				for _, it := range n.ItemListElement {
					names = append(names, it.Name)
				}
				if strings.Join(names, ",") != strings.Join(options, ",") || n.NumberOfItems != len(options) {
					return fmt.Errorf("ItemList %v (%d), want %v", names, n.NumberOfItems, options)
				}
			}
		default:
			return fmt.Errorf("unexpected node @type %q", n.Type)
		}
	}
	if seen["FAQPage"] != min(faqs, 1) || seen["BreadcrumbList"] != 1 || seen["ItemList"] != 1 {
		return fmt.Errorf("node types %v, want one of each", seen)
	}
	return nil
}

// TestStructuredData: the public JSON and the hosted page carry the same
// valid JSON-LD.
func TestStructuredData(t *testing.T) {
	e, _ := seededSite(t, dbtest.SQLite(t))
	var g struct {
		StructuredData json.RawMessage `json:"structured_data"`
	}
	e.do("GET", "/api/v1/guides/node-vs-django", "", nil).wantStatus(200).decode(&g)
	var ld ldGraph
	if err := json.Unmarshal(g.StructuredData, &ld); err != nil {
		t.Fatal(err)
	}
	if err := checkLD(ld, 4, []string{"Node.js", "Django"}); err != nil {
		t.Fatalf("%v\n%s", err, g.StructuredData)
	}
	if len(ld.Graph) == 0 || ld.Graph[0].ItemListElement[1].Name != "Backend" {
		t.Fatalf("breadcrumb: %s", g.StructuredData)
	}

	page := string(e.do("GET", "/g/node-vs-django", "", nil).wantStatus(200).body)
	m := regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no JSON-LD on the page")
	}
	var compact, fromPage bytes.Buffer
	if err := json.Compact(&compact, g.StructuredData); err != nil {
		t.Fatal(err)
	}
	if err := json.Compact(&fromPage, []byte(m[1])); err != nil {
		t.Fatalf("page JSON-LD is not JSON: %v\n%s", err, m[1])
	}
	if compact.String() != fromPage.String() {
		t.Fatalf("page JSON-LD differs from the API's:\n%s\n%s", fromPage.String(), compact.String())
	}

	// A guide without FAQ has no FAQPage node, and the shape holds elsewhere.
	var rel struct {
		FAQ            []any           `json:"faq"`
		StructuredData json.RawMessage `json:"structured_data"`
	}
	e.do("GET", "/api/v1/guides/react-vs-nextjs", "", nil).wantStatus(200).decode(&rel)
	var relLD ldGraph
	if err := json.Unmarshal(rel.StructuredData, &relLD); err != nil {
		t.Fatal(err)
	}
	if err := checkLD(relLD, len(rel.FAQ), []string{"React", "Next.js"}); err != nil {
		t.Fatalf("%v\n%s", err, rel.StructuredData)
	}
}
