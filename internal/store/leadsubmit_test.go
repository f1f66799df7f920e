package store_test

import (
	"context"
	"fmt"
	"reflect"
	"sync"
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
		if _, err := ls.CreateLeadWithEvent(ctx, ok, lead.KindLeadCreated, []byte(`{"x":1}`), now, nil); err != nil {
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
		if _, err := ls.CreateLeadWithEvent(ctx, spam, "", nil, now, nil); err != nil {
			t.Fatal(err)
		}
		if l, o := count("leads"), count("outbox"); l != 2 || o != 1 {
			t.Fatalf("leads=%d outbox=%d, want 2 and 1", l, o)
		}

		dup := newLead("VRD-1", now) // the reference is taken
		_, err = ls.CreateLeadWithEvent(ctx, dup, lead.KindLeadCreated, []byte("{}"), now, nil)
		if !apperr.IsKind(err, apperr.Conflict) {
			t.Fatalf("duplicate reference: %v, want Conflict", err)
		}
		err = ls.InTx(ctx, func(tx lead.Store) error {
			_, err := tx.CreateLeadWithEvent(ctx, newLead("VRD-1", now), lead.KindLeadCreated, []byte("{}"), now, nil)
			return err
		})
		if !apperr.IsKind(err, apperr.Conflict) {
			t.Fatalf("duplicate reference in a transaction: %v, want Conflict", err)
		}
		if l, o := count("leads"), count("outbox"); l != 2 || o != 1 {
			t.Fatalf("after conflicts leads=%d outbox=%d, want 2 and 1", l, o)
		}
	})
}

// TestCreateLeadWithEventCountsTheQuota: with a quota, the hit is counted in
// the lead's transaction (on PostgreSQL in the same statement). Within the
// quota the lead and event are stored; past it only the hit is, and a
// failed insert takes its hit back with it. A new window starts afresh.
func TestCreateLeadWithEventCountsTheQuota(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx := t.Context()
		now := time.Now().UTC().Truncate(time.Millisecond)
		ls := store.LeadStore{Store: store.New(db), MaxAttempts: 5}
		th := store.NewThrottle(ls.Store, func() time.Time { return now })
		q := &lead.Quota{Key: "intake:ip:192.0.2.1", Max: 2, Window: time.Hour}
		count := func(table string) (n int64) {
			t.Helper()
			if err := db.Table(table).Count(&n).Error; err != nil {
				t.Fatal(err)
			}
			return n
		}
		// The first lead, as stored through the quota's statement, reads
		// back as it went in.
		key := "s1:abc"
		first := newLead("VRD-0", now)
		first.Answers = []lead.Answer{{QuestionID: "q", Question: "Q?", Answer: "Yes", ChoiceIDs: []string{"yes"}}}
		first.PreferredTechnologies, first.UTM = []string{"nodejs"}, lead.UTM{Source: "news"}
		first.IdempotencyKey, first.Locale, first.UserAgent, first.RequestHash = &key, "de", "curl/8", "h"
		first.Recommendation = &lead.Recommendation{Leaning: "django", Options: []lead.RecommendedOption{{Slug: "django", Name: "Django", Score: 3, Share: 1, Rank: 1}}}
		if _, err := ls.CreateLeadWithEvent(ctx, first, lead.KindLeadCreated, nil, now, &lead.Quota{Key: "other", Max: 1, Window: time.Hour}); err != nil {
			t.Fatal(err)
		}
		got, err := ls.FindLead(ctx, first.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.CreatedAt.Equal(now) || !got.UpdatedAt.Equal(now) || got.ConsentedAt == nil || !got.ConsentedAt.Equal(now) ||
			got.ClosedAt != nil || got.GuideID != nil || got.OwnerID != nil || got.IdempotencyKey == nil || *got.IdempotencyKey != key ||
			got.Locale != "de" || got.UserAgent != "curl/8" || got.RequestHash != "h" || got.Status != lead.StatusNew ||
			!reflect.DeepEqual(got.Answers, first.Answers) || !reflect.DeepEqual(got.PreferredTechnologies, first.PreferredTechnologies) ||
			got.UTM != first.UTM || !reflect.DeepEqual(got.Recommendation, first.Recommendation) {
			t.Fatalf("stored %+v\nsent   %+v", got, first)
		}
		if err := db.Exec("DELETE FROM outbox").Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Exec("DELETE FROM leads").Error; err != nil {
			t.Fatal(err)
		}
		for i, tc := range []struct {
			ref        string
			kind       string
			wantHits   int
			wantLeads  int64
			wantOutbox int64
		}{
			{"VRD-1", lead.KindLeadCreated, 1, 1, 1},
			{"VRD-2", "", 2, 2, 1}, // spam: no event
			{"VRD-3", lead.KindLeadCreated, 3, 2, 1},
			{"VRD-4", lead.KindLeadCreated, 4, 2, 1},
		} {
			u, err := ls.CreateLeadWithEvent(ctx, newLead(tc.ref, now), tc.kind, []byte("{}"), now, q)
			if err != nil {
				t.Fatalf("%d: %v", i, err)
			}
			if u == nil || u.Hits != tc.wantHits || !u.Reset.Equal(now.Add(time.Hour)) {
				t.Fatalf("%d: usage %+v, want %d hits resetting at %v", i, u, tc.wantHits, now.Add(time.Hour))
			}
			if l, o := count("leads"), count("outbox"); l != tc.wantLeads || o != tc.wantOutbox {
				t.Fatalf("%d: leads=%d outbox=%d, want %d and %d", i, l, o, tc.wantLeads, tc.wantOutbox)
			}
		}
		// A conflict stores nothing, its hit included.
		fresh := &lead.Quota{Key: "intake:ip:192.0.2.2", Max: 2, Window: time.Hour}
		if _, err := ls.CreateLeadWithEvent(ctx, newLead("VRD-1", now), lead.KindLeadCreated, nil, now, fresh); !apperr.IsKind(err, apperr.Conflict) {
			t.Fatalf("duplicate reference: %v, want Conflict", err)
		}
		if n, _, err := th.Peek(ctx, fresh.Key, time.Hour); err != nil || n != 0 {
			t.Fatalf("a failed insert kept its hit: %d, %v", n, err)
		}
		// The window ends: the count starts over and the lead goes in.
		later := now.Add(time.Hour)
		u, err := ls.CreateLeadWithEvent(ctx, newLead("VRD-5", later), lead.KindLeadCreated, nil, later, q)
		if err != nil || u.Hits != 1 || count("leads") != 3 {
			t.Fatalf("new window: usage %+v, err %v, %d leads", u, err, count("leads"))
		}
	})
}

// TestCreateLeadWithEventQuotaIsExact: submissions racing under one quota
// store exactly Max leads, however many connections they come on.
func TestCreateLeadWithEventQuotaIsExact(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		now := time.Now().UTC().Truncate(time.Millisecond)
		ls := store.LeadStore{Store: store.New(db), MaxAttempts: 5}
		q := &lead.Quota{Key: "intake:ip:192.0.2.9", Max: 7, Window: time.Hour}
		var wg sync.WaitGroup
		var mu sync.Mutex
		seen := map[int]bool{}
		for i := range 30 {
			wg.Go(func() {
				u, err := ls.CreateLeadWithEvent(context.Background(), newLead(fmt.Sprintf("VRD-C%d", i), now), lead.KindLeadCreated, nil, now, q)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				defer mu.Unlock()
				if seen[u.Hits] {
					t.Errorf("count %d given twice", u.Hits)
				}
				seen[u.Hits] = true
			})
		}
		wg.Wait()
		var leads, events int64
		if err := db.Table("leads").Count(&leads).Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Table("outbox").Count(&events).Error; err != nil {
			t.Fatal(err)
		}
		if leads != 7 || events != 7 || len(seen) != 30 {
			t.Fatalf("%d leads, %d events, %d distinct counts; want 7, 7, 30", leads, events, len(seen))
		}
	})
}
