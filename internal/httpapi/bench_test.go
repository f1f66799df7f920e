package httpapi_test

import (
	"testing"

	"github.com/valyala/fasthttp"

	"github.com/verdict-cms/verdict/internal/dbtest"
	"github.com/verdict-cms/verdict/internal/seed"
)

// BenchmarkPublicGuideCached measures the in-process cost of a cached public
// guide read through the full middleware chain, without the network.
func BenchmarkPublicGuideCached(b *testing.B) { benchCachedGET(b, "/api/v1/guides/node-vs-django") }

// BenchmarkSitePageCached is the same for the guide's hosted page.
func BenchmarkSitePageCached(b *testing.B) { benchCachedGET(b, "/g/node-vs-django", withSite) }

func benchCachedGET(b *testing.B, path string, opts ...envOption) {
	db := dbtest.SQLite(b)
	e := newEnv(&testing.T{}, db, opts...)
	if _, err := seed.Load(b.Context(), e.guides, ""); err != nil {
		b.Fatal(err)
	}
	h := e.app.Handler()
	var ctx fasthttp.RequestCtx
	ctx.Request.SetRequestURI(path)
	ctx.Request.Header.SetMethod("GET")
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
