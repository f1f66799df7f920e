package store_test

import (
	"testing"
	"time"

	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
	"github.com/verdict-cms/verdict/internal/id"
	"github.com/verdict-cms/verdict/internal/lead"
	"github.com/verdict-cms/verdict/internal/store"
	"github.com/verdict-cms/verdict/internal/webhook"
	"github.com/verdict-cms/verdict/models"
)

// TestWebhookEventsOnlyForSubscribers: an event is written to the outbox,
// one at a time, in a lead batch or in bulk, only when an active endpoint
// subscribes to its type; the mails of a lead batch are written regardless.
func TestWebhookEventsOnlyForSubscribers(t *testing.T) {
	cases := []struct {
		name   string
		hooks  []models.Webhook
		events int64
	}{
		{"no endpoint", nil, 0},
		{"inactive endpoint", []models.Webhook{{Events: "lead.created,guide.published", Active: false}}, 0},
		{"other events", []models.Webhook{{Events: "lead.status_changed,guide.deleted", Active: true}}, 0},
		{"subscriber", []models.Webhook{{Events: "guide.deleted", Active: true}, {Events: "guide.published,lead.created", Active: true}}, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dbtest.Run(t, func(t *testing.T, db *database.DB) {
				ctx := t.Context()
				now := time.Now().UTC()
				for _, h := range tc.hooks {
					h.ID, h.URL, h.Secret, h.Version, h.CreatedAt, h.UpdatedAt = id.New(), "https://hooks.example.com/", "s", 1, now, now
					if err := db.Create(&h).Error; err != nil {
						t.Fatal(err)
					}
				}
				s := store.New(db)
				leads, guides := store.LeadStore{Store: s, MaxAttempts: 5}, store.GuideStore{Store: s}
				l := newLead("VRD-1", now)
				if _, err := leads.CreateLeadWithEvent(ctx, l, lead.KindLeadCreated, []byte(`{}`), now, nil); err != nil {
					t.Fatal(err)
				}
				mail := lead.QueuedMail{LeadID: l.ID, Payload: []byte(`{"to":["a@example.com"]}`)}
				if err := leads.EnqueueBatch(ctx, []lead.QueuedMail{mail}, []any{map[string]string{"id": "1"}}, now); err != nil {
					t.Fatal(err)
				}
				if err := leads.Emit(ctx, lead.KindLeadCreated, map[string]string{"id": "2"}, now); err != nil {
					t.Fatal(err)
				}
				if err := guides.EmitAll(ctx, "guide.published", []any{map[string]string{"id": "3"}}, now); err != nil {
					t.Fatal(err)
				}
				count := func(kind string) (n int64) {
					t.Helper()
					if err := db.Model(&models.OutboxMessage{}).Where("kind = ?", kind).Count(&n).Error; err != nil {
						t.Fatal(err)
					}
					return n
				}
				if got := count(webhook.KindEvent); got != 3*tc.events {
					t.Errorf("%d events written, want %d", got, 3*tc.events)
				}
				if got := count(lead.KindMail); got != 1 {
					t.Errorf("%d mails written, want 1", got)
				}
			})
		})
	}
}
