package httpapi_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
	"github.com/verdict-cms/verdict/internal/locale"
)

// localizedGuide is the part of a public guide the locale tests read.
type localizedGuide struct {
	Slug     string `json:"slug"`
	Title    string `json:"title"`
	Summary  string `json:"summary"`
	Locale   string `json:"locale"`
	Category struct {
		Name string `json:"name"`
	} `json:"category"`
	Options []struct {
		Technology struct {
			Name string `json:"name"`
		} `json:"technology"`
		ChooseIf []string `json:"choose_if"`
	} `json:"options"`
	FAQ []struct {
		Question string `json:"question"`
		Answer   string `json:"answer"`
	} `json:"faq"`
	Alternates []struct {
		Locale string `json:"locale"`
		Slug   string `json:"slug"`
	} `json:"alternates"`
}

type adminTranslation struct {
	Locale    string         `json:"locale"`
	Exists    bool           `json:"exists"`
	Status    string         `json:"status"`
	Version   int            `json:"version"`
	OutOfDate []string       `json:"out_of_date"`
	Texts     map[string]any `json:"texts"`
	Source    map[string]any `json:"source"`
}

// germanTexts translates doc("node-or-django", …) partly: the FAQ answer
// is left to fall back to English.
func germanTexts(slug, title string) map[string]any {
	return map[string]any{
		"title": title, "slug": slug, "summary": "Eine kurze Zusammenfassung.",
		"options": []any{map[string]any{"choose_if": []string{"Sie kennen JavaScript"}}},
		"faq":     []any{map[string]any{"question": "Was ist schneller?"}},
	}
}

func (c *content) translate(guideID, loc string, version int, texts map[string]any) adminTranslation {
	c.t.Helper()
	var out adminTranslation
	headers := []string{}
	want := 201
	if version > 0 {
		headers, want = []string{"If-Match", fmt.Sprintf(`"%d"`, version)}, 200
	}
	c.do("PUT", "/api/v1/admin/guides/"+guideID+"/translations/"+loc, c.tok, texts, headers...).wantStatus(want).decode(&out)
	return out
}

func (c *content) translationAct(guideID string, tr adminTranslation, action string, body any) adminTranslation {
	c.t.Helper()
	var out adminTranslation
	c.do("POST", "/api/v1/admin/guides/"+guideID+"/translations/"+tr.Locale+"/"+action, c.tok, body,
		"If-Match", fmt.Sprintf(`"%d"`, tr.Version)).wantStatus(200).decode(&out)
	return out
}

// localized reads a public guide with extra headers and checks the served
// locale in the body and in Content-Language.
func (c *content) localized(path string, headers ...string) localizedGuide {
	c.t.Helper()
	res := c.do("GET", path, "", nil, headers...).wantStatus(200)
	var g localizedGuide
	res.decode(&g)
	if got := res.header.Get("Content-Language"); got != g.Locale {
		c.t.Fatalf("%s: Content-Language %q, body locale %q", path, got, g.Locale)
	}
	if !strings.Contains(res.header.Get("Vary"), "Accept-Language") {
		c.t.Fatalf("%s: Vary %q lacks Accept-Language", path, res.header.Get("Vary"))
	}
	return g
}

func locales(g localizedGuide) []string {
	var out []string
	for _, a := range g.Alternates {
		out = append(out, a.Locale+"="+a.Slug)
	}
	return out
}

func TestLocalesPublishFallbackNegotiation(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		c := newContent(t, db)
		g := c.create(doc("node-or-django", "Node or Django"))
		g = c.act(g, "publish", nil)

		var none adminTranslation
		c.do("GET", "/api/v1/admin/guides/"+g.ID+"/translations/de", c.tok, nil).wantStatus(200).decode(&none)
		if none.Exists || none.Status != "missing" || none.Source["title"] != "Node or Django" {
			t.Fatalf("no translation yet: %+v", none)
		}
		de := c.translate(g.ID, "de", 0, germanTexts("node-oder-django", "Node oder Django"))
		if de.Status != "draft" || de.Version != 1 || len(de.OutOfDate) != 0 {
			t.Fatalf("new translation %+v", de)
		}
		// Creating again without If-Match is a conflict, not an overwrite.
		c.do("PUT", "/api/v1/admin/guides/"+g.ID+"/translations/de", c.tok, germanTexts("x", "X")).problem(409)
		c.do("PUT", "/api/v1/admin/guides/"+g.ID+"/translations/en", c.tok, germanTexts("x", "X")).problem(404)
		c.do("PUT", "/api/v1/admin/guides/"+g.ID+"/translations/fr", c.tok, germanTexts("x", "X")).problem(404)
		p := c.do("PUT", "/api/v1/admin/guides/"+g.ID+"/translations/pt", c.tok, map[string]any{"title": "", "slug": "Bad Slug", "summary": "<b>x</b>"}).problem(400)
		if got := p.fields(); !slices.Equal(got, []string{"title", "slug", "summary"}) {
			t.Fatalf("fields %v", got)
		}

		// A draft translation is not public: German readers get English.
		if got := c.localized("/api/v1/guides/node-or-django?locale=de"); got.Locale != "en" || got.Title != "Node or Django" {
			t.Fatalf("unpublished translation served: %+v", got)
		}
		var preview localizedGuide
		c.do("GET", "/api/v1/admin/guides/"+g.ID+"/preview?locale=de", c.tok, nil).wantStatus(200).decode(&preview)
		if preview.Locale != "de" || preview.Title != "Node oder Django" || preview.FAQ[0].Answer != "It depends." {
			t.Fatalf("preview %+v", preview)
		}
		c.do("GET", "/api/v1/admin/guides/"+g.ID+"/preview?locale=pt", c.tok, nil).problem(404)
		de = c.translationAct(g.ID, de, "publish", nil)
		if de.Status != "published" {
			t.Fatalf("status %s", de.Status)
		}

		for _, tc := range []struct {
			name, path string
			headers    []string
			locale     string
		}{
			{"query", "/api/v1/guides/node-or-django?locale=de", nil, "de"},
			{"query region", "/api/v1/guides/node-or-django?locale=de-AT", nil, "de"},
			{"accept-language", "/api/v1/guides/node-or-django", []string{"Accept-Language", "de-CH,de;q=0.9,en;q=0.5"}, "de"},
			{"query beats header", "/api/v1/guides/node-or-django?locale=en", []string{"Accept-Language", "de"}, "en"},
			{"german slug", "/api/v1/guides/node-oder-django?locale=de", nil, "de"},
			{"german slug, english reader", "/api/v1/guides/node-oder-django?locale=en", nil, "en"},
			{"unknown language", "/api/v1/guides/node-or-django", []string{"Accept-Language", "fr"}, "en"},
			{"pt-BR falls back to en", "/api/v1/guides/node-or-django?locale=pt-BR", nil, "en"},
		} {
			got := c.localized(tc.path, tc.headers...)
			if got.Locale != tc.locale {
				t.Fatalf("%s: locale %q, want %q", tc.name, got.Locale, tc.locale)
			}
		}
		got := c.localized("/api/v1/guides/node-or-django?locale=de")
		if got.Title != "Node oder Django" || got.Slug != "node-oder-django" || got.Summary != "Eine kurze Zusammenfassung." {
			t.Fatalf("german guide %+v", got)
		}
		if got.FAQ[0].Question != "Was ist schneller?" || got.FAQ[0].Answer != "It depends." {
			t.Fatalf("faq: %+v (untranslated text falls back to the source)", got.FAQ)
		}
		if got.Options[0].ChooseIf[0] != "Sie kennen JavaScript" || len(got.Options) != 2 {
			t.Fatalf("options: %+v (structure shared, texts translated)", got.Options)
		}
		if a := locales(got); !slices.Equal(a, []string{"en=node-or-django", "de=node-oder-django"}) {
			t.Fatalf("alternates %v", a)
		}
		// The default rendering lists the new alternate too.
		if a := locales(c.localized("/api/v1/guides/node-or-django")); !slices.Equal(a, []string{"en=node-or-django", "de=node-oder-django"}) {
			t.Fatalf("default alternates %v", a)
		}
		c.do("GET", "/api/v1/guides/node-or-django?locale=!!", "", nil).problem(400)

		// Publishing pt does not publish anything else; pt-BR falls back to pt.
		pt := c.translate(g.ID, "pt", 0, map[string]any{"title": "Node ou Django", "slug": "node-ou-django", "summary": "Um resumo."})
		if got := c.localized("/api/v1/guides/node-or-django?locale=pt-BR"); got.Locale != "en" {
			t.Fatalf("pt draft served: %s", got.Locale)
		}
		pt = c.translationAct(g.ID, pt, "publish", nil)
		if got := c.localized("/api/v1/guides/node-or-django?locale=pt-BR"); got.Locale != "pt" || got.Title != "Node ou Django" {
			t.Fatalf("pt-BR → pt: %+v", got)
		}
		var list struct {
			Data []adminTranslation `json:"data"`
		}
		c.do("GET", "/api/v1/admin/guides/"+g.ID+"/translations", c.tok, nil).wantStatus(200).decode(&list)
		var states []string
		for _, tr := range list.Data {
			states = append(states, tr.Locale+":"+tr.Status)
		}
		if !slices.Equal(states, []string{"de:published", "pt:published", "pt-BR:missing"}) {
			t.Fatalf("translations %v", states)
		}

		// Unpublishing German leaves Portuguese and English alone.
		c.translationAct(g.ID, de, "unpublish", nil)
		if got := c.localized("/api/v1/guides/node-or-django?locale=de"); got.Locale != "en" {
			t.Fatalf("unpublished de still served")
		}
		if got := c.localized("/api/v1/guides/node-or-django?locale=pt"); got.Locale != "pt" {
			t.Fatalf("pt lost with de")
		}
		// Unpublishing the source takes every locale down; publishing it
		// again brings the published translations back.
		g = c.act(g, "unpublish", nil)
		c.do("GET", "/api/v1/guides/node-ou-django?locale=pt", "", nil).problem(404)
		c.act(g, "publish", nil)
		if got := c.localized("/api/v1/guides/node-ou-django?locale=pt"); got.Locale != "pt" {
			t.Fatalf("pt not back with its source")
		}
	})
}

func TestLocalesSourceFirstAndSchedule(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		c := newContent(t, db)
		g := c.create(doc("draft-only", "Draft only"))
		de := c.translate(g.ID, "de", 0, germanTexts("nur-entwurf", "Nur Entwurf"))
		c.do("POST", "/api/v1/admin/guides/"+g.ID+"/translations/de/publish", c.tok, nil, "If-Match", `"1"`).problem(409)
		c.act(g, "publish", nil)
		c.do("POST", "/api/v1/admin/guides/"+g.ID+"/translations/de/schedule", c.tok,
			map[string]any{"publish_at": c.clock.Now().Add(-time.Minute)}, "If-Match", `"1"`).problem(400)
		de = c.translationAct(g.ID, de, "schedule", map[string]any{"publish_at": c.clock.Now().Add(time.Hour)})
		if de.Status != "scheduled" {
			t.Fatalf("status %s", de.Status)
		}
		if n, err := c.guides.PublishDue(t.Context()); err != nil || n != 0 {
			t.Fatalf("PublishDue early = %d, %v", n, err)
		}
		c.clock.Advance(2 * time.Hour)
		if n, err := c.guides.PublishDue(t.Context()); err != nil || n != 1 {
			t.Fatalf("PublishDue = %d, %v", n, err)
		}
		if got := c.localized("/api/v1/guides/nur-entwurf?locale=de"); got.Title != "Nur Entwurf" {
			t.Fatalf("scheduled translation: %+v", got)
		}
	})
}

func TestLocalesSlugsUniquePerLocale(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		c := newContent(t, db)
		a := c.create(doc("guide-a", "Guide A"))
		b := c.create(doc("guide-b", "Guide B"))
		c.translate(a.ID, "de", 0, germanTexts("gleich", "Gleich"))
		p := c.do("PUT", "/api/v1/admin/guides/"+b.ID+"/translations/de", c.tok, germanTexts("gleich", "Gleich B")).problem(400)
		if got := p.fields(); !slices.Equal(got, []string{"slug"}) {
			t.Fatalf("fields %v", got)
		}
		// The same slug in another locale, or the default locale's slug, is fine.
		c.translate(b.ID, "pt", 0, germanTexts("gleich", "Igual"))
		c.translate(b.ID, "de", 0, germanTexts("guide-a", "Gleich B"))
	})
}

func TestLocalesOutOfDate(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		c := newContent(t, db)
		// Question IDs are stable only when the editor sends them back.
		checklist := []any{map[string]any{"id": "team", "text": "What does your team know?"}}
		d := doc("node-or-django", "Node or Django")
		d["checklist"] = checklist
		g := c.create(d)
		de := c.translate(g.ID, "de", 0, germanTexts("node-oder-django", "Node oder Django"))
		d = doc("node-or-django", "Node or Django, revisited")
		d["checklist"] = checklist
		d["faq"] = []any{map[string]any{"question": "Which is faster?", "answer": "Measure it."}}
		g = c.put(g, d)

		var got adminTranslation
		c.do("GET", "/api/v1/admin/guides/"+g.ID+"/translations/de", c.tok, nil).wantStatus(200).decode(&got)
		if !slices.Equal(got.OutOfDate, []string{"title", "faq[0].answer"}) {
			t.Fatalf("out_of_date %v", got.OutOfDate)
		}
		if got.Source["title"] != "Node or Django, revisited" || got.Texts["title"] != "Node oder Django" {
			t.Fatalf("source %v / texts %v", got.Source["title"], got.Texts["title"])
		}
		var list struct {
			Data []adminTranslation `json:"data"`
		}
		c.do("GET", "/api/v1/admin/guides/"+g.ID+"/translations", c.tok, nil).wantStatus(200).decode(&list)
		if len(list.Data[0].OutOfDate) != 2 {
			t.Fatalf("list out_of_date %v", list.Data[0].OutOfDate)
		}
		// A stale version is refused; a review clears the marks.
		c.do("POST", "/api/v1/admin/guides/"+g.ID+"/translations/de/review", c.tok, nil, "If-Match", `"9"`).problem(409)
		got = c.translationAct(g.ID, de, "review", nil)
		if len(got.OutOfDate) != 0 || got.Version != de.Version+1 {
			t.Fatalf("after review %+v", got)
		}
		var revs struct {
			Data []struct {
				Number int `json:"number"`
			} `json:"data"`
		}
		c.do("GET", "/api/v1/admin/guides/"+g.ID+"/translations/de/revisions", c.tok, nil).wantStatus(200).decode(&revs)
		if len(revs.Data) != 1 {
			t.Fatalf("revisions %+v (a review is no new revision)", revs.Data)
		}
	})
}

func TestLocalesListsAndNames(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		c := newContent(t, db)
		g := c.act(c.create(doc("node-or-django", "Node or Django")), "publish", nil)
		de := c.translate(g.ID, "de", 0, germanTexts("node-oder-django", "Node oder Django"))
		c.translationAct(g.ID, de, "publish", nil)

		var cats struct {
			Data []struct {
				ID   string `json:"id"`
				Slug string `json:"slug"`
			} `json:"data"`
		}
		c.do("GET", "/api/v1/admin/categories", c.tok, nil).wantStatus(200).decode(&cats)
		var backend string
		for _, cat := range cats.Data {
			if cat.Slug == "backend" {
				backend = cat.ID
			}
		}
		c.do("PUT", "/api/v1/admin/categories/"+backend+"/translations/de", c.tok, map[string]any{"name": ""}).problem(400)
		c.do("PUT", "/api/v1/admin/categories/"+backend+"/translations/de", c.tok, map[string]any{"name": "Server", "description": "Serverseitig"}).wantStatus(200)

		res := c.do("GET", "/api/v1/guides?locale=de&include_total=true", "", nil).wantStatus(200)
		var list struct {
			Data []struct {
				Slug     string `json:"slug"`
				Title    string `json:"title"`
				Category struct {
					Name string `json:"name"`
				} `json:"category"`
			} `json:"data"`
			Total int `json:"total"`
		}
		res.decode(&list)
		if len(list.Data) != 1 || list.Total != 1 || list.Data[0].Slug != "node-oder-django" || list.Data[0].Category.Name != "Server" {
			t.Fatalf("german list %+v", list)
		}
		if res.header.Get("Content-Language") != "de" {
			t.Fatalf("Content-Language %q", res.header.Get("Content-Language"))
		}
		c.do("GET", "/api/v1/guides?locale=de&q=oder", "", nil).wantStatus(200).decode(&list)
		if len(list.Data) != 1 {
			t.Fatalf("german search %+v", list)
		}
		c.do("GET", "/api/v1/guides", "", nil).wantStatus(200).decode(&list)
		for _, s := range list.Data {
			if s.Slug == "node-oder-django" {
				t.Fatal("german slug in the default list")
			}
		}
		if got := c.localized("/api/v1/guides/node-or-django?locale=de"); got.Category.Name != "Server" {
			t.Fatalf("category name %q", got.Category.Name)
		}
		var pubCats struct {
			Data []struct{ Slug, Name, Description string } `json:"data"`
		}
		res = c.do("GET", "/api/v1/categories", "", nil, "Accept-Language", "de").wantStatus(200)
		res.decode(&pubCats)
		for _, pc := range pubCats.Data {
			if pc.Slug == "backend" && (pc.Name != "Server" || pc.Description != "Serverseitig") {
				t.Fatalf("public category in German: %+v", pc)
			}
		}
		if res.header.Get("Content-Language") != "de" {
			t.Fatalf("categories Content-Language %q", res.header.Get("Content-Language"))
		}
		c.do("GET", "/api/v1/categories", "", nil).wantStatus(200).decode(&pubCats)
		for _, pc := range pubCats.Data {
			if pc.Name == "Server" {
				t.Fatal("German category name served to a default reader")
			}
		}
		var names struct {
			Data []map[string]string `json:"data"`
		}
		c.do("GET", "/api/v1/admin/categories/"+backend+"/translations", c.tok, nil).wantStatus(200).decode(&names)
		if len(names.Data) != 1 || names.Data[0]["name"] != "Server" {
			t.Fatalf("names %+v", names)
		}
		// A technology's page in German: its German name, the guides published in German.
		var techs struct {
			Data []struct{ ID, Slug string } `json:"data"`
		}
		c.do("GET", "/api/v1/admin/technologies?limit=100", c.tok, nil).wantStatus(200).decode(&techs)
		for _, tc := range techs.Data {
			if tc.Slug == "django" {
				c.do("PUT", "/api/v1/admin/technologies/"+tc.ID+"/translations/de", c.tok, map[string]any{"name": "Django (de)"}).wantStatus(200)
			}
		}
		var page struct {
			Name   string                  `json:"name"`
			Guides []struct{ Slug string } `json:"guides"`
		}
		c.do("GET", "/api/v1/technologies/django?locale=de", "", nil).wantStatus(200).decode(&page)
		if page.Name != "Django (de)" || len(page.Guides) != 1 || page.Guides[0].Slug != "node-oder-django" {
			t.Fatalf("german technology page %+v", page)
		}
		if got := c.localized("/api/v1/guides/node-or-django?locale=de"); got.Options[1].Technology.Name != "Django (de)" {
			t.Fatalf("option name %q", got.Options[1].Technology.Name)
		}
		c.do("GET", "/api/v1/technologies/django", "", nil).wantStatus(200).decode(&page)
		if page.Name != "Django" || len(page.Guides) < 2 {
			t.Fatalf("default technology page %+v", page)
		}
		c.do("DELETE", "/api/v1/admin/categories/"+backend+"/translations/de", c.tok, nil).wantStatus(204)
		if got := c.localized("/api/v1/guides/node-or-django?locale=de"); got.Category.Name != "Backend" {
			t.Fatalf("category name after delete %q", got.Category.Name)
		}
	})
}

// TestLocalesCacheKeyedOnLocale checks that the cache keeps locales apart
// and that a change to one locale reaches its readers at once.
func TestLocalesCacheKeyedOnLocale(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		c := newContent(t, db)
		g := c.act(c.create(doc("node-or-django", "Node or Django")), "publish", nil)
		de := c.translate(g.ID, "de", 0, germanTexts("node-oder-django", "Node oder Django"))
		de = c.translationAct(g.ID, de, "publish", nil)
		for range 2 { // the second read of each comes from the cache
			if got := c.localized("/api/v1/guides/node-or-django", "Accept-Language", "de"); got.Locale != "de" {
				t.Fatalf("de: %s", got.Locale)
			}
			if got := c.localized("/api/v1/guides/node-or-django"); got.Locale != "en" {
				t.Fatalf("en: %s", got.Locale)
			}
		}
		de = c.translate(g.ID, "de", de.Version, germanTexts("node-oder-django", "Node oder Django, neu"))
		if got := c.localized("/api/v1/guides/node-or-django", "Accept-Language", "de"); got.Title != "Node oder Django" {
			t.Fatalf("an unpublished draft reached readers: %q", got.Title)
		}
		c.translationAct(g.ID, de, "publish", nil)
		if got := c.localized("/api/v1/guides/node-or-django", "Accept-Language", "de"); got.Title != "Node oder Django, neu" {
			t.Fatalf("stale german title %q", got.Title)
		}
		raw, _ := json.Marshal(c.localized("/api/v1/guides/node-or-django"))
		if !strings.Contains(string(raw), `"title":"Node or Django"`) {
			t.Fatalf("english changed: %s", raw)
		}
		// A related guide published in German changes the stored German
		// rendering of the guides that list it.
		var related struct {
			Related []struct{ Title string } `json:"related"`
		}
		c.do("GET", "/api/v1/guides/node-or-django?locale=de", "", nil).wantStatus(200).decode(&related)
		if len(related.Related) != 1 || related.Related[0].Title != "React vs Next.js" {
			t.Fatalf("related %+v", related)
		}
		rid := c.guideID("react-vs-nextjs")
		rde := c.translate(rid, "de", 0, germanTexts("react-oder-nextjs", "React oder Next.js"))
		c.translationAct(rid, rde, "publish", nil)
		c.do("GET", "/api/v1/guides/node-or-django?locale=de", "", nil).wantStatus(200).decode(&related)
		if related.Related[0].Title != "React oder Next.js" {
			t.Fatalf("stale related title %q", related.Related[0].Title)
		}
	})
}

// TestLocalesRecommendationAndPage checks that the decision engine scores
// a translation exactly as its source and answers in the asked locale, and
// that hosted pages honour the locale.
func TestLocalesRecommendationAndPage(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		c := newContent(t, db)
		var pub struct {
			Checklist struct {
				Questions []struct {
					ID   string `json:"id"`
					Text string `json:"text"`
				} `json:"questions"`
			} `json:"checklist"`
		}
		c.do("GET", "/api/v1/guides/node-vs-django", "", nil).wantStatus(200).decode(&pub)
		id := c.guideID("node-vs-django")
		var questions []any
		for _, q := range pub.Checklist.Questions {
			questions = append(questions, map[string]any{"id": q.ID, "text": "DE: " + q.Text})
		}
		de := c.translate(id, "de", 0, map[string]any{"title": "Node.js oder Django", "slug": "node-oder-django",
			"summary": "Zusammenfassung.", "checklist": questions})
		c.translationAct(id, de, "publish", nil)

		answers := map[string]any{"answers": map[string]any{}}
		var en, ger struct {
			Locale  string `json:"locale"`
			Leaning string `json:"leaning"`
			Options []struct {
				Score int `json:"score"`
			} `json:"options"`
			Unanswered []struct {
				Text string `json:"text"`
			} `json:"unanswered"`
		}
		c.do("POST", "/api/v1/guides/node-vs-django/recommendation", "", answers).wantStatus(200).decode(&en)
		c.do("POST", "/api/v1/guides/node-vs-django/recommendation?locale=de", "", answers).wantStatus(200).decode(&ger)
		if en.Locale != "en" || ger.Locale != "de" || len(ger.Unanswered) == 0 || !strings.HasPrefix(ger.Unanswered[0].Text, "DE: ") {
			t.Fatalf("en %+v / de %+v", en, ger)
		}
		if fmt.Sprint(en.Options) != fmt.Sprint(ger.Options) || en.Leaning != ger.Leaning {
			t.Fatalf("scores differ: en %+v, de %+v", en.Options, ger.Options)
		}
		c.do("POST", "/api/v1/guides/node-vs-django/recommendation?locale=%21%21", "", answers).problem(400)

		page := c.do("GET", "/g/node-vs-django", "", nil, "Accept-Language", "de").wantStatus(200)
		if !strings.Contains(string(page.body), "Node.js oder Django") {
			t.Fatal("hosted page not in German")
		}
		if page := c.do("GET", "/g/node-vs-django", "", nil).wantStatus(200); strings.Contains(string(page.body), "Node.js oder Django") {
			t.Fatal("German served to a reader without a language")
		}
	})
}

// TestLocalesExportImportRoundTrip: translations and translated names
// leave in the export file and come back from it unchanged.
func TestLocalesExportImportRoundTrip(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		c := newContent(t, db)
		c.user("root@example.com", "admin")
		admin := c.login("root@example.com").AccessToken
		id := c.guideID("node-vs-django")
		de := c.translate(id, "de", 0, germanTexts("node-oder-django", "Node.js oder Django"))
		c.translationAct(id, de, "publish", nil)
		c.translate(id, "pt", 0, map[string]any{"title": "Node.js ou Django", "slug": "node-ou-django", "summary": "Resumo."})
		var cats struct {
			Data []struct{ ID, Slug string } `json:"data"`
		}
		c.do("GET", "/api/v1/admin/categories", c.tok, nil).wantStatus(200).decode(&cats)
		c.do("PUT", "/api/v1/admin/categories/"+cats.Data[0].ID+"/translations/de", c.tok, map[string]any{"name": "Kategorie"}).wantStatus(200)

		first := c.do("GET", "/api/v1/admin/export", c.tok, nil).wantStatus(200).body
		if !strings.Contains(string(first), `"locale":"de","status":"published"`) || !strings.Contains(string(first), `"category_translations":[{`) {
			t.Fatalf("export lacks translations: %.400s", first)
		}
		// Remove them, import the file: everything is back as it was.
		c.do("DELETE", "/api/v1/admin/guides/"+id+"/translations/de", c.tok, nil).wantStatus(204)
		c.do("DELETE", "/api/v1/admin/guides/"+id+"/translations/pt", c.tok, nil).wantStatus(204)
		c.do("DELETE", "/api/v1/admin/categories/"+cats.Data[0].ID+"/translations/de", c.tok, nil).wantStatus(204)
		c.do("GET", "/api/v1/guides/node-oder-django?locale=de", "", nil).problem(404)

		var rep struct {
			Created []string `json:"created"`
			Updated []string `json:"updated"`
		}
		c.do("POST", "/api/v1/admin/import", admin, string(first)).wantStatus(200).decode(&rep)
		if !slices.Equal(rep.Created, []string{"translation node-vs-django (de)", "translation node-vs-django (pt)"}) || len(rep.Updated) != 1 {
			t.Fatalf("import %+v", rep)
		}
		if got := c.localized("/api/v1/guides/node-oder-django?locale=de"); got.Title != "Node.js oder Django" {
			t.Fatalf("imported translation not public: %+v", got)
		}
		if got := c.localized("/api/v1/guides/node-vs-django?locale=pt"); got.Locale != "en" {
			t.Fatal("a draft translation was published by the import")
		}
		second := c.do("GET", "/api/v1/admin/export", c.tok, nil).wantStatus(200).body
		if string(first) != string(second) {
			t.Fatalf("round trip changed the file:\n%s\n%s", first, second)
		}
		c.do("POST", "/api/v1/admin/import", admin, string(second)).wantStatus(200).decode(&rep)
		if len(rep.Created)+len(rep.Updated) != 0 {
			t.Fatalf("re-import changed %+v", rep)
		}
		bad := strings.Replace(string(first), `"locale":"pt"`, `"locale":"fr"`, 1)
		p := c.do("POST", "/api/v1/admin/import", admin, bad).problem(400)
		if f := p.fields(); len(f) != 1 || !strings.HasSuffix(f[0], ".locale") {
			t.Fatalf("fields %v", f)
		}
	})
}

// TestLocalesIntakeConfirmation: the intake stores the prospect's locale
// (the form's, else Accept-Language) and confirms in that language.
func TestLocalesIntakeConfirmation(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		in := newIntake(t, db)
		bad := submission("Bad Tag")
		bad["locale"] = "!!"
		if f := in.submit(bad).problem(400).fields(); !slices.Equal(f, []string{"locale"}) {
			t.Fatalf("fields %v", f)
		}
		greta := submission("Greta Schmidt")
		in.submit(greta, "Accept-Language", "de-DE,de;q=0.9").wantStatus(201)
		ellen := submission("Ellen Page")
		ellen["locale"] = "en-GB"
		in.submit(ellen, "Accept-Language", "de").wantStatus(201)
		joao := submission("Joao Silva")
		joao["locale"] = "pt-BR"
		in.submit(joao).wantStatus(201)
		in.drain()
		in.smtp.Wait(6, 5*time.Second)
		subjects := map[string]string{}
		for _, m := range in.smtp.Messages() {
			subjects[m.To[0]] = m.Header.Get("Subject")
		}
		for email, want := range map[string]string{
			"greta.schmidt@example.com": "Wir haben Ihre Anfrage erhalten",
			"ellen.page@example.com":    "We received your request",
			"joao.silva@example.com":    "We received your request", // pt-BR: no template, English
		} {
			if !strings.HasPrefix(subjects[email], want) {
				t.Errorf("%s: subject %q, want %q…", email, subjects[email], want)
			}
		}
		var leads struct {
			Data []struct {
				Email  string `json:"email"`
				Locale string `json:"locale"`
			} `json:"data"`
		}
		in.do("GET", "/api/v1/admin/leads", in.admin, nil).wantStatus(200).decode(&leads)
		got := map[string]string{}
		for _, l := range leads.Data {
			got[l.Email] = l.Locale
		}
		if got["greta.schmidt@example.com"] != "de" || got["ellen.page@example.com"] != "en" || got["joao.silva@example.com"] != "pt-BR" {
			t.Fatalf("stored locales %v", got)
		}
	})
}

// guideID finds a guide's ID by its slug through the admin list.
func (c *content) guideID(slug string) string {
	c.t.Helper()
	var list struct {
		Data []struct{ ID, Slug string } `json:"data"`
	}
	c.do("GET", "/api/v1/admin/guides?limit=100", c.tok, nil).wantStatus(200).decode(&list)
	for _, g := range list.Data {
		if g.Slug == slug {
			return g.ID
		}
	}
	c.t.Fatalf("no guide %s", slug)
	return ""
}

// TestLocalesSingleLocale: a site with one locale names it but does not
// make caches vary by Accept-Language.
func TestLocalesSingleLocale(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		c := newContent(t, db)
		c.guides.SetLocales(locale.MustParse("en"))
		res := c.do("GET", "/api/v1/guides/node-vs-django", "", nil, "Accept-Language", "de").wantStatus(200)
		if res.header.Get("Content-Language") != "en" || strings.Contains(res.header.Get("Vary"), "Accept-Language") {
			t.Fatalf("Content-Language %q, Vary %q", res.header.Get("Content-Language"), res.header.Get("Vary"))
		}
		c.do("GET", "/api/v1/admin/guides/"+c.guideID("node-vs-django")+"/translations/de", c.tok, nil).problem(404)
	})
}

// TestLocalesWebhooks: publishing and unpublishing a translation are the
// guide events, with the locale, so a static site rebuilds that locale.
func TestLocalesWebhooks(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		in := newIntake(t, db)
		secret := ""
		rcv := newReceiver(t, &secret)
		var hook struct{ Secret string }
		in.do("POST", "/api/v1/admin/webhooks", in.admin, map[string]any{
			"url": rcv.URL + "/hooks", "events": []string{"guide.published", "guide.unpublished"}, "active": true,
		}).wantStatus(201).decode(&hook)
		secret = hook.Secret
		id := in.guideID("node-vs-django")
		de := in.translate(id, "de", 0, germanTexts("node-oder-django", "Node.js oder Django"))
		de = in.translationAct(id, de, "publish", nil)
		in.translationAct(id, de, "unpublish", nil)
		in.drain()
		rcv.mu.Lock()
		defer rcv.mu.Unlock()
		var got []string
		for _, ev := range rcv.events {
			var d struct{ Locale, Slug string }
			_ = json.Unmarshal(ev.Data, &d)
			got = append(got, ev.Type+" "+d.Locale+" "+d.Slug)
		}
		if !slices.Equal(got, []string{"guide.published de node-oder-django", "guide.unpublished de node-oder-django"}) {
			t.Fatalf("events %v", got)
		}
	})
}
