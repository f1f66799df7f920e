package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
	"github.com/verdict-cms/verdict/internal/id"
	"github.com/verdict-cms/verdict/internal/lead"
	"github.com/verdict-cms/verdict/internal/store"
	"github.com/verdict-cms/verdict/models"
)

// TestConcurrentBatchExpansion: four expanders on two instances claim
// lead.created events a few at a time (SKIP LOCKED on PostgreSQL) and expand
// each claim as one batch. Every lead gets exactly one notification, and the
// confirmation caps hold exactly, as if the leads had been expanded one by
// one: per recipient, and in total per hour across the instances, with the
// counters raised once per batch.
func TestConcurrentBatchExpansion(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		const perRecipient, perHour, leads = 2, 7, 24
		policy := lead.Config{TeamEmail: "team@example.com", SendConfirmation: true,
			ConfirmationsPerRecipient: perRecipient, ConfirmationsPerHour: perHour}
		one, two := newEnvLeads(t, db, policy), newEnvLeads(t, db, policy)
		if _, err := seedLoad(one); err != nil {
			t.Fatal(err)
		}
		// Webhook events are written only for a subscribing endpoint.
		hook := models.Webhook{ID: id.New(), URL: "https://hooks.example.com/leads", Events: "lead.created", Secret: "s", Active: true,
			Version: 1, CreatedAt: time.Now().UTC(), UpdatedAt: time.Now().UTC()}
		if err := db.Create(&hook).Error; err != nil {
			t.Fatal(err)
		}
		victims := 0
		for i := range leads {
			body := submission(fmt.Sprintf("Prospect %d", i))
			if i%3 == 0 { // 8 leads from one address: 2 pass its cap
				body["email"], victims = "victim@example.org", victims+1
			}
			one.do("POST", "/api/v1/consultations", "", body).wantStatus(201)
		}
		outbox := store.OutboxStore{Store: store.New(db)}
		var wg sync.WaitGroup
		batches := make(chan int, leads)
		for _, e := range []*testEnv{one, two, one, two} {
			wg.Go(func() {
				for {
					ms, err := outbox.ClaimKind(context.Background(), lead.KindLeadCreated, e.clock.Now(), time.Minute, 3)
					if err != nil || len(ms) == 0 {
						if err != nil {
							t.Error(err)
						}
						return
					}
					events := make([]lead.Event, len(ms))
					for i, m := range ms {
						events[i] = lead.Event{ID: m.ID, LeadID: m.LeadID}
					}
					if err := e.leads.ExpandBatch(context.Background(), events, ms[0].Lease); err != nil {
						t.Error(err)
						return
					}
					batches <- len(ms)
				}
			})
		}
		wg.Wait()
		close(batches)
		n := 0
		for range batches {
			n++
		}
		if n < 2 {
			t.Fatalf("%d batches: the expanders did not share the events", n)
		}

		var rows []models.OutboxMessage
		if err := db.Order("id").Find(&rows).Error; err != nil {
			t.Fatal(err)
		}
		notified := map[string]int{}  // lead ID → notifications
		confirmed := map[string]int{} // address → confirmations
		perLead := map[string]int{}   // lead ID → confirmations
		events := 0
		for _, r := range rows {
			switch r.Kind {
			case lead.KindLeadCreated:
				if r.Status != "sent" {
					t.Errorf("event %s left %s", r.ID, r.Status)
				}
			case "event":
				if strings.Contains(r.Payload, `"lead.created"`) {
					events++
				}
			case lead.KindMail:
				var m lead.Mail
				if err := json.Unmarshal([]byte(r.Payload), &m); err != nil {
					t.Fatal(err)
				}
				if m.To[0] == "team@example.com" {
					notified[*r.LeadID]++
				} else {
					confirmed[m.To[0]]++
					perLead[*r.LeadID]++
				}
			}
		}
		total := 0
		for addr, c := range confirmed {
			total += c
			if c > perRecipient {
				t.Errorf("%s: %d confirmations, cap %d", addr, c, perRecipient)
			}
		}
		if total != perHour {
			t.Errorf("%d confirmations in all, want exactly the hourly cap %d: %v", total, perHour, confirmed)
		}
		if len(notified) != leads || events != leads {
			t.Errorf("%d leads notified, %d webhook events; want %d each", len(notified), events, leads)
		}
		for id, c := range notified {
			if c != 1 || perLead[id] > 1 {
				t.Errorf("lead %s: %d notifications, %d confirmations", id, c, perLead[id])
			}
		}
		// The counters hold what one-by-one expansion would have counted:
		// every confirmation tried against its address, and those within it
		// against the total.
		var counters []models.Throttle
		if err := db.Where("key LIKE ?", "mail:confirm:%").Find(&counters).Error; err != nil {
			t.Fatal(err)
		}
		hits := map[string]int{}
		for _, c := range counters {
			if strings.HasSuffix(c.Key, ":all") {
				hits["all"] = c.Hits
			} else if c.Hits > 1 {
				hits["victim"] = c.Hits
			}
		}
		if want := leads - victims + perRecipient; hits["all"] != want || hits["victim"] != victims {
			t.Errorf("counters %v, want all %d and victim %d", hits, want, victims)
		}
	})
}

// TestBatchRoundRobin: leads expanded in one batch go to the matching
// consultants in turn, longest idle first, as one by one; the next batch
// carries the turn on.
func TestBatchRoundRobin(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		in := newIntake(t, db)
		owners := func() []string {
			var list struct{ Data []leadDoc }
			in.do("GET", "/api/v1/admin/leads?limit=100", in.admin, nil).wantStatus(200).decode(&list)
			var out []string
			for _, l := range list.Data {
				switch {
				case l.OwnerID == nil:
					out = append(out, "nobody")
				case *l.OwnerID == in.nora.ID:
					out = append(out, "nora")
				case *l.OwnerID == in.ben.ID:
					out = append(out, "ben")
				}
			}
			return out
		}
		for i := range 5 {
			in.submit(submission(fmt.Sprintf("Prospect %d", i))).wantStatus(201)
		}
		if n := in.drain(); n < 5 {
			t.Fatalf("drained %d rows", n)
		}
		in.clock.Advance(time.Second)
		in.submit(submission("Prospect 5")).wantStatus(201)
		in.drain()
		want := []string{"nora", "ben", "nora", "ben", "nora", "ben"}
		if got := owners(); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Fatalf("owners %v, want %v", got, want)
		}
		if got := len(in.smtp.Wait(12, 5*time.Second)); got != 12 {
			t.Fatalf("%d mails, want a notification and a confirmation per lead", got)
		}
	})
}
