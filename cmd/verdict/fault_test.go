package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
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
	t.Logf("%d backends terminated; %d requests: %v, slowest %v", n, len(out), counts, slowest(out))
	if slowest(out) > 5*time.Second+time.Second {
		t.Errorf("a request took %v, past the 5s request deadline", slowest(out))
	}
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

// TestListenerStalled freezes only instance B's LISTEN connection (through
// VERDICT_DATABASE_LISTEN_URL and a proxy that stops forwarding): the
// keepalive ping finds it half-open, B drops its caches, and a guide
// published on A is served by B within a second of that detection although
// the NOTIFY never reached B. After the proxy forwards again, B listens
// again and follows publishes through NOTIFY.
func TestListenerStalled(t *testing.T) {
	dbURL := dbtest.PostgresURL(t, false)
	listenURL, proxy := proxied(t, dbURL)
	listener := "verdict_b_listener_" + randomSuffix()
	listenURL += "&application_name=" + listener
	a := newProgram(t, dbURL)
	password := passwordLine.FindStringSubmatch(a.mustRun("", "bootstrap"))[1]
	b := &program{t: t, env: map[string]string{}}
	for k, v := range a.env {
		b.env[k] = v
	}
	const keepalive = 200 * time.Millisecond
	b.env["VERDICT_DATABASE_LISTEN_URL"] = listenURL
	b.env["VERDICT_LISTEN_KEEPALIVE"] = keepalive.String()
	ia, ib := startInstance(t, a), startInstance(t, b)
	token := login(t, ia, password)
	g := findGuide(t, ia, token, "Django")
	if got := publicTitle(t, ib, "node-vs-django"); got != "Node.js vs Django" {
		t.Fatalf("instance b serves %q", got)
	}

	proxy.Stall()
	stalled := time.Now()
	g.publish(t, ia, token, "Node.js vs Django (stalled)")
	for publicTitle(t, ib, "node-vs-django") != "Node.js vs Django (stalled)" {
		// Found half-open within two keepalives (silence, then a ping
		// without answer); coherent within a second of that.
		if time.Since(stalled) > 2*keepalive+time.Second {
			t.Fatalf("instance b still serves the old guide %v after its listener stalled", time.Since(stalled))
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("instance b served the new version %v after its listener stalled (keepalive %v)", time.Since(stalled).Round(time.Millisecond), keepalive)

	proxy.Resume()
	resumed := time.Now()
	admin, err := pgx.Connect(t.Context(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(context.Background())
	for {
		// The old connection is gone and a new one has run LISTEN (and
		// perhaps a keepalive ping since).
		var n int
		if err := admin.QueryRow(t.Context(), `SELECT count(*) FROM pg_stat_activity WHERE application_name = $1
			AND (query LIKE 'LISTEN%' OR query = '-- ping') AND state = 'idle'`, listener).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 1 {
			break
		}
		if time.Since(resumed) > 10*time.Second {
			t.Fatalf("the listener did not listen again after the proxy resumed (%d listening)", n)
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("listening again %v after the proxy resumed", time.Since(resumed).Round(time.Millisecond))
	published := time.Now()
	g.publish(t, ia, token, "Node.js vs Django (resumed)")
	for publicTitle(t, ib, "node-vs-django") != "Node.js vs Django (resumed)" {
		if time.Since(published) > time.Second {
			t.Fatalf("after reconnecting, instance b still serves the old guide %v after the publish", time.Since(published))
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("after the listener reconnected, instance b followed a publish in %v", time.Since(published).Round(time.Millisecond))
}

// editableGuide is a guide as the admin API returns it.
type editableGuide struct {
	ID       string         `json:"id"`
	Version  int            `json:"version"`
	Document map[string]any `json:"document"`
}

func findGuide(t *testing.T, in *instance, token, q string) *editableGuide {
	t.Helper()
	_, _, raw := in.call(t, "GET", "/api/v1/admin/guides?q="+url.QueryEscape(q), token, nil)
	var list struct{ Data []struct{ ID string } }
	_ = json.Unmarshal(raw, &list)
	if len(list.Data) == 0 {
		t.Fatalf("no guide matches %q: %s", q, raw)
	}
	var g editableGuide
	_, _, raw = in.call(t, "GET", "/api/v1/admin/guides/"+list.Data[0].ID, token, nil)
	_ = json.Unmarshal(raw, &g)
	return &g
}

// publish saves the guide under a new title and publishes it.
func (g *editableGuide) publish(t *testing.T, in *instance, token, title string) {
	t.Helper()
	g.Document["title"] = title
	status, _, raw := in.call(t, "PUT", "/api/v1/admin/guides/"+g.ID, token, g.Document, "If-Match", fmt.Sprintf(`"%d"`, g.Version))
	if status != 200 {
		t.Fatalf("save: %d %s", status, raw)
	}
	_ = json.Unmarshal(raw, g)
	status, _, raw = in.call(t, "POST", "/api/v1/admin/guides/"+g.ID+"/publish", token, nil, "If-Match", fmt.Sprintf(`"%d"`, g.Version))
	if status != 200 {
		t.Fatalf("publish: %d %s", status, raw)
	}
	_ = json.Unmarshal(raw, g)
}

func randomSuffix() string {
	return strconv.FormatInt(time.Now().UnixNano(), 36)
}

func publicTitle(t *testing.T, in *instance, slug string) string {
	t.Helper()
	_, _, body := in.call(t, "GET", "/api/v1/guides/"+slug, "", nil)
	var g struct{ Title string }
	_ = json.Unmarshal(body, &g)
	return g.Title
}

// TestSQLiteConcurrentEdits runs 100 editors at once against a real server
// on SQLite, each loading the guide and saving it: every answer is 200 or
// 409, never a 503 from the write lock nor a 500.
func TestSQLiteConcurrentEdits(t *testing.T) {
	p := newProgram(t, "")
	p.env["VERDICT_REQUEST_TIMEOUT"] = "30s" // this is about the write lock, not the deadline (-race is slow)
	password := passwordLine.FindStringSubmatch(p.mustRun("", "bootstrap"))[1]
	in := startInstance(t, p)
	token := login(t, in, password)
	id := findGuide(t, in, token, "Django").ID
	const n = 100
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var g editableGuide
			status, _, raw := in.call(t, "GET", "/api/v1/admin/guides/"+id, token, nil)
			if status != 200 {
				statuses[i] = status
				return
			}
			_ = json.Unmarshal(raw, &g)
			g.Document["title"] = fmt.Sprintf("Edit %d", i)
			statuses[i], _, _ = in.call(t, "PUT", "/api/v1/admin/guides/"+id, token, g.Document, "If-Match", fmt.Sprintf(`"%d"`, g.Version))
		}()
	}
	wg.Wait()
	counts := map[int]int{}
	for _, s := range statuses {
		counts[s]++
	}
	if counts[200] < 1 || counts[200]+counts[409] != n {
		t.Fatalf("statuses %v, want only 200 and 409", counts)
	}
	t.Logf("100 concurrent edits: %v", counts)
}
