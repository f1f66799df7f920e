package guide

import (
	"context"
	"fmt"
	"time"

	"github.com/verdict-cms/verdict/internal/apperr"
)

// Publish makes the current draft public. It answers with a Conflict when
// the guide is not at version, so nobody publishes content they have not seen.
func (s *Service) Publish(ctx context.Context, actor, guideID string, version int) (*Guide, error) {
	return s.transition(ctx, guideID, version, func(tx Store, g *Guide) error {
		return s.publish(ctx, tx, g)
	})
}

func (s *Service) publish(ctx context.Context, tx Store, g *Guide) error {
	rev, err := tx.FindRevisionByID(ctx, *g.DraftRevisionID)
	if err != nil {
		return err
	}
	techs, err := tx.TechnologiesByIDs(ctx, rev.Document.technologyIDs())
	if err != nil {
		return err
	}
	var names []string
	for _, tid := range rev.Document.technologyIDs() {
		if t := techs[tid]; t != nil {
			names = append(names, t.Name)
		}
	}
	now := s.now()
	g.Status, g.PublishedRevisionID, g.PublishedAt, g.ScheduledAt = StatusPublished, &rev.ID, &now, nil
	if err := tx.Publish(ctx, g, rev, rev.Document.SearchText(names)); err != nil {
		return err
	}
	return tx.SetReferences(ctx, g.ID, true, rev.Document.technologyIDs(), rev.Document.Related)
}

// Unpublish takes a guide off the public API; its draft stays.
func (s *Service) Unpublish(ctx context.Context, guideID string, version int) (*Guide, error) {
	return s.transition(ctx, guideID, version, func(tx Store, g *Guide) error {
		if g.PublishedRevisionID == nil {
			return apperr.New(apperr.Conflict, "the guide is not published")
		}
		g.Status, g.ScheduledAt = StatusDraft, nil
		return s.takeDown(ctx, tx, g)
	})
}

// Archive retires a guide: off the public API, out of the default lists.
func (s *Service) Archive(ctx context.Context, guideID string, version int) (*Guide, error) {
	return s.transition(ctx, guideID, version, func(tx Store, g *Guide) error {
		g.Status, g.ScheduledAt = StatusArchived, nil
		if g.PublishedRevisionID == nil {
			return nil
		}
		return s.takeDown(ctx, tx, g)
	})
}

func (s *Service) takeDown(ctx context.Context, tx Store, g *Guide) error {
	g.PublishedRevisionID = nil
	if err := tx.Unpublish(ctx, g.ID); err != nil {
		return err
	}
	return tx.SetReferences(ctx, g.ID, true, nil, nil)
}

// Schedule publishes the current draft at a future time. The schedule lives
// in the database, so it survives restarts and any instance may carry it out.
func (s *Service) Schedule(ctx context.Context, guideID string, at time.Time, version int) (*Guide, error) {
	if !at.After(s.now()) {
		return nil, apperr.Fields{{Field: "publish_at", Code: "invalid", Message: "must be in the future"}}.Err()
	}
	return s.transition(ctx, guideID, version, func(_ Store, g *Guide) error {
		if g.Status == StatusPublished && !g.HasUnpublishedChanges() {
			return apperr.New(apperr.Conflict, "the guide is published and has no changes to schedule")
		}
		at := at.UTC()
		// A live guide stays public with its current snapshot until then.
		g.Status, g.ScheduledAt = StatusScheduled, &at
		return nil
	})
}

// Unschedule cancels a scheduled publish: the guide goes back to what it
// was, published (with its live snapshot) or draft.
func (s *Service) Unschedule(ctx context.Context, guideID string, version int) (*Guide, error) {
	return s.transition(ctx, guideID, version, func(_ Store, g *Guide) error {
		if g.Status != StatusScheduled {
			return apperr.New(apperr.Conflict, "the guide is not scheduled")
		}
		g.Status, g.ScheduledAt = StatusDraft, nil
		if g.PublishedRevisionID != nil {
			g.Status = StatusPublished
		}
		return nil
	})
}

// transition runs one workflow step on a locked guide at version and saves it.
func (s *Service) transition(ctx context.Context, guideID string, version int, step func(Store, *Guide) error) (*Guide, error) {
	var (
		out    *Guide
		public bool
	)
	err := s.store.InTx(ctx, func(tx Store) error {
		g, err := s.lockGuide(ctx, tx, guideID)
		if err != nil {
			return err
		}
		if g.Version != version {
			return versionConflict(g.Version)
		}
		before := g.PublishedRevisionID
		if err := step(tx, g); err != nil {
			return err
		}
		g.UpdatedAt = s.now()
		if err := tx.SaveGuide(ctx, g, version); err != nil {
			return err
		}
		public = !samePtr(before, g.PublishedRevisionID)
		out = g
		if !public {
			return nil
		}
		event := "guide.unpublished"
		if g.PublishedRevisionID != nil {
			event = "guide.published"
		}
		if err := tx.Emit(ctx, event, guideEvent(g), s.now()); err != nil {
			return err
		}
		return s.changed(ctx, tx)
	})
	if err == nil && public {
		s.afterChange()
	}
	return out, err
}

// PublishDue publishes every scheduled guide whose time has come, and
// reports how many. Each guide is claimed with a row lock that other
// instances skip, so two schedulers never publish the same guide twice.
func (s *Service) PublishDue(ctx context.Context) (int, error) {
	n := 0
	for {
		done := false
		err := s.store.InTx(ctx, func(tx Store) error {
			ids, err := tx.DueGuides(ctx, s.now(), 1)
			if err != nil || len(ids) == 0 {
				done = true
				return err
			}
			g, err := tx.FindGuide(ctx, ids[0])
			if err != nil {
				return err
			}
			version := g.Version
			if err := s.publish(ctx, tx, g); err != nil {
				return err
			}
			g.UpdatedAt = s.now()
			if err := tx.SaveGuide(ctx, g, version); err != nil {
				return err
			}
			n++
			if err := tx.Emit(ctx, "guide.published", guideEvent(g), s.now()); err != nil {
				return err
			}
			return s.changed(ctx, tx)
		})
		if err != nil {
			return n, fmt.Errorf("guide: publish due: %w", err)
		}
		if done {
			break
		}
		s.afterChange()
	}
	return n, nil
}

// Revisions lists a guide's revisions, newest first.
func (s *Service) Revisions(ctx context.Context, guideID string) ([]*Revision, error) {
	if _, err := s.Guide(ctx, guideID); err != nil {
		return nil, err
	}
	return s.store.ListRevisions(ctx, guideID)
}

// RevisionInput returns one revision in editor form.
func (s *Service) RevisionInput(ctx context.Context, guideID string, number int) (*Revision, *Input, error) {
	if _, err := s.Guide(ctx, guideID); err != nil {
		return nil, nil, err
	}
	rev, err := s.store.FindRevision(ctx, guideID, number)
	if err != nil {
		return nil, nil, err
	}
	in, err := s.toInput(ctx, &rev.Document)
	return rev, in, err
}

// Restore makes an old revision the draft again, as a new revision: history
// is never rewritten. The old content is validated again, since what it
// refers to may have changed.
func (s *Service) Restore(ctx context.Context, actor, guideID string, number, version int) (*Draft, error) {
	_, in, err := s.RevisionInput(ctx, guideID, number)
	if err != nil {
		return nil, err
	}
	var out *Draft
	err = s.store.InTx(ctx, func(tx Store) error {
		g, err := s.lockGuide(ctx, tx, guideID)
		if err != nil {
			return err
		}
		if g.Version != version {
			return versionConflict(g.Version)
		}
		doc, err := s.resolve(ctx, tx, g.ID, *in)
		if err != nil {
			return err
		}
		out, err = s.saveDraft(ctx, tx, g, doc, actor, fmt.Sprintf("restored from %d", number))
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.withInput(ctx, out)
}

func samePtr(a, b *string) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// guideEvent is the data of a guide's webhook events.
func guideEvent(g *Guide) map[string]any {
	return map[string]any{"id": g.ID, "slug": g.Slug, "title": g.Title, "status": g.Status, "published_at": g.PublishedAt}
}
