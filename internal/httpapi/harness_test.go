package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/crypto/bcrypt"

	"github.com/verdict-cms/verdict/internal/app"
	"github.com/verdict-cms/verdict/internal/auth"
	"github.com/verdict-cms/verdict/internal/config"
	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/funnel"
	"github.com/verdict-cms/verdict/internal/guide"
	"github.com/verdict-cms/verdict/internal/httpapi"
	"github.com/verdict-cms/verdict/internal/lead"
	"github.com/verdict-cms/verdict/internal/locale"
	"github.com/verdict-cms/verdict/internal/mail"
	"github.com/verdict-cms/verdict/internal/mailtest"
	"github.com/verdict-cms/verdict/internal/outbox"
)

var testCTA = guide.CTA{Heading: "Ready to start?", Title: "Need help deciding?",
	Text: "Every project is different. Let us analyze your specific requirements and recommend the best approach."}

var testKey = []byte("test-signing-key-0123456789abcdef0123456789")

// clock is a settable time source shared by the service and the test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// testEnv is a Verdict HTTP API on a real database.
type testEnv struct {
	t      testing.TB
	db     *database.DB
	app    *fiber.App
	auth   *auth.Service
	guides *guide.Service
	cache  *httpapi.Cache
	// renderer serves guide cache misses from stored renderings.
	renderer *httpapi.GuideRenderer
	leads    *lead.Service
	outbox   *outbox.Dispatcher
	smtp     *mailtest.Server
	clock    *clock
	logs     *bytes.Buffer
	funnel   *funnel.Collector
	logsOut  *syncWriter // guards logs; see logText
}

// testLocales are the locales every test server is configured with.
var testLocales = locale.MustParse("en,de,pt,pt-BR")

type httpapiOptions = httpapi.Options

type envOption func(*httpapiOptions, *auth.Config)

func newEnv(t testing.TB, db *database.DB, opts ...envOption) *testEnv {
	t.Helper()
	return newEnvLeads(t, db, lead.Config{TeamEmail: "team@example.com", SendConfirmation: true}, opts...)
}

// newEnvLeads is newEnv with the intake's policy lcfg.
func newEnvLeads(t testing.TB, db *database.DB, lcfg lead.Config, opts ...envOption) *testEnv {
	t.Helper()
	clk := &clock{t: time.Now().UTC().Truncate(time.Second)}
	acfg := auth.Config{RefreshTTL: 24 * time.Hour, LoginMaxFailuresPerAccount: 5, LoginMaxFailuresPerIP: 20, LoginWindow: 15 * time.Minute}
	hopts := httpapi.Options{BodyLimit: 64 << 10, IntakeWindow: time.Hour}
	for _, o := range opts {
		o(&hopts, &acfg)
	}
	smtpServer := mailtest.Start(t, "verdict", "mail-secret")
	// The production wiring (internal/app) with test settings: a fast outbox,
	// a loopback mail server, a clock the test moves.
	cfg, err := config.Load(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	cfg.JWTSecret, cfg.BcryptCost, cfg.AccessTokenTTL = string(testKey), bcrypt.MinCost, 15*time.Minute
	cfg.RefreshTokenTTL, cfg.LoginMaxFailuresPerAccount, cfg.LoginMaxFailuresPerIP, cfg.LoginWindow =
		acfg.RefreshTTL, acfg.LoginMaxFailuresPerAccount, acfg.LoginMaxFailuresPerIP, acfg.LoginWindow
	cfg.DefaultCTAHeading, cfg.DefaultCTATitle, cfg.DefaultCTAText = testCTA.Heading, testCTA.Title, testCTA.Text
	cfg.SMTPURL, cfg.MailFrom = smtpServer.URL(), "Verdict <verdict@example.com>"
	cfg.AdminURL, cfg.SiteName = "https://cms.example.com", "Verdict"
	cfg.Locales = strings.Join(testLocales.All(), ",")
	cfg.TeamEmail, cfg.SendConfirmation = lcfg.TeamEmail, lcfg.SendConfirmation
	cfg.ConfirmationsPerRecipient, cfg.ConfirmationsPerHour = lcfg.ConfirmationsPerRecipient, lcfg.ConfirmationsPerHour
	cfg.OutboxMaxAttempts, cfg.OutboxConcurrency, cfg.OutboxBatch, cfg.OutboxLease = 3, 2, 50, time.Minute
	cfg.OutboxPoll, cfg.OutboxBackoffBase, cfg.OutboxBackoffMax = 10*time.Millisecond, time.Millisecond, 10*time.Millisecond
	cfg.WebhookAllowPrivate, cfg.MediaDir, cfg.MediaMaxBytes, cfg.DataDir = true, t.TempDir(), 1<<20, t.TempDir()
	logs := &bytes.Buffer{}
	out := &syncWriter{w: logs}
	cfg.SiteURL = hopts.SiteURL // the renderer and the site share it, as in serve
	log := app.NewLogger(out, cfg)
	p, err := app.Build(cfg, db, log, out, clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	fiberApp := httpapi.New(p.HTTPDeps(out), hopts)
	return &testEnv{t: t, db: db, app: fiberApp, auth: p.Auth, guides: p.Guides, cache: p.Cache, renderer: p.Renderer, clock: clk, logs: logs,
		leads: p.Leads, outbox: p.Outbox, smtp: smtpServer, funnel: p.Funnel, logsOut: out}
}

type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// user creates a user with a known password and returns it.
func (e *testEnv) user(email string, role auth.Role) *auth.User {
	e.t.Helper()
	u, _, err := e.auth.CreateUser(context.Background(), auth.NewUser{Email: email, Role: role, Password: "correct horse battery"})
	if err != nil {
		e.t.Fatalf("create user: %v", err)
	}
	return u
}

// login returns a token pair for email.
func (e *testEnv) login(email string) tokens {
	e.t.Helper()
	res := e.do("POST", "/api/v1/auth/login", "", map[string]string{"email": email, "password": "correct horse battery"})
	res.wantStatus(http.StatusOK)
	var tk tokens
	res.decode(&tk)
	return tk
}

type tokens struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
}

// response is a finished request.
type response struct {
	t      testing.TB
	status int
	header http.Header
	body   []byte
}

// do sends a request. body is JSON-encoded unless it is a string, which is
// sent raw; token, when set, is sent as a bearer token.
func (e *testEnv) do(method, path, token string, body any, headers ...string) response {
	e.t.Helper()
	var rdr io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rdr = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rdr = bytes.NewReader(raw)
	}
	req := httptest.NewRequest(method, path, rdr)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := e.app.Test(req, 10_000)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return response{t: e.t, status: res.StatusCode, header: res.Header, body: raw}
}

func (r response) wantStatus(want int) response {
	r.t.Helper()
	if r.status != want {
		r.t.Fatalf("status=%d, want %d; body: %s", r.status, want, r.body)
	}
	return r
}

func (r response) decode(v any) {
	r.t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		r.t.Fatalf("decode %s: %v", r.body, err)
	}
}

type problemDoc struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail"`
	Instance string `json:"instance"`
	Errors   []struct {
		Field   string `json:"field"`
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"errors"`
	CurrentVersion int `json:"current_version"`
}

// problem checks that r is a problem document of status and returns it.
func (r response) problem(status int) problemDoc {
	r.t.Helper()
	r.wantStatus(status)
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		r.t.Fatalf("Content-Type=%q, want application/problem+json", ct)
	}
	var p problemDoc
	r.decode(&p)
	if p.Status != status || p.Type == "" || p.Title == "" || p.Instance == "" {
		r.t.Fatalf("incomplete problem document: %s", r.body)
	}
	return p
}

// fields returns the problem's invalid field names.
func (p problemDoc) fields() []string {
	var out []string
	for _, e := range p.Errors {
		out = append(out, e.Field)
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

// sub returns the env reporting to subtest t.
func (e *testEnv) sub(t *testing.T) *testEnv {
	c := *e
	c.t = t
	return &c
}

func urlQuery(s string) string { return url.QueryEscape(s) }

// drain runs the outbox until nothing is due, and returns how many rows it
// processed.
func (e *testEnv) drain() int {
	e.t.Helper()
	total := 0
	for range 100 {
		n, err := e.outbox.RunOnce(context.Background())
		if err != nil {
			e.t.Fatalf("outbox: %v", err)
		}
		if n == 0 {
			return total
		}
		total += n
	}
	e.t.Fatal("the outbox never drained")
	return total
}

func smtpSender(t *testing.T, url string) *mail.SMTP {
	t.Helper()
	s, err := mail.NewSMTP(url, "Verdict <verdict@example.com>", 2)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func quietLog() *slog.Logger { return slog.New(slog.DiscardHandler) }
