package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/verdict-cms/verdict/internal/dbtest"
)

// program runs verdict in-process with its own environment.
type program struct {
	t   *testing.T
	env map[string]string
}

func newProgram(t *testing.T, dbURL string) *program {
	dir := t.TempDir()
	return &program{t: t, env: map[string]string{
		"VERDICT_DATA_DIR":     dir,
		"VERDICT_DATABASE_URL": dbURL,
		"VERDICT_JWT_SECRET":   strings.Repeat("s", 40),
		"VERDICT_BCRYPT_COST":  "4",
		"VERDICT_LOG_LEVEL":    "warn",
	}}
}

func (p *program) run(stdin string, args ...string) (string, string, error) {
	p.t.Helper()
	var out, errOut bytes.Buffer
	err := run(p.t.Context(), args, func(k string) string { return p.env[k] }, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

func (p *program) mustRun(stdin string, args ...string) string {
	p.t.Helper()
	out, errOut, err := p.run(stdin, args...)
	if err != nil {
		p.t.Fatalf("verdict %v: %v\nstderr: %s", args, err, errOut)
	}
	return out
}

var passwordLine = regexp.MustCompile(`Password \(shown once\): (\S+)`)

func TestCLIUserLifecycle(t *testing.T) {
	for _, tc := range []struct {
		name string
		url  func(t *testing.T) string
	}{
		{"sqlite", func(*testing.T) string { return "" }},
		{"postgres", func(t *testing.T) string { return dbtest.PostgresURL(t, false) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newProgram(t, tc.url(t))
			out := p.mustRun("", "bootstrap")
			if !passwordLine.MatchString(out) {
				t.Fatalf("bootstrap printed no password: %q", out)
			}
			if out := p.mustRun("", "bootstrap"); strings.Contains(out, "Password") {
				t.Fatalf("second bootstrap made another admin: %q", out)
			}
			out = p.mustRun("", "user", "create", "--email", "ed@example.com", "--role", "editor")
			if !strings.Contains(out, "generated password (shown once): ") {
				t.Fatalf("user create: %q", out)
			}
			p.mustRun("a chosen long password\n", "user", "create", "--email", "cy@example.com", "--role", "consultant", "--password-stdin")
			if _, _, err := p.run("", "user", "create", "--email", "ed@example.com", "--role", "editor"); err == nil || !strings.Contains(err.Error(), "already exists") {
				t.Fatalf("duplicate user: %v", err)
			}
			if _, _, err := p.run("", "user", "create", "--email", "x@example.com", "--role", "owner"); err == nil || !strings.Contains(err.Error(), "--role") {
				t.Fatalf("bad role: %v", err)
			}
			p.mustRun("", "user", "disable", "--email", "ed@example.com")
			list := p.mustRun("", "user", "list")
			for _, want := range []string{"admin@example.com", "ed@example.com", "disabled", "cy@example.com", "consultant"} {
				if !strings.Contains(list, want) {
					t.Fatalf("user list lacks %q:\n%s", want, list)
				}
			}
			status := p.mustRun("", "migrate", "status")
			if !strings.Contains(status, "applied") || strings.Contains(status, "pending") {
				t.Fatalf("migrate status:\n%s", status)
			}
		})
	}
}

func TestCLIUsageAndConfigErrors(t *testing.T) {
	p := newProgram(t, "")
	if _, _, err := p.run("", "frobnicate"); err == nil {
		t.Fatal("unknown command accepted")
	}
	if out, _, err := p.run("", "--help"); err != nil || !strings.Contains(out, "serve") {
		t.Fatalf("--help: %v %q", err, out)
	}
	if _, errOut, _ := p.run("", "user", "create", "--help"); !strings.Contains(errOut, "--password-stdin") {
		t.Fatalf("user create --help: %q", errOut)
	}
	p.env["VERDICT_ACCESS_TOKEN_TTL"] = "forever"
	_, _, err := p.run("", "migrate", "up")
	if err == nil || !strings.Contains(err.Error(), "VERDICT_ACCESS_TOKEN_TTL") {
		t.Fatalf("bad config: %v", err)
	}
}

// TestServeLoginAndGracefulShutdown runs the real server: the bootstrap
// password signs in, and a request that is in flight when SIGTERM arrives
// still gets its answer.
func TestServeLoginAndGracefulShutdown(t *testing.T) {
	p := newProgram(t, "")
	out := p.mustRun("", "bootstrap")
	password := passwordLine.FindStringSubmatch(out)[1]

	addr := freeAddr(t)
	p.env["VERDICT_ADDR"] = addr
	ctx, stop := context.WithCancel(t.Context())
	done := make(chan error, 1)
	var logs bytes.Buffer
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return p.env[k] }, nil, io.Discard, &logs)
	}()
	waitReady(t, "http://"+addr+"/readyz")

	body, _ := json.Marshal(map[string]string{"email": "admin@example.com", "password": password})
	res, err := http.Post("http://"+addr+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("login with the bootstrap password: %d", res.StatusCode)
	}

	// Start a request, send half its body, then ask the server to stop.
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	full := string(body)
	half := len(full) / 2
	if _, err := io.WriteString(conn, "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\n"+
		"Content-Length: "+strconv.Itoa(len(full))+"\r\n\r\n"+full[:half]); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	stop()
	time.Sleep(200 * time.Millisecond)
	if _, err := io.WriteString(conn, full[half:]); err != nil {
		t.Fatal(err)
	}
	status, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil || !strings.Contains(status, "200") {
		t.Fatalf("in-flight request during shutdown: %q, %v", status, err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
	if strings.Contains(logs.String(), password) {
		t.Fatal("the admin password reached the log")
	}
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func waitReady(t *testing.T, url string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(url); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s never became ready", url)
}
