package httpapi_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
	"github.com/verdict-cms/verdict/internal/outbox"
	"github.com/verdict-cms/verdict/internal/store"
)

type leadDoc struct {
	ID        string  `json:"id"`
	Reference string  `json:"reference"`
	Status    string  `json:"status"`
	Name      string  `json:"name"`
	Email     string  `json:"email"`
	OwnerID   *string `json:"owner_id"`
	Answers   []struct {
		QuestionID string `json:"question_id"`
		Question   string `json:"question"`
		Answer     string `json:"answer"`
	} `json:"answers"`
	Notes []struct {
		Body       string `json:"body"`
		AuthorName string `json:"author_name"`
	} `json:"notes"`
}

// ownedBy submits a lead and returns it as the admin sees it after routing.
func (in *intake) ownedLead(name string) leadDoc {
	in.t.Helper()
	var r struct{ Reference string }
	in.submit(submission(name)).wantStatus(201).decode(&r)
	in.drain()
	var list struct{ Data []leadDoc }
	in.do("GET", "/api/v1/admin/leads?q="+r.Reference, in.admin, nil).wantStatus(200).decode(&list)
	if len(list.Data) != 1 {
		in.t.Fatalf("lead %s not found", r.Reference)
	}
	return list.Data[0]
}

func TestLeadInbox(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		in := newIntake(t, db)
		first := in.ownedLead("Ada Lovelace") // Nora has never had a lead: she is first
		in.clock.Advance(time.Second)
		second := in.ownedLead("Grace Hopper")
		if first.OwnerID == nil || *first.OwnerID != in.nora.ID || *second.OwnerID != in.ben.ID {
			t.Fatalf("owners %v %v", first.OwnerID, second.OwnerID)
		}
		// Consultants see their own leads only; another's is "not found".
		var mine struct{ Data []leadDoc }
		in.do("GET", "/api/v1/admin/leads", in.noraTok, nil).wantStatus(200).decode(&mine)
		if len(mine.Data) != 1 || mine.Data[0].ID != first.ID {
			t.Fatalf("Nora sees %+v", mine.Data)
		}
		in.do("GET", "/api/v1/admin/leads/"+second.ID, in.noraTok, nil).problem(404)
		in.do("POST", "/api/v1/admin/leads/"+second.ID+"/status", in.noraTok, map[string]string{"status": "contacted"}).problem(404)
		in.do("GET", "/api/v1/admin/leads", in.tok, nil).problem(403) // editors have no inbox

		var full leadDoc
		in.do("GET", "/api/v1/admin/leads/"+first.ID, in.noraTok, nil).wantStatus(200).decode(&full)
		if len(full.Answers) != 3 || full.Answers[0].Question == "" {
			t.Fatalf("answers %+v", full.Answers)
		}

		// The funnel: new → contacted → qualified → won; no way back.
		status := func(tok, s string) response {
			return in.do("POST", "/api/v1/admin/leads/"+first.ID+"/status", tok, map[string]string{"status": s})
		}
		status(in.noraTok, "won").problem(409)
		status(in.noraTok, "contacted").wantStatus(200)
		status(in.noraTok, "qualified").wantStatus(200)
		status(in.noraTok, "won").wantStatus(200)
		status(in.noraTok, "new").problem(409)
		status(in.noraTok, "closed").problem(400)

		var note struct{ Body string }
		in.do("POST", "/api/v1/admin/leads/"+first.ID+"/notes", in.noraTok, map[string]string{"body": "Called; signed."}).wantStatus(201).decode(&note)
		in.do("POST", "/api/v1/admin/leads/"+first.ID+"/notes", in.noraTok, map[string]string{"body": ""}).problem(400)
		in.do("GET", "/api/v1/admin/leads/"+first.ID, in.admin, nil).wantStatus(200).decode(&full)
		// Whoever reads it is told who wrote it (consultants can't list users).
		if len(full.Notes) != 1 || full.Notes[0].Body != "Called; signed." || full.Notes[0].AuthorName != in.nora.Email {
			t.Fatalf("notes %+v", full.Notes)
		}

		// Reassigning moves the lead to the other consultant's inbox.
		in.do("POST", "/api/v1/admin/leads/"+second.ID+"/assign", in.benTok, map[string]string{"owner_id": in.nora.ID}).wantStatus(200)
		in.do("GET", "/api/v1/admin/leads/"+second.ID, in.noraTok, nil).wantStatus(200)
		in.do("GET", "/api/v1/admin/leads/"+second.ID, in.benTok, nil).problem(404)
		in.do("POST", "/api/v1/admin/leads/"+second.ID+"/assign", in.admin, map[string]string{"owner_id": in.admin}).problem(400)

		// Filters.
		var filtered struct{ Data []leadDoc }
		in.do("GET", "/api/v1/admin/leads?status=won&guide=node-vs-django", in.admin, nil).wantStatus(200).decode(&filtered)
		if len(filtered.Data) != 1 || filtered.Data[0].ID != first.ID {
			t.Fatalf("status filter %+v", filtered.Data)
		}
		tomorrow := in.clock.Now().Add(24 * time.Hour).Format(time.DateOnly)
		in.do("GET", "/api/v1/admin/leads?from="+tomorrow, in.admin, nil).wantStatus(200).decode(&filtered)
		if len(filtered.Data) != 0 {
			t.Fatalf("from filter %+v", filtered.Data)
		}
		for _, bad := range []string{"status=hot", "from=yesterday", "limit=0", "sort=name", "include_total=maybe"} {
			in.do("GET", "/api/v1/admin/leads?"+bad, in.admin, nil).problem(400)
		}

		// Totals count past the page, and only what the reader may see.
		totals := []struct {
			name, query, tok string
			total, page      int
		}{
			{"admin, all", "include_total=true&limit=1", in.admin, 2, 1},
			{"admin, filtered", "include_total=true&status=won", in.admin, 1, 1},
			{"consultant, own only", "include_total=true", in.benTok, 0, 0},
			{"consultant after reassignment", "include_total=true&limit=1", in.noraTok, 2, 1},
		}
		for _, tc := range totals {
			var got struct {
				Data  []leadDoc
				Total *int
			}
			in.do("GET", "/api/v1/admin/leads?"+tc.query, tc.tok, nil).wantStatus(200).decode(&got)
			if got.Total == nil || *got.Total != tc.total || len(got.Data) != tc.page {
				t.Fatalf("%s: total %v, %d on the page; want %d, %d", tc.name, got.Total, len(got.Data), tc.total, tc.page)
			}
		}
		var plain struct{ Total *int }
		in.do("GET", "/api/v1/admin/leads", in.admin, nil).wantStatus(200).decode(&plain)
		if plain.Total != nil {
			t.Fatalf("total sent unasked: %d", *plain.Total)
		}
	})
}

func TestLeadExportCSV(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		in := newIntake(t, db)
		s := submission("Mallory")
		s["company"] = "=HYPERLINK(\"https://evil.example\")"
		in.submit(s).wantStatus(201)
		for i := range 3 {
			in.submit(submission(fmt.Sprintf("Prospect %d", i))).wantStatus(201)
		}
		in.drain()
		res := in.do("GET", "/api/v1/admin/leads/export.csv", in.admin, nil).wantStatus(200)
		if !strings.HasPrefix(res.header.Get("Content-Type"), "text/csv") {
			t.Fatalf("Content-Type %q", res.header.Get("Content-Type"))
		}
		rows, err := csv.NewReader(strings.NewReader(string(res.body))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 5 || rows[0][0] != "reference" {
			t.Fatalf("%d rows: %v", len(rows), rows)
		}
		if rows[1][5] != `'=HYPERLINK("https://evil.example")` {
			t.Fatalf("formula not defused: %q", rows[1][5])
		}
		res = in.do("GET", "/api/v1/admin/leads/export.csv?q=Prospect", in.admin, nil).wantStatus(200)
		if rows, _ := csv.NewReader(strings.NewReader(string(res.body))).ReadAll(); len(rows) != 4 {
			t.Fatalf("filtered export has %d rows, want a header and 3", len(rows))
		}
		var noras [][]string
		res = in.do("GET", "/api/v1/admin/leads/export.csv", in.noraTok, nil).wantStatus(200)
		noras, _ = csv.NewReader(strings.NewReader(string(res.body))).ReadAll()
		if len(noras) >= len(rows) {
			t.Fatalf("a consultant exported leads that are not theirs: %d rows", len(noras))
		}
	})
}

func TestLeadErasureAndRetention(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		in := newIntake(t, db)
		l := in.ownedLead("Ada Lovelace")
		in.do("POST", "/api/v1/admin/leads/"+l.ID+"/notes", in.noraTok, map[string]string{"body": "Ada's phone: 555"}).wantStatus(201)
		in.do("DELETE", "/api/v1/admin/leads/"+l.ID, in.noraTok, nil).problem(403)
		in.do("DELETE", "/api/v1/admin/leads/"+l.ID, in.admin, nil).wantStatus(204)
		var got leadDoc
		res := in.do("GET", "/api/v1/admin/leads/"+l.ID, in.admin, nil).wantStatus(200)
		res.decode(&got)
		if got.Name != "[erased]" || got.Email != "" || len(got.Answers) != 0 || len(got.Notes) != 0 || got.Reference != l.Reference {
			t.Fatalf("after erasure %+v", got)
		}
		if strings.Contains(string(res.body), "Ada") {
			t.Fatalf("personal data survived erasure: %s", res.body)
		}
		var payloads []string
		if err := db.Table("outbox").Where("lead_id = ?", l.ID).Pluck("payload", &payloads).Error; err != nil {
			t.Fatal(err)
		}
		for _, p := range payloads {
			if strings.Contains(p, "Ada") || strings.Contains(p, "ada.lovelace") {
				t.Fatalf("an outbox row kept personal data: %s", p)
			}
		}
		var audits int64
		if err := db.Table("audit_log").Where("action = ? AND subject_id = ?", "lead.erased", l.ID).Count(&audits).Error; err != nil || audits != 1 {
			t.Fatalf("audit entries %d (%v)", audits, err)
		}

		// Retention erases closed leads after the period, not open ones.
		closed := in.ownedLead("Grace Hopper")
		open := in.ownedLead("Barbara Liskov")
		in.do("POST", "/api/v1/admin/leads/"+closed.ID+"/status", in.admin, map[string]string{"status": "lost"}).wantStatus(200)
		in.clock.Advance(48 * time.Hour)
		n, err := in.leads.EraseExpired(t.Context(), 24*time.Hour)
		if err != nil || n != 1 {
			t.Fatalf("EraseExpired=%d, %v", n, err)
		}
		in.admin = in.login("root@example.com").AccessToken // the old token expired meanwhile
		in.do("GET", "/api/v1/admin/leads/"+open.ID, in.admin, nil).wantStatus(200).decode(&got)
		if got.Name != "Barbara Liskov" {
			t.Fatal("retention erased an open lead")
		}
		in.do("GET", "/api/v1/admin/leads/"+closed.ID, in.admin, nil).wantStatus(200).decode(&got)
		if got.Name != "[erased]" {
			t.Fatalf("retention kept a closed lead: %q", got.Name)
		}
	})
}

// TestTwoWorkersDeliverOnce runs two dispatchers, each with its own
// connection pool, against one PostgreSQL outbox: every message is
// delivered exactly once.
func TestTwoWorkersDeliverOnce(t *testing.T) {
	u := dbtest.PostgresURL(t, true)
	open := func() *database.DB {
		db, err := database.Open(context.Background(), database.Options{URL: u, MaxOpenConns: 5, MaxIdleConns: 5})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	in := newIntake(t, open())
	const leads = 30
	for i := range leads {
		in.submit(submission(fmt.Sprintf("Prospect %d", i))).wantStatus(201)
	}
	var wg sync.WaitGroup
	for range 2 {
		st := store.New(open())
		w := outbox.New(store.OutboxStore{Store: st}, smtpSender(t, in.smtp.URL()), map[string]outbox.Handler{
			"lead.created": func(ctx context.Context, m *outbox.Message) error {
				return in.leads.Expand(ctx, m.ID, m.LeadID, m.Lease)
			},
		}, outbox.Config{Batch: 7, Lease: time.Minute, Poll: time.Millisecond, BackoffBase: time.Millisecond, BackoffMax: time.Millisecond},
			quietLog(), time.Now)
		wg.Go(func() {
			for idle := 0; idle < 20; {
				n, err := w.RunOnce(context.Background())
				if err != nil {
					t.Error(err)
					return
				}
				if n == 0 {
					idle++
					time.Sleep(5 * time.Millisecond)
				}
			}
		})
	}
	wg.Wait()
	want := leads * 2 // the owner's notification and the confirmation
	msgs := in.smtp.Wait(want, 10*time.Second)
	time.Sleep(100 * time.Millisecond)
	msgs = in.smtp.Messages()
	ids := map[string]int{}
	for _, m := range msgs {
		ids[m.Header.Get("Message-Id")]++
	}
	if len(msgs) != want || len(ids) != want {
		t.Fatalf("%d messages, %d distinct, want %d each", len(msgs), len(ids), want)
	}
}
