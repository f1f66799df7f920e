package webhook_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
	"github.com/verdict-cms/verdict/internal/outbox"
	"github.com/verdict-cms/verdict/internal/store"
	"github.com/verdict-cms/verdict/internal/webhook"
)

var t0 = time.Date(2026, 11, 24, 20, 0, 0, 0, time.UTC)

func fields(err error) []string {
	e, ok := apperr.As(err)
	if !ok {
		return nil
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field+":"+f.Code)
	}
	slices.Sort(out)
	return out
}

// TestWebhookValidation: every bad field is reported at once; loopback and
// private targets are refused unless allowed.
func TestWebhookValidation(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		svc := webhook.NewService(store.WebhookStore{Store: store.New(db), MaxAttempts: 3}, false, func() time.Time { return t0 })
		for _, c := range []struct {
			name string
			in   webhook.Input
			want []string
		}{
			{"not http", webhook.Input{URL: "ftp://example.com/x", Events: []string{webhook.LeadCreated}}, []string{"url:invalid"}},
			{"credentials", webhook.Input{URL: "https://u:p@example.com/x", Events: []string{webhook.LeadCreated}}, []string{"url:invalid"}},
			{"loopback", webhook.Input{URL: "http://127.0.0.1:9/hook", Events: []string{webhook.LeadCreated}}, []string{"url:forbidden"}},
			{"private", webhook.Input{URL: "http://10.1.2.3/hook", Events: []string{webhook.LeadCreated}}, []string{"url:forbidden"}},
			{"no events", webhook.Input{URL: "https://93.184.215.14/hook"}, []string{"events:required"}},
			{"unknown event and long description", webhook.Input{URL: "https://93.184.215.14/hook", Events: []string{"guide.eaten"}, Description: strings.Repeat("d", 501)},
				[]string{"description:too_long", "events[0]:unknown"}},
		} {
			t.Run(c.name, func(t *testing.T) {
				_, err := svc.Create(t.Context(), c.in)
				if got := fields(err); !slices.Equal(got, c.want) {
					t.Fatalf("fields %v (err %v), want %v", got, err, c.want)
				}
			})
		}
		_, err := svc.Get(t.Context(), "not-an-id")
		if !apperr.IsKind(err, apperr.NotFound) {
			t.Fatalf("get: %v", err)
		}
	})
}

// TestGuardAtDialTime: the client refuses loopback when private targets are
// not allowed, whatever the URL says, so DNS cannot smuggle one in.
func TestGuardAtDialTime(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	defer srv.Close()
	localhost := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	for _, c := range []struct {
		allow bool
		url   string
		ok    bool
	}{{false, srv.URL, false}, {false, localhost, false}, {true, srv.URL, true}} {
		res, err := webhook.NewClient(c.allow, time.Second).Get(c.url)
		if err == nil {
			res.Body.Close()
		}
		if (err == nil) != c.ok {
			t.Errorf("allow=%v %s: err %v", c.allow, c.url, err)
		}
	}
}

type received struct {
	mu   sync.Mutex
	reqs []*http.Request
	body [][]byte
}

// TestWebhookFanoutAndDelivery: an event fans out to each active endpoint
// that subscribes; a delivery is signed, logged, completed on a 2xx and an
// error (retried by the outbox) otherwise.
func TestWebhookFanoutAndDelivery(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx := t.Context()
		var got received
		status := 200
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			got.mu.Lock()
			got.reqs, got.body = append(got.reqs, r), append(got.body, b)
			code := status
			got.mu.Unlock()
			w.WriteHeader(code)
		}))
		defer srv.Close()
		st := store.New(db)
		ws := store.WebhookStore{Store: st, MaxAttempts: 3}
		svc := webhook.NewService(ws, true, time.Now)
		on, err := svc.Create(ctx, webhook.Input{URL: srv.URL + "/on", Events: []string{webhook.GuidePublished}, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range []webhook.Input{
			{URL: srv.URL + "/paused", Events: []string{webhook.GuidePublished}, Active: false},
			{URL: srv.URL + "/other", Events: []string{webhook.LeadCreated}, Active: true},
		} {
			if _, err := svc.Create(ctx, in); err != nil {
				t.Fatal(err)
			}
		}
		ev, err := webhook.NewEvent(webhook.GuidePublished, map[string]string{"slug": "node-vs-django"}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if err := ws.Enqueue(ctx, webhook.KindEvent, ev, time.Now()); err != nil {
			t.Fatal(err)
		}
		claim := func(kind string) []*outbox.Message {
			t.Helper()
			msgs, err := store.OutboxStore{Store: st}.Claim(ctx, time.Now(), time.Minute, 10)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range msgs {
				if m.Kind != kind {
					t.Fatalf("claimed %s, want %s", m.Kind, kind)
				}
			}
			return msgs
		}
		events := claim(webhook.KindEvent)
		if len(events) != 1 {
			t.Fatalf("%d events", len(events))
		}
		if err := svc.Fanout(ctx, events[0]); err != nil {
			t.Fatal(err)
		}
		jobs := claim(webhook.KindDelivery)
		if len(jobs) != 1 {
			t.Fatalf("%d deliveries, want 1 (only the active subscriber)", len(jobs))
		}
		if err := svc.Deliver(ctx, jobs[0]); err != nil {
			t.Fatal(err)
		}
		if len(got.reqs) != 1 || got.reqs[0].URL.Path != "/on" || got.reqs[0].Header.Get("Verdict-Event") != webhook.GuidePublished {
			t.Fatalf("requests %v", got.reqs)
		}
		sig := got.reqs[0].Header.Get("Verdict-Signature")
		ts, _, _ := strings.Cut(strings.TrimPrefix(sig, "t="), ",")
		unix, _ := strconv.ParseInt(ts, 10, 64)
		if want := webhook.Sign(on.Secret, time.Unix(unix, 0), got.body[0]); sig != want || string(got.body[0]) != string(ev) {
			t.Fatalf("signature %q, want %q", sig, want)
		}

		got.mu.Lock()
		status = 503 // the endpoint fails: Deliver errs and the log says so
		got.mu.Unlock()
		if err := ws.Enqueue(ctx, webhook.KindDelivery, jobPayload(t, ws, jobs[0].ID), time.Now()); err != nil {
			t.Fatal(err)
		}
		again := claim(webhook.KindDelivery)
		if err := svc.Deliver(ctx, again[0]); err == nil {
			t.Fatal("a 503 counted as delivered")
		}
		log, err := svc.Deliveries(ctx, on.ID, "", 10)
		if err != nil || len(log) != 2 || log[0].StatusCode != 503 || log[0].Error == "" || log[1].StatusCode != 200 {
			t.Fatalf("delivery log %+v, err %v", log, err)
		}
	})
}

func jobPayload(t *testing.T, ws store.WebhookStore, outboxID string) []byte {
	t.Helper()
	p, err := ws.OutboxPayload(context.Background(), outboxID)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
