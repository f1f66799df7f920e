package httpapi_test

import (
	"io"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
	"github.com/verdict-cms/verdict/internal/guide"
	"github.com/verdict-cms/verdict/internal/httpapi"
	"github.com/verdict-cms/verdict/internal/seed"
)

// BenchmarkPublicGuideCached measures the in-process cost of a cached public
// guide read through the full middleware chain, without the network.
func BenchmarkPublicGuideCached(b *testing.B) { benchCachedGET(b, "/api/v1/guides/node-vs-django") }

// BenchmarkPublicListCached is the same for the first page of the list.
func BenchmarkPublicListCached(b *testing.B) { benchCachedGET(b, "/api/v1/guides?limit=20") }

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
	e := benchEnv(b, dbtest.SQLite(b), opts...)
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
	wantBenchStatus(b, &ctx, 200)
	b.ReportAllocs()
	for b.Loop() {
		ctx.Response.Reset()
		h(&ctx)
	}
}

// benchEnv is a benchmark's environment on db: the seed guides loaded, the
// logs dropped as they come (as serve's buffered sink does; a buffer growing
// for ever would be measured too).
func benchEnv(b *testing.B, db *database.DB, opts ...envOption) *testEnv {
	e := newEnv(&testing.T{}, db, opts...)
	if _, err := seed.Load(b.Context(), e.guides, ""); err != nil {
		b.Fatal(err)
	}
	e.logsOut.mu.Lock()
	e.logsOut.w = io.Discard
	e.logsOut.mu.Unlock()
	return e
}

// setPostJSON makes ctx a fresh POST of the JSON body to path.
func setPostJSON(ctx *fasthttp.RequestCtx, path string, body []byte) {
	ctx.Request.Reset()
	ctx.Response.Reset()
	ctx.Request.SetRequestURI(path)
	ctx.Request.Header.SetMethod("POST")
	ctx.Request.Header.SetContentType("application/json")
	ctx.Request.SetBody(body)
}

// wantBenchStatus stops the benchmark unless ctx's response has status.
func wantBenchStatus(b *testing.B, ctx *fasthttp.RequestCtx, status int) {
	if ctx.Response.StatusCode() != status {
		b.Fatalf("status %d: %s", ctx.Response.StatusCode(), ctx.Response.Body())
	}
}

// BenchmarkRecommendation measures scoring a full set of answers for the
// seed guide through the whole middleware chain, the model in memory.
func BenchmarkRecommendation(b *testing.B) {
	e := benchEnv(b, dbtest.SQLite(b))
	h := e.app.Handler()
	body := []byte(`{"answers":{"team-language":"python","realtime":"no","admin-panel":"yes","data-science":"yes",` +
		`"share-code":"no","request-volume":"medium","convention":"convention","databases":["sql","mongodb"]}}`)
	var ctx fasthttp.RequestCtx
	run := func() {
		setPostJSON(&ctx, "/api/v1/guides/node-vs-django/recommendation", body)
		h(&ctx)
	}
	run()
	wantBenchStatus(b, &ctx, 200)
	b.ReportAllocs()
	for b.Loop() {
		run()
	}
}

// BenchmarkCeiling is BenchmarkPublicGuideCached's reference, as bench/ceiling
// is make bench's: a bare Fiber app on Verdict's server configuration
// sending the same bytes. The ratio of the two is what Verdict's routing,
// middleware and cache add in process.
func BenchmarkCeiling(b *testing.B) {
	e := benchEnv(b, dbtest.SQLite(b))
	body := e.do("GET", "/api/v1/guides/node-vs-django", "", nil).body
	app := fiber.New(httpapi.ServerConfig(httpapi.Options{}))
	app.Get("/*", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
		return c.Send(body)
	})
	h := app.Handler()
	var ctx fasthttp.RequestCtx
	ctx.Request.SetRequestURI("/api/v1/guides/node-vs-django")
	ctx.Request.Header.SetMethod("GET")
	b.ReportAllocs()
	for b.Loop() {
		ctx.Response.Reset()
		h(&ctx)
	}
}
