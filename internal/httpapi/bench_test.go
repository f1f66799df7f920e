package httpapi_test

import (
	"testing"

	"github.com/valyala/fasthttp"

	"github.com/verdict-cms/verdict/internal/dbtest"
	"github.com/verdict-cms/verdict/internal/seed"
)

// BenchmarkPublicGuideCached measures the in-process cost of a cached public
// guide read through the full middleware chain, without the network.
func BenchmarkPublicGuideCached(b *testing.B) {
	t := &testing.T{}
	_ = t
	db := dbtest.SQLite(b)
	e := newEnv(&testing.T{}, db)
	if _, err := seed.Load(b.Context(), e.guides, ""); err != nil {
		b.Fatal(err)
	}
	h := e.app.Handler()
	var ctx fasthttp.RequestCtx
	ctx.Request.SetRequestURI("/api/v1/guides/node-vs-django")
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
