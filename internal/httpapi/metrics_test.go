package httpapi_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/verdict-cms/verdict/internal/auth"
	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
)

func TestMetrics(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		const token = "scrape-token-0123456789"
		e := newEnv(t, db, func(o *httpapiOptions, _ *auth.Config) { o.MetricsToken = token })
		if _, err := seedContent(e); err != nil {
			t.Fatal(err)
		}
		in := &intake{content: &content{testEnv: e}}
		for range 3 {
			e.do("GET", "/api/v1/guides/node-vs-django", "", nil).wantStatus(200)
		}
		in.submit(submission("Ada Lovelace")).wantStatus(201)
		e.drain()

		e.do("GET", "/metrics", "", nil).problem(http.StatusUnauthorized)
		e.do("GET", "/metrics", "wrong-token-0123456789", nil).problem(http.StatusUnauthorized)
		res := e.do("GET", "/metrics", token, nil).wantStatus(200)
		body := string(res.body)
		for _, want := range []*regexp.Regexp{
			regexp.MustCompile(`verdict_http_request_duration_seconds_count\{method="GET",route="/api/v1/guides/:slug",status="200"\} 3`),
			regexp.MustCompile(`verdict_public_cache_requests_total\{result="hit"\} 2`),
			regexp.MustCompile(`verdict_public_cache_requests_total\{result="miss"\} 1`),
			regexp.MustCompile(`verdict_outbox_deliveries_total\{kind="mail",result="sent"\} [1-9]`),
			regexp.MustCompile(`verdict_outbox_pending 0`),
			regexp.MustCompile(`verdict_outbox_stats_up 1`),
			regexp.MustCompile(`go_goroutines \d+`),
		} {
			if !want.MatchString(body) {
				t.Errorf("metrics lack %s", want)
			}
		}
		if strings.Contains(body, token) {
			t.Fatal("the metrics leak the token")
		}
	})
	// Without a token the route does not exist on the main address.
	e := newEnv(t, dbtest.SQLite(t))
	e.do("GET", "/metrics", "", nil).problem(http.StatusNotFound)
}
