package lead

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/verdict-cms/verdict/internal/apperr"
)

// Event is a claimed lead.created outbox row.
type Event struct {
	ID     string // the outbox row's
	LeadID string
}

// Expand turns a claimed lead.created event into emails: ExpandBatch of one.
func (s *Service) Expand(ctx context.Context, eventID, leadID string, lease time.Time) error {
	return s.ExpandBatch(ctx, []Event{{ID: eventID, LeadID: leadID}}, lease)
}

// ExpandBatch turns claimed lead.created events, all under one lease, into
// emails, in one transaction with the events' completion, so a crash never
// queues them twice: it routes each lead to the consultants whose expertise
// matches its guide (or the prospect's preferred technologies), makes the
// longest-idle one the owner, and queues the notification to the owner
// alone, who is the only consultant the API shows the lead to, or to the
// team address when nobody matches; plus the prospect's confirmation, within
// its caps. The events are completed first, fenced by the lease: that locks
// them, and an event whose lease was lost is left to its new holder.
// Each kind of write is one statement for the whole batch, and the shared
// hourly counter is taken once, so batches on several instances contend
// on it once per batch, not once per lead.
func (s *Service) ExpandBatch(ctx context.Context, events []Event, lease time.Time) error {
	if len(events) == 0 {
		return nil
	}
	return s.store.InTx(ctx, func(tx Store) error {
		now := s.now()
		ids := make([]string, len(events))
		for i, e := range events {
			ids[i] = e.ID
		}
		done, err := tx.CompleteEvents(ctx, ids, lease, now)
		if err != nil {
			return err
		}
		if len(done) == 0 {
			return apperr.New(apperr.Conflict, "the outbox message's lease expired before it completed")
		}
		owned := make(map[string]bool, len(done))
		for _, id := range done {
			owned[id] = true
		}
		var leadIDs []string
		for _, e := range events {
			if owned[e.ID] {
				leadIDs = append(leadIDs, e.LeadID)
			}
		}
		found, err := tx.FindLeadsForUpdate(ctx, leadIDs)
		if err != nil {
			return err
		}
		byID := make(map[string]*Lead, len(found))
		for _, l := range found {
			byID[l.ID] = l
		}
		var leads []*Lead // in event order; erased, spam and deleted ones get nothing
		for _, e := range events {
			if l := byID[e.LeadID]; owned[e.ID] && l != nil && l.ErasedAt == nil && l.Status != StatusSpam {
				leads = append(leads, l)
			}
		}
		b := &batch{s: s, tx: tx, now: now, matches: map[string][]*Consultant{}, picked: map[string]int{},
			owners: map[string]string{}, assigned: map[string]time.Time{}}
		for _, l := range leads {
			if err := b.route(ctx, l); err != nil {
				return err
			}
		}
		if err := tx.AssignOwners(ctx, b.owners, b.assigned, now); err != nil {
			return err
		}
		if err := b.confirm(ctx, leads); err != nil {
			return err
		}
		webhookEvents := make([]any, len(leads))
		for i, l := range leads {
			webhookEvents[i] = leadEvent(l, "")
		}
		return tx.EnqueueBatch(ctx, b.mails, webhookEvents, now)
	})
}

// batch is the state of one ExpandBatch.
type batch struct {
	s   *Service
	tx  Store
	now time.Time
	// matches caches the matching consultants per routing key set: who
	// matches cannot change within the transaction, only who is idlest.
	matches map[string][]*Consultant
	// picked orders the consultants this batch assigned, the latest last,
	// as after them each is the most recently assigned of all.
	picked   map[string]int
	seq      int
	owners   map[string]string    // lead ID → owner
	assigned map[string]time.Time // consultant → last assigned
	mails    []QueuedMail
}

// route picks l's owner, longest idle first (round-robin, as if the leads
// were expanded one by one), and queues the notification.
func (b *batch) route(ctx context.Context, l *Lead) error {
	techIDs, categoryID, err := b.s.routingKeys(ctx, l)
	if err != nil {
		return err
	}
	key := categoryID + "|" + strings.Join(slices.Sorted(slices.Values(techIDs)), ",")
	consultants, ok := b.matches[key]
	if !ok {
		if consultants, err = b.tx.MatchingConsultants(ctx, techIDs, categoryID); err != nil {
			return err
		}
		b.matches[key] = consultants
	}
	var owner *Consultant
	for _, c := range consultants { // the idlest not yet picked here, else the earliest picked
		if _, again := b.picked[c.UserID]; !again {
			owner = c
			break
		}
		if owner == nil || b.picked[c.UserID] < b.picked[owner.UserID] {
			owner = c
		}
	}
	if owner != nil {
		// A microsecond apart, so that the next batch sees this one's order.
		b.seq++
		b.picked[owner.UserID] = b.seq
		b.assigned[owner.UserID] = b.now.Add(time.Duration(b.seq) * time.Microsecond)
		b.owners[l.ID] = owner.UserID
		l.OwnerID, l.UpdatedAt = &owner.UserID, b.now
	}
	to := b.s.cfg.TeamEmail
	if owner != nil {
		to = owner.Email
	}
	if to == "" {
		return nil
	}
	m, err := b.s.composer.Notification(l, owner)
	if err != nil {
		return fmt.Errorf("lead: compose notification: %w", err)
	}
	m.To = []string{to}
	return b.queue(l.ID, m)
}

// confirm queues the prospects' confirmations within the per-recipient and
// the overall hourly caps. Anyone can type any address into the form, so
// without them the intake would mail strangers as often as it is asked to.
// A lead over a cap is stored and routed as usual; only its confirmation is
// skipped. Each counter is raised once by the batch's count, and the
// confirmations are admitted in event order as if counted one by one: the
// cap holds exactly across instances, the counters' rows being locked until
// the commit.
func (b *batch) confirm(ctx context.Context, leads []*Lead) error {
	if !b.s.cfg.SendConfirmation || len(leads) == 0 {
		return nil
	}
	perRecipient, perHour := b.s.cfg.ConfirmationsPerRecipient, b.s.cfg.ConfirmationsPerHour
	if perRecipient <= 0 {
		perRecipient = 3
	}
	if perHour <= 0 {
		perHour = 200
	}
	keys := make([]string, len(leads))
	hits := map[string]int{}
	for i, l := range leads {
		sum := sha256.Sum256([]byte(strings.ToLower(l.Email)))
		keys[i] = "mail:confirm:" + hex.EncodeToString(sum[:12])
		hits[keys[i]]++
	}
	counts, err := b.tx.CountMails(ctx, hits, time.Hour, b.now)
	if err != nil {
		return err
	}
	var passed []*Lead
	seen := map[string]int{}
	for i, l := range leads {
		seen[keys[i]]++
		if counts[keys[i]]-hits[keys[i]]+seen[keys[i]] <= perRecipient {
			passed = append(passed, l)
		}
	}
	if len(passed) == 0 {
		return nil
	}
	total, err := b.tx.CountMails(ctx, map[string]int{confirmAll: len(passed)}, time.Hour, b.now)
	if err != nil {
		return err
	}
	room := perHour - (total[confirmAll] - len(passed)) // left before this batch
	for _, l := range passed[:max(0, min(room, len(passed)))] {
		m, err := b.s.composer.Confirmation(l)
		if err != nil {
			return fmt.Errorf("lead: compose confirmation: %w", err)
		}
		if err := b.queue(l.ID, m); err != nil {
			return err
		}
	}
	return nil
}

// confirmAll counts the confirmations to every address.
const confirmAll = "mail:confirm:all"

func (b *batch) queue(leadID string, m Mail) error {
	payload, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("lead: encode mail: %w", err)
	}
	b.mails = append(b.mails, QueuedMail{LeadID: leadID, Payload: payload})
	return nil
}

// routingKeys are the technologies and category a lead is about: its
// guide's, plus the technologies the prospect prefers.
func (s *Service) routingKeys(ctx context.Context, l *Lead) ([]string, string, error) {
	var techIDs []string
	categoryID := ""
	if l.GuideSlug != "" {
		g, err := s.catalog.GuideForLead(ctx, l.GuideSlug)
		if err == nil {
			techIDs, categoryID = append(techIDs, g.TechnologyIDs...), g.CategoryID
		} else if !apperr.IsKind(err, apperr.NotFound) {
			return nil, "", err
		}
	}
	if len(l.PreferredTechnologies) > 0 {
		ids, err := s.catalog.TechnologyIDs(ctx, l.PreferredTechnologies)
		if err != nil {
			return nil, "", err
		}
		for _, slug := range l.PreferredTechnologies {
			if id := ids[slug]; id != "" && !slices.Contains(techIDs, id) {
				techIDs = append(techIDs, id)
			}
		}
	}
	return techIDs, categoryID, nil
}
