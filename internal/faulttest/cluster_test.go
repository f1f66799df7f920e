package faulttest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
	"github.com/verdict-cms/verdict/internal/faulttest"
	"github.com/verdict-cms/verdict/internal/mailtest"
)

// cluster is Verdict instances on one fresh PostgreSQL schema, delivering
// to one loopback SMTP server, with the counts the scenarios assert.
type cluster struct {
	t        *testing.T
	env      map[string]string
	db       *database.DB
	smtp     *mailtest.Server
	password string
	created  int // 201 responses to consultations
}

var passwordLine = regexp.MustCompile(`Password \(shown once\): (\S+)`)

// newCluster migrates and seeds a fresh schema with `verdict bootstrap`;
// env adds to or overrides the settings every instance gets.
func newCluster(t *testing.T, env map[string]string) *cluster {
	t.Helper()
	u := dbtest.PostgresURL(t, false)
	c := &cluster{t: t, smtp: mailtest.Start(t, "", ""), env: map[string]string{
		"VERDICT_DATABASE_URL":        u,
		"VERDICT_JWT_SECRET":          strings.Repeat("s", 40),
		"VERDICT_DATA_DIR":            t.TempDir(),
		"VERDICT_BCRYPT_COST":         "4",
		"VERDICT_LOG_LEVEL":           "warn",
		"VERDICT_INTAKE_RATE_LIMIT":   "0",
		"VERDICT_TEAM_EMAIL":          "team@example.com",
		"VERDICT_OUTBOX_POLL":         "50ms",
		"VERDICT_OUTBOX_BACKOFF":      "100ms",
		"VERDICT_OUTBOX_BACKOFF_MAX":  "300ms",
		"VERDICT_OUTBOX_LEASE":        "1s",
		"VERDICT_OUTBOX_SEND_TIMEOUT": "3s",
		"VERDICT_OUTBOX_CONCURRENCY":  "4",
	}}
	c.env["VERDICT_SMTP_URL"] = c.smtp.URL()
	for k, v := range env {
		c.env[k] = v
	}
	m := passwordLine.FindStringSubmatch(faulttest.Run(t, c.env, "bootstrap"))
	if m == nil {
		t.Fatal("bootstrap printed no admin password")
	}
	c.password = m[1]
	db, err := database.Open(context.Background(), database.Options{URL: u, MaxOpenConns: 2, MaxIdleConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	c.db = db
	return c
}

// start runs one more instance, with its own data directory.
func (c *cluster) start() *faulttest.Process {
	c.t.Helper()
	env := map[string]string{}
	for k, v := range c.env {
		env[k] = v
	}
	env["VERDICT_DATA_DIR"] = c.t.TempDir()
	return faulttest.Start(c.t, env)
}

// submit posts a valid consultation for the seeded guide from each email
// address, through p; every answer must be a 201.
func (c *cluster) submit(p *faulttest.Process, emails ...string) {
	c.t.Helper()
	for i, email := range emails {
		body := map[string]any{
			"name": fmt.Sprintf("Prospect %d", i), "email": email, "company": "Analytical Engines", "role": "CTO",
			"project_description": "A real-time dashboard for our factory.", "guide": "node-vs-django",
			"answers":                map[string]any{"realtime": "yes", "team-language": "javascript"},
			"preferred_technologies": []string{"nodejs"}, "request_volume": "1k-100k-per-day", "team_language": "javascript",
			"timeline": "1-3-months", "budget": "10k-50k", "consent": true,
		}
		status, raw := c.call(p, "POST", "/api/v1/consultations", "", body)
		if status != http.StatusCreated {
			c.t.Fatalf("consultation %d: status %d: %s", i, status, raw)
		}
		c.created++
	}
}

func (c *cluster) call(p *faulttest.Process, method, path, token string, body any) (int, []byte) {
	c.t.Helper()
	var rdr io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		rdr = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, p.URL+path, rdr)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res.StatusCode, raw
}

// adminToken signs in as the bootstrap admin.
func (c *cluster) adminToken(p *faulttest.Process) string {
	c.t.Helper()
	status, raw := c.call(p, "POST", "/api/v1/auth/login", "", map[string]string{"email": "admin@example.com", "password": c.password})
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if status != http.StatusOK || json.Unmarshal(raw, &tok) != nil {
		c.t.Fatalf("login: %d %s", status, raw)
	}
	return tok.AccessToken
}

// mailRow is an outbox mail as the database holds it.
type mailRow struct {
	ID        string
	Status    string
	Attempts  int
	LastError string
}

func (c *cluster) mails() []mailRow {
	c.t.Helper()
	var rows []mailRow
	if err := c.db.Raw(`SELECT id, status, attempts, last_error FROM outbox WHERE kind = 'mail' ORDER BY id`).Scan(&rows).Error; err != nil {
		c.t.Fatal(err)
	}
	return rows
}

// settle waits until the leads are stored, every event has become mail
// and no mail is pending.
func (c *cluster) settle(timeout time.Duration) []mailRow {
	c.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		var leads, pending int64
		c.db.Raw(`SELECT count(*) FROM leads`).Scan(&leads)
		c.db.Raw(`SELECT count(*) FROM outbox WHERE status = 'pending'`).Scan(&pending)
		if int(leads) == c.created && pending == 0 {
			return c.mails()
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("not settled within %v: %d leads stored for %d 201s, %d outbox rows pending", timeout, leads, c.created, pending)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// tally compares the mail the outbox holds with what the server received.
type tally struct {
	leads, created        int // leads stored, 201 responses
	mails, sent, failed   int // outbox rows
	delivered, duplicates int // distinct messages received, extra copies
	missing, maxAttempts  int // sent rows never received; most attempts of a row
	retried               int // rows that took more than one attempt
}

func (c *cluster) tally(rows []mailRow) tally {
	c.t.Helper()
	var leads int64
	c.db.Raw(`SELECT count(*) FROM leads`).Scan(&leads)
	per := map[string]int{}
	for _, m := range c.smtp.Messages() {
		per[strings.TrimSuffix(strings.Trim(m.Header.Get("Message-Id"), "<>"), "@verdict")]++
	}
	tl := tally{leads: int(leads), created: c.created, mails: len(rows)}
	for _, r := range rows {
		switch r.Status {
		case "sent":
			tl.sent++
		case "failed":
			tl.failed++
		}
		if n := per[r.ID]; n > 0 {
			tl.delivered++
			tl.duplicates += n - 1
		} else if r.Status == "sent" {
			tl.missing++
		}
		tl.maxAttempts = max(tl.maxAttempts, r.Attempts)
		if r.Attempts > 1 {
			tl.retried++
		}
	}
	c.t.Logf("counts: %+v", tl)
	if tl.leads != tl.created {
		c.t.Errorf("%d leads stored for %d 201 responses", tl.leads, tl.created)
	}
	if tl.missing != 0 {
		c.t.Errorf("%d messages marked sent were never received", tl.missing)
	}
	return tl
}

// waitDelivered waits until the server has received at least n messages.
func (c *cluster) waitDelivered(n int, timeout time.Duration) {
	c.t.Helper()
	c.smtp.Wait(n, timeout)
}
