package httpapi_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/verdict-cms/verdict/internal/auth"
	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
	"github.com/verdict-cms/verdict/internal/httpapi"
	"github.com/verdict-cms/verdict/internal/seed"
)

func TestProblemDocuments(t *testing.T) {
	e := newEnv(t, dbtest.SQLite(t))
	e.app.Get("/test/panic", func(*fiber.Ctx) error { panic("boom: secret internals") })
	e.app.Get("/test/fail", func(*fiber.Ctx) error { return errors.New("pq: password=hunter2 leaked") })
	for _, tc := range []struct {
		name, method, path string
		body               any
		status             int
		slug               string
	}{
		{"unknown route", "GET", "/api/v1/nothing", nil, 404, "not-found"},
		{"wrong method", "DELETE", "/api/v1/auth/login", nil, 405, "method-not-allowed"},
		{"panic", "GET", "/test/panic", nil, 500, "internal"},
		{"internal error", "GET", "/test/fail", nil, 500, "internal"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := e.sub(t)
			res := e.do(tc.method, tc.path, "", tc.body)
			p := res.problem(tc.status)
			if p.Type != "https://verdict.dev/problems/"+tc.slug {
				t.Fatalf("type=%q", p.Type)
			}
			if strings.Contains(string(res.body), "secret internals") || strings.Contains(string(res.body), "hunter2") {
				t.Fatalf("internal error text reached the client: %s", res.body)
			}
		})
	}
	if !strings.Contains(e.logs.String(), "internal error") {
		t.Fatal("internal errors were not logged")
	}
}

// TestOversizeBody runs a real listener: the body limit is enforced by the
// HTTP server before any handler, and must still answer a problem document.
func TestOversizeBody(t *testing.T) {
	e := newEnv(t, dbtest.SQLite(t))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = e.app.Listener(ln) }()
	t.Cleanup(func() { _ = e.app.Shutdown() })
	body := `{"email":"` + strings.Repeat("a", 70<<10) + `","password":"x"}`
	res, err := http.Post("http://"+ln.Addr().String()+"/api/v1/auth/login", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") {
		t.Fatalf("status=%d type=%q body=%s, want a 413 problem", res.StatusCode, res.Header.Get("Content-Type"), raw)
	}
}

func TestRequestIDAndHeaders(t *testing.T) {
	e := newEnv(t, dbtest.SQLite(t))
	res := e.do("GET", "/healthz", "", nil, "X-Request-ID", "abc-123").wantStatus(200)
	if got := res.header.Values("X-Request-ID"); len(got) != 1 || got[0] != "abc-123" {
		t.Fatalf("X-Request-ID=%q, want the client's, once", got)
	}
	res = e.do("GET", "/healthz", "", nil, "X-Request-ID", "bad id\twith spaces and more")
	if got := res.header.Get("X-Request-ID"); got == "" || strings.Contains(got, " ") {
		t.Fatalf("X-Request-ID=%q, want a fresh one", got)
	}
	for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY"} {
		if got := res.header.Get(h); got != want {
			t.Errorf("%s=%q, want %q", h, got, want)
		}
	}
	p := e.do("GET", "/api/v1/missing", "", nil, "X-Request-ID", "trace-7").problem(404)
	if p.Instance != "trace-7" {
		t.Fatalf("instance=%q, want the request ID", p.Instance)
	}
	e.do("GET", "/api/v1/auth/me", "", nil, "Authorization", "Basic abc").problem(401)
}

func TestLogsCarryNoSecrets(t *testing.T) {
	e := newEnv(t, dbtest.SQLite(t))
	e.user("ada@example.com", auth.RoleAdmin)
	tk := e.login("ada@example.com")
	e.do("GET", "/api/v1/auth/me?token="+tk.AccessToken, tk.AccessToken, nil)
	e.do("POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": tk.RefreshToken})
	logs := e.logs.String()
	for _, secret := range []string{"correct horse battery", tk.AccessToken, tk.RefreshToken} {
		if strings.Contains(logs, secret) {
			t.Fatalf("a secret reached the log: %q", secret)
		}
	}
	if !strings.Contains(logs, `"path":"/api/v1/auth/me"`) {
		t.Fatalf("the access log is missing: %s", logs)
	}
}

func TestCORSAllowlist(t *testing.T) {
	e := newEnv(t, dbtest.SQLite(t), func(o *httpapiOptions, _ *auth.Config) { o.CORSOrigins = []string{"https://site.example"} })
	res := e.do("OPTIONS", "/api/v1/auth/login", "", nil, "Origin", "https://site.example", "Access-Control-Request-Method", "POST")
	if got := res.header.Get("Access-Control-Allow-Origin"); got != "https://site.example" {
		t.Fatalf("allowed origin: Access-Control-Allow-Origin=%q", got)
	}
	res = e.do("OPTIONS", "/api/v1/auth/login", "", nil, "Origin", "https://evil.example", "Access-Control-Request-Method", "POST")
	if got := res.header.Get("Access-Control-Allow-Origin"); got != "" {
		t.Fatalf("other origin: Access-Control-Allow-Origin=%q, want none", got)
	}
}

type downPinger struct{}

func (downPinger) Ping(context.Context) error { return errors.New("connection refused") }

func TestReadiness(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		newEnv(t, db).do("GET", "/readyz", "", nil).wantStatus(200)
	})
	app := httpapi.New(httpapi.Deps{DB: downPinger{}, Log: slog.New(slog.DiscardHandler)}, httpapi.Options{BodyLimit: 1 << 10})
	res, err := app.Test(httptest.NewRequest("GET", "/readyz", nil))
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" {
		t.Fatalf("status=%d Retry-After=%q, want 503 with Retry-After", res.StatusCode, res.Header.Get("Retry-After"))
	}
	if res, _ := app.Test(httptest.NewRequest("GET", "/healthz", nil)); res.StatusCode != 200 {
		t.Fatalf("healthz=%d while the database is down, want 200", res.StatusCode)
	}
}

// TestDatabaseDownIs503 points Verdict at a PostgreSQL port nobody listens
// on: requests that need the database get 503, never 500.
func TestDatabaseDownIs503(t *testing.T) {
	gdb, err := gorm.Open(postgres.Open("postgres://verdict@127.0.0.1:1/verdict?sslmode=disable&connect_timeout=2"),
		&gorm.Config{DisableAutomaticPing: true, TranslateError: true, Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, &database.DB{DB: gdb, Dialect: database.Postgres})
	start := time.Now()
	res := e.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "a@example.com", "password": "whatever long"})
	res.problem(http.StatusServiceUnavailable)
	if res.header.Get("Retry-After") == "" {
		t.Fatal("503 without Retry-After")
	}
	if time.Since(start) > 5*time.Second {
		t.Fatal("the request hung on the dead database")
	}
	e.do("GET", "/readyz", "", nil).problem(http.StatusServiceUnavailable)
	res = e.do("POST", "/api/v1/consultations", "", submission("Ada Lovelace"))
	res.problem(http.StatusServiceUnavailable)
	e.do("GET", "/api/v1/guides/node-vs-django", "", nil).problem(http.StatusServiceUnavailable)
}

// TestAdminUIWithoutBuild: a binary built without Node.js still answers
// /admin, with how to build the UI.
func TestAdminUIWithoutBuild(t *testing.T) {
	e := newEnv(t, dbtest.SQLite(t))
	for _, path := range []string{"/admin", "/admin/guides/123"} {
		res := e.do("GET", path, "", nil).wantStatus(200)
		if !strings.Contains(string(res.body), "make ui") || !strings.HasPrefix(res.header.Get("Content-Type"), "text/html") {
			t.Fatalf("%s: %s", path, res.body)
		}
	}
}

// TestAccessLogFollowsLogFormat: access-log lines come in VERDICT_LOG_FORMAT,
// the same fields in both.
func TestAccessLogFollowsLogFormat(t *testing.T) {
	for _, c := range []struct {
		format string
		want   []string
	}{
		{"json", []string{`"level":"INFO","msg":"request","request_id":"trace-9","method":"GET","path":"/api/v1/x%20%22y%22","status":404,`}},
		{"text", []string{`level=INFO msg=request request_id=trace-9 method=GET path=/api/v1/x%20%22y%22 status=404 duration_us=`, ` ip=0.0.0.0 bytes=`}},
	} {
		t.Run(c.format, func(t *testing.T) {
			e := newEnv(t, dbtest.SQLite(t), func(o *httpapiOptions, _ *auth.Config) { o.LogFormat = c.format })
			e.do("GET", "/api/v1/x%20%22y%22", "", nil, "X-Request-ID", "trace-9").problem(404)
			var line string
			for _, l := range strings.Split(e.logs.String(), "\n") {
				if strings.Contains(l, "trace-9") && strings.Contains(l, "request") && !strings.Contains(l, "error") {
					line = l
				}
			}
			for _, w := range c.want {
				if !strings.Contains(line, w) {
					t.Fatalf("access line %q lacks %q", line, w)
				}
			}
			if c.format == "text" && strings.HasPrefix(line, "{") {
				t.Fatal("a JSON line in text format")
			}
		})
	}
}

// TestHeaderNamesInAnyCase: header names are case-insensitive, also those
// the hot path looks up without normalising the name (frame's
// DisableNormalizing): a client spelling them in lower case is understood.
func TestHeaderNamesInAnyCase(t *testing.T) {
	e := newEnv(t, dbtest.SQLite(t))
	if _, err := seed.Load(t.Context(), e.guides, ""); err != nil {
		t.Fatal(err)
	}
	send := func(path string, header map[string]string) *http.Response {
		t.Helper()
		req := httptest.NewRequest("GET", path, nil)
		for k, v := range header {
			req.Header[k] = []string{v} // as spelt: not canonicalised by Set
		}
		res, err := e.app.Test(req, 10_000)
		if err != nil {
			t.Fatal(err)
		}
		_ = res.Body.Close()
		return res
	}
	if got := send("/healthz", map[string]string{"x-request-id": "lower-1"}).Header.Get("X-Request-ID"); got != "lower-1" {
		t.Errorf("x-request-id: the response's ID is %q", got)
	}
	if got := send("/healthz", map[string]string{"X-REQUEST-ID": "upper-1"}).Header.Get("X-Request-ID"); got != "upper-1" {
		t.Errorf("X-REQUEST-ID: the response's ID is %q", got)
	}
	if res := send("/api/v1/auth/me", map[string]string{"authorization": "Basic abc"}); res.StatusCode != 401 {
		t.Errorf("authorization: status %d, want 401", res.StatusCode)
	}
	etag := send("/api/v1/guides/node-vs-django", nil).Header.Get("ETag")
	if res := send("/api/v1/guides/node-vs-django", map[string]string{"if-none-match": etag}); etag == "" || res.StatusCode != 304 {
		t.Errorf("if-none-match %q: status %d, want 304", etag, res.StatusCode)
	}
}
