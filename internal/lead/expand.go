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

// Expand turns a claimed lead.created event into emails, in one
// transaction with the event's completion, so a crash never queues them
// twice: it routes the lead to the consultants whose expertise matches its
// guide (or the prospect's preferred technologies), makes the longest-idle
// one the owner, and queues the notification to the owner alone, who is the
// only consultant the API shows the lead to, or to the team address when
// nobody matches; plus the prospect's confirmation, within its caps.
func (s *Service) Expand(ctx context.Context, eventID, leadID string, lease time.Time) error {
	return s.store.InTx(ctx, func(tx Store) error {
		l, err := tx.FindLeadForUpdate(ctx, leadID)
		if apperr.IsKind(err, apperr.NotFound) {
			return tx.CompleteEvent(ctx, eventID, lease, s.now()) // erased meanwhile
		} else if err != nil {
			return err
		}
		now := s.now()
		if l.ErasedAt == nil && l.Status != StatusSpam {
			if err := s.route(ctx, tx, l, now); err != nil {
				return err
			}
			if err := tx.Emit(ctx, "lead.created", leadEvent(l, ""), now); err != nil {
				return err
			}
		}
		return tx.CompleteEvent(ctx, eventID, lease, now)
	})
}

func (s *Service) route(ctx context.Context, tx Store, l *Lead, now time.Time) error {
	techIDs, categoryID, err := s.routingKeys(ctx, l)
	if err != nil {
		return err
	}
	consultants, err := tx.MatchingConsultants(ctx, techIDs, categoryID)
	if err != nil {
		return err
	}
	var owner *Consultant
	if len(consultants) > 0 {
		owner = consultants[0] // ordered longest-idle first: round-robin
		if err := tx.MarkAssigned(ctx, owner.UserID, now); err != nil {
			return err
		}
		l.OwnerID, l.UpdatedAt = &owner.UserID, now
		if err := tx.UpdateLead(ctx, l); err != nil {
			return err
		}
	}
	to := s.cfg.TeamEmail
	if owner != nil {
		to = owner.Email
	}
	if to != "" {
		m, err := s.composer.Notification(l, owner)
		if err != nil {
			return fmt.Errorf("lead: compose notification: %w", err)
		}
		m.To = []string{to}
		if err := s.enqueueMail(ctx, tx, l.ID, m, now); err != nil {
			return err
		}
	}
	if !s.cfg.SendConfirmation {
		return nil
	}
	if ok, err := s.mayConfirm(ctx, tx, l.Email, now); err != nil || !ok {
		return err
	}
	m, err := s.composer.Confirmation(l)
	if err != nil {
		return fmt.Errorf("lead: compose confirmation: %w", err)
	}
	return s.enqueueMail(ctx, tx, l.ID, m, now)
}

// mayConfirm counts a confirmation to addr against the per-recipient and the
// overall hourly caps. Anyone can type any address into the form, so without
// them the intake would mail strangers as often as it is asked to. A lead
// over a cap is stored and routed as usual; only its confirmation is skipped.
func (s *Service) mayConfirm(ctx context.Context, tx Store, addr string, now time.Time) (bool, error) {
	perRecipient, perHour := s.cfg.ConfirmationsPerRecipient, s.cfg.ConfirmationsPerHour
	if perRecipient <= 0 {
		perRecipient = 3
	}
	if perHour <= 0 {
		perHour = 200
	}
	sum := sha256.Sum256([]byte(strings.ToLower(addr)))
	n, err := tx.CountMail(ctx, "mail:confirm:"+hex.EncodeToString(sum[:12]), time.Hour, now)
	if err != nil || n > perRecipient {
		return false, err
	}
	n, err = tx.CountMail(ctx, "mail:confirm:all", time.Hour, now)
	return n <= perHour, err
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

func (s *Service) enqueueMail(ctx context.Context, tx Store, leadID string, m Mail, now time.Time) error {
	payload, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("lead: encode mail: %w", err)
	}
	return tx.Enqueue(ctx, KindMail, leadID, payload, now)
}
