package httpapi_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
	"github.com/verdict-cms/verdict/internal/store"
	"github.com/verdict-cms/verdict/internal/webhook"
)

// receiver is a real HTTP endpoint on loopback that verifies signatures
// the way the README tells integrators to.
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	events []webhook.Event
	fail   bool
}

func newReceiver(t *testing.T, secret *string) *receiver {
	r := &receiver{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.fail {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		// Verify: Verdict-Signature: t=<unix>,v1=<hex hmac(secret, "<t>.<body>")>.
		var ts, sig string
		for _, part := range strings.Split(req.Header.Get("Verdict-Signature"), ",") {
			k, v, _ := strings.Cut(part, "=")
			switch k {
			case "t":
				ts = v
			case "v1":
				sig = v
			}
		}
		mac := hmac.New(sha256.New, []byte(*secret))
		mac.Write([]byte(ts + "." + string(body)))
		if !hmac.Equal([]byte(sig), []byte(hex.EncodeToString(mac.Sum(nil)))) {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		var ev webhook.Event
		if err := json.Unmarshal(body, &ev); err != nil || ev.Type != req.Header.Get("Verdict-Event") {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		r.events = append(r.events, ev)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) types() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, e := range r.events {
		out = append(out, e.Type)
	}
	return out
}

func TestWebhooks(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		in := newIntake(t, db)
		secret := ""
		rcv := newReceiver(t, &secret)
		var hook struct {
			ID     string `json:"id"`
			Secret string `json:"secret"`
		}
		in.do("POST", "/api/v1/admin/webhooks", in.admin, map[string]any{
			"url": rcv.URL + "/hooks", "events": []string{"guide.published", "guide.unpublished", "lead.created", "lead.status_changed"}, "active": true,
		}).wantStatus(201).decode(&hook)
		secret = hook.Secret
		if !strings.HasPrefix(secret, "whsec_") {
			t.Fatalf("secret %q", secret)
		}
		res := in.do("GET", "/api/v1/admin/webhooks/"+hook.ID, in.admin, nil).wantStatus(200)
		if strings.Contains(string(res.body), secret) {
			t.Fatal("the secret is shown again after creation")
		}

		// Publish, unpublish, a lead and its status change: four signed events.
		var list struct{ Data []adminGuide }
		in.do("GET", "/api/v1/admin/guides?q=React", in.tok, nil).wantStatus(200).decode(&list)
		g := in.act(in.act(list.Data[0], "unpublish", nil), "publish", nil)
		_ = g
		l := in.ownedLead("Ada Lovelace")
		in.do("POST", "/api/v1/admin/leads/"+l.ID+"/status", in.admin, map[string]string{"status": "contacted"}).wantStatus(200)
		in.drain()
		if got := rcv.types(); !slices.Equal(got, []string{"guide.unpublished", "guide.published", "lead.created", "lead.status_changed"}) {
			t.Fatalf("received %v", got)
		}
		rcv.mu.Lock()
		data := string(rcv.events[2].Data)
		rcv.mu.Unlock()
		if !strings.Contains(data, l.Reference) || strings.Contains(data, "ada.lovelace@example.com") {
			t.Fatalf("lead.created data %s (must name the lead, without personal data)", data)
		}

		// A failing endpoint: logged with its status, retried, redeliverable.
		rcv.mu.Lock()
		rcv.fail = true
		rcv.mu.Unlock()
		in.do("POST", "/api/v1/admin/leads/"+l.ID+"/status", in.admin, map[string]string{"status": "qualified"}).wantStatus(200)
		for range 4 {
			in.drain()
			in.clock.Advance(time.Second)
		}
		in.admin = in.login("root@example.com").AccessToken
		var deliveries struct {
			Data []struct {
				ID         string `json:"id"`
				Event      string `json:"event"`
				StatusCode int    `json:"status_code"`
				Error      string `json:"error"`
			}
		}
		in.do("GET", "/api/v1/admin/webhooks/"+hook.ID+"/deliveries", in.admin, nil).wantStatus(200).decode(&deliveries)
		if len(deliveries.Data) != 7 || deliveries.Data[0].StatusCode != 500 || deliveries.Data[0].Error == "" {
			t.Fatalf("delivery log %+v", deliveries.Data)
		}
		rcv.mu.Lock()
		rcv.fail = false
		rcv.mu.Unlock()
		in.do("POST", "/api/v1/admin/webhooks/"+hook.ID+"/deliveries/"+deliveries.Data[0].ID+"/redeliver", in.admin, nil).wantStatus(202)
		in.drain()
		if got := rcv.types(); len(got) != 5 || got[4] != "lead.status_changed" {
			t.Fatalf("after redelivery: %v", got)
		}
	})
}

func TestWebhookValidationAndSSRF(t *testing.T) {
	e := newEnv(t, dbtest.SQLite(t))
	admin := e.user("root@example.com", "admin")
	_ = admin
	tok := e.login("root@example.com").AccessToken
	for _, tc := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"url": "ftp://example.com", "events": []string{"guide.published"}}, "url"},
		{map[string]any{"url": "https://user:pw@example.com", "events": []string{"guide.published"}}, "url"},
		{map[string]any{"url": "https://example.com", "events": []string{}}, "events"},
		{map[string]any{"url": "https://example.com", "events": []string{"guide.exploded"}}, "events[0]"},
	} {
		p := e.do("POST", "/api/v1/admin/webhooks", tok, tc.body).problem(http.StatusBadRequest)
		if !slices.Contains(p.fields(), tc.field) {
			t.Errorf("%v: fields %v, want %s", tc.body, p.fields(), tc.field)
		}
	}

	// Without the allow setting, loopback and private targets are refused
	// at registration and, should DNS change later, at connection time.
	strict := webhook.NewService(store.WebhookStore{Store: store.New(dbtest.SQLite(t)), MaxAttempts: 1}, false, time.Now)
	for _, u := range []string{"http://127.0.0.1:9/x", "http://10.0.0.8/x", "http://[::1]/x", "http://169.254.169.254/latest", "http://localhost/x"} {
		_, err := strict.Create(context.Background(), webhook.Input{URL: u, Events: []string{"guide.published"}, Active: true})
		if err == nil || !strings.Contains(err.Error(), "invalid") && !strings.Contains(err.Error(), "field") {
			t.Errorf("%s was accepted: %v", u, err)
		}
	}
	client := webhook.NewClient(false, time.Second)
	rcv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer rcv.Close()
	if _, err := client.Post(rcv.URL, "application/json", strings.NewReader("{}")); err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Fatalf("the delivery client reached loopback: %v", err)
	}
}
