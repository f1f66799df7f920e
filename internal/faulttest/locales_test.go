package faulttest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/verdict-cms/verdict/internal/faulttest"
)

// TestTwoInstancesLocaleCache: instance b caches a guide per locale; a
// translation published, changed and unpublished through instance a
// reaches b's readers of that locale within moments (PostgreSQL NOTIFY),
// and b's default-locale entry learns the new alternate.
func TestTwoInstancesLocaleCache(t *testing.T) {
	c := newCluster(t, map[string]string{"VERDICT_LOCALES": "en,de"})
	a, b := c.start(), c.start()
	tok := c.adminToken(a)
	send := func(p *faulttest.Process, method, path string, body any, headers ...string) (int, http.Header, []byte) {
		t.Helper()
		var rdr io.Reader
		if body != nil {
			raw, _ := json.Marshal(body)
			rdr = bytes.NewReader(raw)
		}
		req, _ := http.NewRequest(method, p.URL+path, rdr)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tok)
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		res, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		defer res.Body.Close()
		raw, _ := io.ReadAll(res.Body)
		return res.StatusCode, res.Header, raw
	}
	type public struct {
		Title      string `json:"title"`
		Locale     string `json:"locale"`
		Alternates []struct {
			Locale string `json:"locale"`
		} `json:"alternates"`
	}
	read := func(headers ...string) public {
		t.Helper()
		status, h, raw := send(b, "GET", "/api/v1/guides/node-vs-django", nil, headers...)
		var g public
		if status != 200 || json.Unmarshal(raw, &g) != nil || h.Get("Content-Language") != g.Locale {
			t.Fatalf("read: %d %s %s", status, h.Get("Content-Language"), raw)
		}
		return g
	}
	// eventually polls b until ok, for at most 5 seconds.
	eventually := func(what string, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); !ok(); time.Sleep(50 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("instance b never saw %s", what)
			}
		}
	}
	german := []string{"Accept-Language", "de-DE,de;q=0.9"}
	if g := read(german...); g.Locale != "en" || len(g.Alternates) != 1 {
		t.Fatalf("before any translation: %+v", g)
	}
	read() // both locales now cached on b

	_, _, raw := send(a, "GET", "/api/v1/admin/guides?q=Django", nil)
	var list struct {
		Data []struct{ ID, Slug string } `json:"data"`
	}
	_ = json.Unmarshal(raw, &list)
	id := ""
	for _, g := range list.Data {
		if g.Slug == "node-vs-django" {
			id = g.ID
		}
	}
	texts := map[string]any{"title": "Node.js oder Django", "slug": "node-oder-django", "summary": "Zusammenfassung."}
	if status, _, raw := send(a, "PUT", "/api/v1/admin/guides/"+id+"/translations/de", texts); status != 201 {
		t.Fatalf("create translation: %d %s", status, raw)
	}
	if status, _, raw := send(a, "POST", "/api/v1/admin/guides/"+id+"/translations/de/publish", nil, "If-Match", `"1"`); status != 200 {
		t.Fatalf("publish translation: %d %s", status, raw)
	}
	eventually("the German translation", func() bool { return read(german...).Title == "Node.js oder Django" })
	eventually("the new alternate", func() bool { return len(read().Alternates) == 2 })
	if g := read(); g.Locale != "en" || strings.Contains(g.Title, "oder") {
		t.Fatalf("default readers got %+v", g)
	}

	texts["title"] = "Node.js oder Django?"
	if status, _, raw := send(a, "PUT", "/api/v1/admin/guides/"+id+"/translations/de", texts, "If-Match", `"2"`); status != 200 {
		t.Fatalf("save translation: %d %s", status, raw)
	}
	if status, _, raw := send(a, "POST", "/api/v1/admin/guides/"+id+"/translations/de/publish", nil, "If-Match", `"3"`); status != 200 {
		t.Fatalf("republish translation: %d %s", status, raw)
	}
	eventually("the changed title", func() bool { return read(german...).Title == "Node.js oder Django?" })
	if status, _, raw := send(a, "POST", "/api/v1/admin/guides/"+id+"/translations/de/unpublish", nil, "If-Match", `"4"`); status != 200 {
		t.Fatalf("unpublish translation: %d %s", status, raw)
	}
	eventually("the translation taken down", func() bool { return read(german...).Locale == "en" })
}
