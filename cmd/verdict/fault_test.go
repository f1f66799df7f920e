package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/verdict-cms/verdict/internal/dbtest"
	"github.com/verdict-cms/verdict/internal/faulttest"
)

// proxied returns dbURL with its host replaced by a fault-injecting proxy
// to it, and the proxy.
func proxied(t *testing.T, dbURL string) (string, *faulttest.Proxy) {
	t.Helper()
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	p := faulttest.StartProxy(t, u.Host)
	u.Host = p.Addr()
	return u.String(), p
}

// outcome is one request's answer and how long it took.
type outcome struct {
	status     int
	retryAfter string
	took       time.Duration
}

// burst sends n requests at once, alternating a public write (a
// consultation) and an authenticated admin read, and returns their outcomes.
func burst(t *testing.T, in *instance, token string, n int) []outcome {
	t.Helper()
	out := make([]outcome, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			var status int
			var h http.Header
			if i%2 == 0 {
				status, h, _ = in.call(t, "POST", "/api/v1/consultations", "", consultation(fmt.Sprintf("Prospect %d", i)))
			} else {
				status, h, _ = in.call(t, "GET", "/api/v1/admin/guides?limit=5", token, nil)
			}
			out[i] = outcome{status: status, retryAfter: h.Get("Retry-After"), took: time.Since(start)}
		}()
	}
	wg.Wait()
	return out
}

func consultation(name string) map[string]any {
	return map[string]any{
		"name": name, "email": strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.com", "company": "Analytical Engines",
		"project_description": "A real-time dashboard for our factory.", "guide": "node-vs-django", "consent": true,
	}
}

func login(t *testing.T, in *instance, password string) string {
	t.Helper()
	status, _, raw := in.call(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": "admin@example.com", "password": password})
	if status != 200 {
		t.Fatalf("login: %d %s", status, raw)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	_ = json.Unmarshal(raw, &tok)
	return tok.AccessToken
}

func statusCounts(out []outcome) map[int]int {
	m := map[int]int{}
	for _, o := range out {
		m[o.status]++
	}
	return m
}

func slowest(out []outcome) time.Duration {
	d := make([]time.Duration, len(out))
	for i, o := range out {
		d[i] = o.took
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return d[len(d)-1]
}

// TestPostgresStalled freezes every connection between Verdict and
// PostgreSQL (a proxy that stops forwarding without closing): every request
// that needs the database answers 503 with Retry-After within the request
// deadline, none later, none 500; once the proxy forwards again requests
// succeed without a restart.
func TestPostgresStalled(t *testing.T) {
	dbURL, proxy := proxied(t, dbtest.PostgresURL(t, false))
	p := newProgram(t, dbURL)
	p.env["VERDICT_REQUEST_TIMEOUT"] = "1s"
	p.env["VERDICT_INTAKE_RATE_LIMIT"] = "0"
	password := passwordLine.FindStringSubmatch(p.mustRun("", "bootstrap"))[1]
	in := startInstance(t, p)
	token := login(t, in, password)
	if c := statusCounts(burst(t, in, token, 10)); c[201] != 5 || c[200] != 5 {
		t.Fatalf("before the stall: %v", c)
	}

	proxy.Stall()
	const deadline, margin = time.Second, 750 * time.Millisecond
	out := burst(t, in, token, 40)
	out = append(out, burst(t, in, token, 40)...) // the pool is now full of stalled connections
	for i, o := range out {
		if o.status != http.StatusServiceUnavailable || o.retryAfter == "" || o.took > deadline+margin {
			t.Errorf("request %d during the stall: %d Retry-After %q after %v; want 503 with Retry-After within %v", i, o.status, o.retryAfter, o.took, deadline+margin)
		}
	}
	start := time.Now()
	status, _, body := in.call(t, "GET", "/readyz", "", nil)
	if status != http.StatusServiceUnavailable || time.Since(start) > 2*time.Second+margin {
		t.Errorf("/readyz during the stall: %d after %v: %s", status, time.Since(start), body)
	}
	t.Logf("stall: %d requests, %v, slowest %v", len(out), statusCounts(out), slowest(out))

	proxy.Resume()
	resumed := time.Now()
	for {
		c := statusCounts(burst(t, in, token, 10))
		if c[201] == 5 && c[200] == 5 {
			break
		}
		if c[500] > 0 {
			t.Fatalf("a 500 after resume: %v", c)
		}
		if time.Since(resumed) > 10*time.Second {
			t.Fatalf("no recovery 10s after the proxy resumed: %v", c)
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("recovered %v after resume", time.Since(resumed).Round(time.Millisecond))
}

// TestPostgresBackendsTerminated kills Verdict's PostgreSQL connections
// with pg_terminate_backend while requests run: no request gets a 500 (a
// connection lost mid-query is a 503 with Retry-After), and requests succeed
// again as soon as the killing stops.
func TestPostgresBackendsTerminated(t *testing.T) {
	app := "verdict_fault_" + strings.ReplaceAll(t.Name(), "/", "_")
	dbURL := dbtest.PostgresURL(t, false) + "&application_name=" + app
	p := newProgram(t, dbURL)
	p.env["VERDICT_INTAKE_RATE_LIMIT"] = "0"
	password := passwordLine.FindStringSubmatch(p.mustRun("", "bootstrap"))[1]
	in := startInstance(t, p)
	token := login(t, in, password)

	admin, err := pgx.Connect(t.Context(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(context.Background())
	kill := func() int {
		var n int
		err := admin.QueryRow(t.Context(), `SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
			WHERE application_name = $1 AND pid <> pg_backend_pid()) k`, app).Scan(&n)
		if err != nil {
			t.Fatalf("pg_terminate_backend: %v", err)
		}
		return n
	}

	stop := make(chan struct{})
	killed := make(chan int)
	go func() {
		total := 0
		for {
			select {
			case <-stop:
				killed <- total
				return
			case <-time.After(100 * time.Millisecond):
				total += kill()
			}
		}
	}()
	var out []outcome
	for start := time.Now(); time.Since(start) < 1500*time.Millisecond; {
		out = append(out, burst(t, in, token, 20)...)
	}
	close(stop)
	n := <-killed
	counts := statusCounts(out)
	for _, o := range out {
		if o.status != 200 && o.status != 201 && o.status != 503 || o.status == 503 && o.retryAfter == "" {
			t.Errorf("while backends were killed: %d (Retry-After %q)", o.status, o.retryAfter)
		}
	}
	t.Logf("%d backends terminated; %d requests: %v", n, len(out), counts)
	if n == 0 {
		t.Fatal("no backend was terminated: the scenario tested nothing")
	}
	// A connection killed while idle fails its next query once (503); the
	// pool then replaces it.
	recovering := time.Now()
	for {
		c := statusCounts(burst(t, in, token, 20))
		if c[201] == 10 && c[200] == 10 {
			break
		}
		if c[500] > 0 || time.Since(recovering) > 5*time.Second {
			t.Fatalf("after the kills stopped: %v", c)
		}
	}
	t.Logf("all requests succeed again %v after the last kill", time.Since(recovering).Round(time.Millisecond))
}
