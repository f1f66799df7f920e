package site

// StructuredData is a guide's schema.org description as JSON-LD: an
// @graph of a FAQPage (the FAQ), a BreadcrumbList (guides › category ›
// guide) and an ItemList (the options compared). Search engines read it
// from the page; the JSON API carries the same value for frontends to embed.
type StructuredData struct {
	Context string   `json:"@context"`
	Graph   []LDNode `json:"@graph"`
}

// LDNode is one node of the graph; fields a type does not use are omitted.
type LDNode struct {
	Type            string       `json:"@type"`
	ID              string       `json:"@id,omitempty"`
	Name            string       `json:"name,omitempty"`
	URL             string       `json:"url,omitempty"`
	NumberOfItems   int          `json:"numberOfItems,omitempty"`
	MainEntity      []LDQuestion `json:"mainEntity,omitempty"`
	ItemListElement []LDListItem `json:"itemListElement,omitempty"`
}

// LDQuestion is a FAQPage question with its accepted answer.
type LDQuestion struct {
	Type           string   `json:"@type"`
	Name           string   `json:"name"`
	AcceptedAnswer LDAnswer `json:"acceptedAnswer"`
}

// LDAnswer is an answer's text.
type LDAnswer struct {
	Type string `json:"@type"`
	Text string `json:"text"`
}

// LDListItem is a position in a BreadcrumbList or an ItemList.
type LDListItem struct {
	Type     string `json:"@type"`
	Position int    `json:"position"`
	Name     string `json:"name"`
	Item     string `json:"item,omitempty"`
}

// StructuredData describes g. URLs are absolute when SiteURL is set.
func (r *Renderer) StructuredData(g *Guide) StructuredData {
	page := r.GuideURL(g.Slug)
	sd := StructuredData{Context: "https://schema.org"}
	crumbs := []LDListItem{{Type: "ListItem", Position: 1, Name: "Guides", Item: r.opts.SiteURL + "/g/"}}
	if g.Category.Name != "" {
		crumbs = append(crumbs, LDListItem{Type: "ListItem", Position: 2, Name: g.Category.Name, Item: r.opts.SiteURL + "/g/#" + g.Category.Slug})
	}
	crumbs = append(crumbs, LDListItem{Type: "ListItem", Position: len(crumbs) + 1, Name: g.Title, Item: page})
	sd.Graph = append(sd.Graph, LDNode{Type: "BreadcrumbList", ID: page + "#breadcrumb", ItemListElement: crumbs})

	options := LDNode{Type: "ItemList", ID: page + "#options", Name: g.Title, NumberOfItems: len(g.Options), ItemListElement: []LDListItem{}}
	for i, o := range g.Options {
		options.ItemListElement = append(options.ItemListElement, LDListItem{Type: "ListItem", Position: i + 1, Name: o.Name, Item: safeHref(o.WebsiteURL)})
	}
	sd.Graph = append(sd.Graph, options)

	if len(g.FAQ) > 0 {
		faq := LDNode{Type: "FAQPage", ID: page + "#faq", URL: page, Name: g.Title}
		for _, f := range g.FAQ {
			faq.MainEntity = append(faq.MainEntity, LDQuestion{Type: "Question", Name: f.Question,
				AcceptedAnswer: LDAnswer{Type: "Answer", Text: plain(f.Answer)}})
		}
		sd.Graph = append(sd.Graph, faq)
	}
	return sd
}
