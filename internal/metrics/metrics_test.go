package metrics_test

import (
	"io"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/verdict-cms/verdict/internal/metrics"
)

// TestRequestSeries: each route, method and status counts in its own
// series, also when new series appear while others are recorded.
func TestRequestSeries(t *testing.T) {
	m := metrics.New(nil, "", nil)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				m.Request("/g/:slug", "GET", 200, time.Millisecond)
				m.Request("/g/:slug", "GET", 304, time.Millisecond)
				m.Request("/api/v1/guides/:slug", "GET", 200, time.Millisecond)
			}
		})
	}
	wg.Wait()
	m.Request("/api/v1/guides/:slug", "HEAD", 200, time.Millisecond)
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	for _, want := range []string{
		`verdict_http_request_duration_seconds_count{method="GET",route="/g/:slug",status="200"} 400`,
		`verdict_http_request_duration_seconds_count{method="GET",route="/g/:slug",status="304"} 400`,
		`verdict_http_request_duration_seconds_count{method="GET",route="/api/v1/guides/:slug",status="200"} 400`,
		`verdict_http_request_duration_seconds_count{method="HEAD",route="/api/v1/guides/:slug",status="200"} 1`,
	} {
		if !strings.Contains(string(body), want+"\n") {
			t.Errorf("missing %s", want)
		}
	}
}
