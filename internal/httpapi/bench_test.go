package httpapi_test

import (
	"testing"

	"github.com/valyala/fasthttp"

	"github.com/verdict-cms/verdict/internal/dbtest"
	"github.com/verdict-cms/verdict/internal/guide"
	"github.com/verdict-cms/verdict/internal/seed"
)

// BenchmarkPublicGuideCached measures the in-process cost of a cached public
// guide read through the full middleware chain, without the network.
func BenchmarkPublicGuideCached(b *testing.B) { benchCachedGET(b, "/api/v1/guides/node-vs-django") }

// BenchmarkSitePageCached is the same for the guide's hosted page.
func BenchmarkSitePageCached(b *testing.B) { benchCachedGET(b, "/g/node-vs-django", withSite) }

// BenchmarkPublicGuideTranslatedCached reads the seed guide's German
// translation, negotiated from Accept-Language, from the cache; compare
// with BenchmarkPublicGuideAcceptLanguageCached, the same header resolving
// to the default locale.
func BenchmarkPublicGuideTranslatedCached(b *testing.B) {
	benchGET(b, "/api/v1/guides/node-vs-django", withGermanSeed("de-DE,de;q=0.9,en;q=0.8"))
}

// BenchmarkPublicGuideAcceptLanguageCached reads the default locale with a
// browser's Accept-Language header.
func BenchmarkPublicGuideAcceptLanguageCached(b *testing.B) {
	benchGET(b, "/api/v1/guides/node-vs-django", withGermanSeed("en-US,en;q=0.9,de;q=0.8"))
}

// withGermanSeed translates and publishes the seed guide in German and
// sends acceptLanguage with every request.
func withGermanSeed(acceptLanguage string) func(*testEnv, *fasthttp.Request) error {
	return func(e *testEnv, req *fasthttp.Request) error {
		ctx := e.t.Context()
		d, err := e.guides.GuideBySlug(ctx, "node-vs-django")
		if err != nil {
			return err
		}
		texts := guide.TextsOf(&guide.Document{Title: "Node.js oder Django", Slug: "node-oder-django", Summary: "Zusammenfassung."})
		if _, _, err := e.guides.SaveTranslation(ctx, "", d.Guide.ID, "de", texts, 0); err != nil {
			return err
		}
		if _, err := e.guides.PublishTranslation(ctx, d.Guide.ID, "de", 1); err != nil {
			return err
		}
		req.Header.Set("Accept-Language", acceptLanguage)
		return nil
	}
}

func benchCachedGET(b *testing.B, path string, opts ...envOption) { benchGET(b, path, nil, opts...) }

// benchGET measures cached GETs of path after setup (nil for none)
// prepared the content and the request.
func benchGET(b *testing.B, path string, setup func(*testEnv, *fasthttp.Request) error, opts ...envOption) {
	db := dbtest.SQLite(b)
	e := newEnv(&testing.T{}, db, opts...)
	if _, err := seed.Load(b.Context(), e.guides, ""); err != nil {
		b.Fatal(err)
	}
	h := e.app.Handler()
	var ctx fasthttp.RequestCtx
	ctx.Request.SetRequestURI(path)
	ctx.Request.Header.SetMethod("GET")
	if setup != nil {
		if err := setup(e, &ctx.Request); err != nil {
			b.Fatal(err)
		}
	}
	h(&ctx)
	if ctx.Response.StatusCode() != 200 {
		b.Fatalf("status %d", ctx.Response.StatusCode())
	}
	b.ReportAllocs()
	for b.Loop() {
		ctx.Response.Reset()
		h(&ctx)
	}
}

// BenchmarkRecommendation measures scoring a full set of answers for the
// seed guide through the whole middleware chain, the model in memory.
func BenchmarkRecommendation(b *testing.B) {
	db := dbtest.SQLite(b)
	e := newEnv(&testing.T{}, db)
	if _, err := seed.Load(b.Context(), e.guides, ""); err != nil {
		b.Fatal(err)
	}
	h := e.app.Handler()
	body := []byte(`{"answers":{"team-language":"python","realtime":"no","admin-panel":"yes","data-science":"yes",` +
		`"share-code":"no","request-volume":"medium","convention":"convention","databases":["sql","mongodb"]}}`)
	var ctx fasthttp.RequestCtx
	run := func() {
		ctx.Request.Reset()
		ctx.Response.Reset()
		ctx.Request.SetRequestURI("/api/v1/guides/node-vs-django/recommendation")
		ctx.Request.Header.SetMethod("POST")
		ctx.Request.Header.SetContentType("application/json")
		ctx.Request.SetBody(body)
		h(&ctx)
	}
	run()
	if ctx.Response.StatusCode() != 200 {
		b.Fatalf("status %d: %s", ctx.Response.StatusCode(), ctx.Response.Body())
	}
	b.ReportAllocs()
	for b.Loop() {
		run()
	}
}
