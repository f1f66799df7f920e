package store_test

import (
	"testing"
	"time"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
	"github.com/verdict-cms/verdict/internal/id"
	"github.com/verdict-cms/verdict/internal/lead"
	"github.com/verdict-cms/verdict/internal/store"
)

func newLead(ref string, at time.Time) *lead.Lead {
	return &lead.Lead{ID: id.New(), Reference: ref, Status: lead.StatusNew, Name: "Ada", Email: "ada@example.com",
		Project: "A dashboard.", Answers: []lead.Answer{}, PreferredTechnologies: []string{}, CreatedAt: at, UpdatedAt: at, ConsentedAt: &at}
}

// TestCreateLeadWithEvent: the lead and its event are written together (on
// PostgreSQL in one pipelined batch), a spam lead without one, and a
// conflict writes neither, also from inside a transaction.
func TestCreateLeadWithEvent(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx := t.Context()
		now := time.Now().UTC().Truncate(time.Millisecond)
		ls := store.LeadStore{Store: store.New(db), MaxAttempts: 5}
		count := func(table string) (n int64) {
			t.Helper()
			if err := db.Table(table).Count(&n).Error; err != nil {
				t.Fatal(err)
			}
			return n
		}
		ok := newLead("VRD-1", now)
		if err := ls.CreateLeadWithEvent(ctx, ok, lead.KindLeadCreated, []byte(`{"x":1}`), now); err != nil {
			t.Fatal(err)
		}
		got, err := ls.FindLead(ctx, ok.ID)
		if err != nil || got.Reference != "VRD-1" || got.Email != "ada@example.com" {
			t.Fatalf("lead %+v, err %v", got, err)
		}
		var ev struct {
			Kind, Payload, Status string
			LeadID                string
			MaxAttempts           int
		}
		if err := db.Table("outbox").Select("kind, payload, status, lead_id, max_attempts").Take(&ev).Error; err != nil {
			t.Fatal(err)
		}
		if ev.Kind != lead.KindLeadCreated || ev.Payload != `{"x":1}` || ev.Status != "pending" || ev.LeadID != ok.ID || ev.MaxAttempts != 5 {
			t.Fatalf("event %+v", ev)
		}

		spam := newLead("VRD-2", now)
		spam.Status = lead.StatusSpam
		if err := ls.CreateLeadWithEvent(ctx, spam, "", nil, now); err != nil {
			t.Fatal(err)
		}
		if l, o := count("leads"), count("outbox"); l != 2 || o != 1 {
			t.Fatalf("leads=%d outbox=%d, want 2 and 1", l, o)
		}

		dup := newLead("VRD-1", now) // the reference is taken
		err = ls.CreateLeadWithEvent(ctx, dup, lead.KindLeadCreated, []byte("{}"), now)
		if !apperr.IsKind(err, apperr.Conflict) {
			t.Fatalf("duplicate reference: %v, want Conflict", err)
		}
		err = ls.InTx(ctx, func(tx lead.Store) error {
			return tx.CreateLeadWithEvent(ctx, newLead("VRD-1", now), lead.KindLeadCreated, []byte("{}"), now)
		})
		if !apperr.IsKind(err, apperr.Conflict) {
			t.Fatalf("duplicate reference in a transaction: %v, want Conflict", err)
		}
		if l, o := count("leads"), count("outbox"); l != 2 || o != 1 {
			t.Fatalf("after conflicts leads=%d outbox=%d, want 2 and 1", l, o)
		}
	})
}
