package httpapi_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/valyala/fasthttp"

	"github.com/verdict-cms/verdict/internal/dbtest"
)

// BenchmarkConsultation measures one intake submission with the intake
// limit on, each from its own address through a trusted proxy, as
// bench/intake.sh sends them: through the whole middleware chain to the
// database the tests use (PostgreSQL with VERDICT_TEST_DATABASE_URL).
func BenchmarkConsultation(b *testing.B) {
	db := dbtest.SQLite(b)
	if os.Getenv("VERDICT_TEST_DATABASE_URL") != "" {
		db = dbtest.Postgres(b)
	}
	e := benchEnv(b, db, behindProxy(10))
	h := e.app.Handler()
	body := []byte(`{"name":"Ada Lovelace","email":"ada@example.com","company":"Analytical Engines","role":"CTO",` +
		`"project_description":"A real-time dashboard for our factory floor.","guide":"node-vs-django","consent":true,` +
		`"utm_source":"bench","answers":{"team-language":"python","realtime":"no","admin-panel":"yes","data-science":"yes",` +
		`"share-code":"no","request-volume":"medium","convention":"convention","databases":["sql","mongodb"]},` +
		`"preferred_technologies":["nodejs"],"request_volume":"1k-100k-per-day","team_language":"javascript",` +
		`"timeline":"1-3-months","budget":"10k-50k"}`)
	var ctx fasthttp.RequestCtx
	n := 0
	run := func() {
		n++
		ctx.ResetUserValues() // the client address is kept there
		setPostJSON(&ctx, "/api/v1/consultations", body)
		ctx.Request.Header.Set("X-Forwarded-For", fmt.Sprintf("10.%d.%d.%d", n>>16&255, n>>8&255, n&255))
		h(&ctx)
	}
	run()
	wantBenchStatus(b, &ctx, 201)
	b.ReportAllocs()
	for b.Loop() {
		run()
		wantBenchStatus(b, &ctx, 201)
	}
}
