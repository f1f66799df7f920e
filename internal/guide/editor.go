package guide

import (
	"context"
	"fmt"
	"time"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/id"
)

// AdminFilter selects guides for the editors' list. Pointer fields are optional.
type AdminFilter struct {
	Status       *Status
	CategoryID   *string
	TechnologyID *string
	Query        string // substring of title or summary
	AfterID      string
	Limit        int
}

// Draft is a guide with its current draft content, in editor form.
type Draft struct {
	Guide    *Guide
	Input    *Input
	Revision int
}

// CreateGuide stores a new draft guide and its first revision.
func (s *Service) CreateGuide(ctx context.Context, actor string, in Input) (*Draft, error) {
	var out *Draft
	err := s.store.InTx(ctx, func(tx Store) error {
		doc, err := s.resolve(ctx, tx, "", in)
		if err != nil {
			return err
		}
		now := s.now()
		revID := id.New()
		g := &Guide{ID: id.New(), Status: StatusDraft, Version: 1, AuthorID: optional(actor), CreatedAt: now, DraftRevisionID: &revID}
		mirror(g, doc, actor, now)
		if err := tx.CreateGuide(ctx, g); err != nil {
			return slugTaken(err)
		}
		rev, err := s.addRevision(ctx, tx, g, revID, doc, actor, "created")
		if err != nil {
			return err
		}
		out = &Draft{Guide: g, Revision: rev.Number}
		return tx.SetReferences(ctx, g.ID, false, doc.technologyIDs(), doc.Related)
	})
	if err != nil {
		return nil, err
	}
	return s.withInput(ctx, out)
}

// UpdateGuide saves a new draft if the guide is still at version; a stale
// version is a Conflict carrying the current one. The public keeps seeing
// the published snapshot until the guide is published again.
func (s *Service) UpdateGuide(ctx context.Context, actor, guideID string, in Input, version int) (*Draft, error) {
	var out *Draft
	err := s.store.InTx(ctx, func(tx Store) error {
		g, err := s.lockGuide(ctx, tx, guideID)
		if err != nil {
			return err
		}
		if g.Version != version {
			return versionConflict(g.Version)
		}
		doc, err := s.resolve(ctx, tx, g.ID, in)
		if err != nil {
			return err
		}
		out, err = s.saveDraft(ctx, tx, g, doc, actor, "saved")
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.withInput(ctx, out)
}

func (s *Service) saveDraft(ctx context.Context, tx Store, g *Guide, doc *Document, actor, action string) (*Draft, error) {
	rev, err := s.addRevision(ctx, tx, g, id.New(), doc, actor, action)
	if err != nil {
		return nil, err
	}
	version := g.Version
	mirror(g, doc, actor, s.now())
	g.DraftRevisionID = &rev.ID
	if err := tx.SaveGuide(ctx, g, version); err != nil {
		return nil, slugTaken(err)
	}
	if err := tx.SetReferences(ctx, g.ID, false, doc.technologyIDs(), doc.Related); err != nil {
		return nil, err
	}
	return &Draft{Guide: g, Revision: rev.Number}, nil
}

func (s *Service) addRevision(ctx context.Context, tx Store, g *Guide, revID string, doc *Document, actor, action string) (*Revision, error) {
	n, err := tx.LastRevisionNumber(ctx, g.ID)
	if err != nil {
		return nil, err
	}
	rev := &Revision{ID: revID, GuideID: g.ID, Number: n + 1, Action: action, Document: *doc, AuthorID: optional(actor), CreatedAt: s.now()}
	if err := tx.CreateRevision(ctx, rev); err != nil {
		return nil, fmt.Errorf("guide: add revision: %w", err)
	}
	return rev, nil
}

// mirror copies the draft's list columns onto the guide row.
func mirror(g *Guide, doc *Document, actor string, now time.Time) {
	g.Slug, g.Title, g.Summary, g.CategoryID = doc.Slug, doc.Title, doc.Summary, doc.CategoryID
	g.LastEditorID, g.UpdatedAt = optional(actor), now
}

// DeleteGuide removes a guide no other guide links to.
func (s *Service) DeleteGuide(ctx context.Context, guideID string) error {
	var wasPublic bool
	err := s.store.InTx(ctx, func(tx Store) error {
		g, err := s.lockGuide(ctx, tx, guideID)
		if err != nil {
			return err
		}
		linking, err := tx.LinkingGuides(ctx, g.ID)
		if err != nil {
			return err
		}
		if len(linking) > 0 {
			e := apperr.New(apperr.Conflict, "%d guide(s) link to this guide; remove those links first", len(linking))
			refs := make([]map[string]string, 0, len(linking))
			for _, l := range linking {
				refs = append(refs, map[string]string{"id": l.ID, "slug": l.Slug, "title": l.Title})
			}
			e.Extra = map[string]any{"linked_from": refs}
			return e
		}
		wasPublic = g.PublishedRevisionID != nil
		if err := tx.DeleteGuide(ctx, g.ID); err != nil {
			return err
		}
		if err := tx.Emit(ctx, "guide.deleted", guideEvent(g), s.now()); err != nil {
			return err
		}
		if wasPublic {
			return s.changed(ctx, tx)
		}
		return nil
	})
	if err == nil && wasPublic {
		s.afterChange()
	}
	return err
}

// Guide returns a guide with its draft in editor form.
func (s *Service) Guide(ctx context.Context, guideID string) (*Draft, error) {
	if !id.Valid(guideID) {
		return nil, apperr.New(apperr.NotFound, "no such guide")
	}
	g, err := s.store.FindGuide(ctx, guideID)
	if err != nil {
		return nil, err
	}
	return s.withInput(ctx, &Draft{Guide: g})
}

func (s *Service) withInput(ctx context.Context, d *Draft) (*Draft, error) {
	if d.Guide.DraftRevisionID == nil {
		return nil, fmt.Errorf("guide: %s has no draft revision", d.Guide.ID)
	}
	rev, err := s.store.FindRevisionByID(ctx, *d.Guide.DraftRevisionID)
	if err != nil {
		return nil, err
	}
	in, err := s.toInput(ctx, &rev.Document)
	if err != nil {
		return nil, err
	}
	d.Input, d.Revision = in, rev.Number
	return d, nil
}

// Guides lists guides for editors, in ID (creation) order.
func (s *Service) Guides(ctx context.Context, f AdminFilter) ([]*Guide, error) {
	return s.store.ListGuides(ctx, f)
}

// CountGuides counts the guides f selects, paging ignored.
func (s *Service) CountGuides(ctx context.Context, f AdminFilter) (int, error) {
	f.AfterID, f.Limit = "", 0
	return s.store.CountGuides(ctx, f)
}

func (s *Service) lockGuide(ctx context.Context, tx Store, guideID string) (*Guide, error) {
	if !id.Valid(guideID) {
		return nil, apperr.New(apperr.NotFound, "no such guide")
	}
	return tx.FindGuideForUpdate(ctx, guideID)
}

func versionConflict(current int) error {
	e := apperr.New(apperr.Conflict, "the guide was changed by someone else since you loaded it; reload to see their changes")
	e.Extra = map[string]any{"current_version": current}
	return e
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
