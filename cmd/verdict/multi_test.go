package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/verdict-cms/verdict/internal/dbtest"
)

// instance is one `verdict serve` running in-process.
type instance struct {
	base string
	stop context.CancelFunc
	done chan error
}

func startInstance(t *testing.T, p *program) *instance {
	t.Helper()
	addr := freeAddr(t)
	env := map[string]string{}
	for k, v := range p.env {
		env[k] = v
	}
	env["VERDICT_ADDR"] = addr
	env["VERDICT_SCHEDULER_INTERVAL"] = "100ms"
	ctx, stop := context.WithCancel(t.Context())
	in := &instance{base: "http://" + addr, stop: stop, done: make(chan error, 1)}
	go func() {
		in.done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, nil, io.Discard, io.Discard)
	}()
	t.Cleanup(func() {
		stop()
		<-in.done
	})
	// Runs before the stop above: keep-alive connections left idle would
	// hold the server's graceful shutdown for its whole timeout.
	t.Cleanup(http.DefaultClient.CloseIdleConnections)
	waitReady(t, in.base+"/readyz")
	return in
}

func (in *instance) call(t *testing.T, method, path, token string, body any, headers ...string) (int, http.Header, []byte) {
	t.Helper()
	var rdr io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		rdr = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, in.base+path, rdr)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, raw
}

// TestTwoInstancesShareContent runs two Verdict instances on one PostgreSQL
// database: a guide published through one is served by the other within a
// second, although the other had the old version cached; and a guide
// scheduled on one is published exactly once by the two schedulers.
func TestTwoInstancesShareContent(t *testing.T) {
	p := newProgram(t, dbtest.PostgresURL(t, false))
	password := passwordLine.FindStringSubmatch(p.mustRun("", "bootstrap"))[1]
	a, b := startInstance(t, p), startInstance(t, p)

	title := func(in *instance) string {
		_, _, body := in.call(t, "GET", "/api/v1/guides/node-vs-django", "", nil)
		var g struct{ Title string }
		_ = json.Unmarshal(body, &g)
		return g.Title
	}
	if got := title(b); got != "Node.js vs Django" {
		t.Fatalf("instance b serves %q", got)
	}

	_, _, raw := a.call(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": "admin@example.com", "password": password})
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	_ = json.Unmarshal(raw, &tok)
	_, _, raw = a.call(t, "GET", "/api/v1/admin/guides?q=Django", tok.AccessToken, nil)
	var list struct {
		Data []struct{ ID string }
	}
	_ = json.Unmarshal(raw, &list)
	id := list.Data[0].ID
	var g struct {
		Version  int            `json:"version"`
		Document map[string]any `json:"document"`
	}
	_, _, raw = a.call(t, "GET", "/api/v1/admin/guides/"+id, tok.AccessToken, nil)
	_ = json.Unmarshal(raw, &g)
	g.Document["title"] = "Node.js vs Django (2027)"
	status, _, raw := a.call(t, "PUT", "/api/v1/admin/guides/"+id, tok.AccessToken, g.Document, "If-Match", fmt.Sprintf(`"%d"`, g.Version))
	if status != 200 {
		t.Fatalf("save: %d %s", status, raw)
	}
	_ = json.Unmarshal(raw, &g)
	if got := title(b); got != "Node.js vs Django" {
		t.Fatalf("a draft reached instance b: %q", got)
	}

	published := time.Now()
	status, _, raw = a.call(t, "POST", "/api/v1/admin/guides/"+id+"/publish", tok.AccessToken, nil, "If-Match", fmt.Sprintf(`"%d"`, g.Version))
	if status != 200 {
		t.Fatalf("publish: %d %s", status, raw)
	}
	for title(b) != "Node.js vs Django (2027)" {
		if time.Since(published) > time.Second {
			t.Fatalf("instance b still serves the old guide %v after the publish", time.Since(published))
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("instance b served the new version %v after the publish", time.Since(published))

	// Schedule a guide on b; both instances' schedulers race for it.
	doc := map[string]any{"title": "Go vs Rust", "slug": "go-vs-rust", "category": "backend", "summary": "Two systems languages.",
		"options": []any{map[string]any{"technology": "nodejs"}, map[string]any{"technology": "django"}}}
	status, _, raw = b.call(t, "POST", "/api/v1/admin/guides", tok.AccessToken, doc)
	if status != 201 {
		t.Fatalf("create: %d %s", status, raw)
	}
	var created struct {
		ID      string `json:"id"`
		Version int    `json:"version"`
	}
	_ = json.Unmarshal(raw, &created)
	status, _, raw = b.call(t, "POST", "/api/v1/admin/guides/"+created.ID+"/schedule", tok.AccessToken,
		map[string]any{"publish_at": time.Now().Add(300 * time.Millisecond)}, "If-Match", fmt.Sprintf(`"%d"`, created.Version))
	if status != 200 {
		t.Fatalf("schedule: %d %s", status, raw)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		if st, _, _ := a.call(t, "GET", "/api/v1/guides/go-vs-rust", "", nil); st == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the scheduled guide was never published")
		}
		time.Sleep(50 * time.Millisecond)
	}
	_, _, raw = a.call(t, "GET", "/api/v1/admin/guides/"+created.ID, tok.AccessToken, nil)
	var after struct {
		Status  string `json:"status"`
		Version int    `json:"version"`
	}
	_ = json.Unmarshal(raw, &after)
	// created (1), scheduled (2), published once (3): a second publish would make it 4.
	if after.Status != "published" || after.Version != 3 {
		t.Fatalf("after the schedulers ran: status %s version %d, want published at 3", after.Status, after.Version)
	}
}
