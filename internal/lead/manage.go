package lead

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/id"
)

var errNoLead = apperr.New(apperr.NotFound, "no such lead")

// List returns leads the viewer may see, in ID (creation) order.
func (s *Service) List(ctx context.Context, v Viewer, f Filter) ([]*Lead, error) {
	if !v.Admin {
		f.OwnerID = &v.UserID
	}
	return s.store.ListLeads(ctx, f)
}

// Count counts the leads f selects that v may see, paging ignored.
func (s *Service) Count(ctx context.Context, v Viewer, f Filter) (int, error) {
	if !v.Admin {
		f.OwnerID = &v.UserID
	}
	f.AfterID, f.Limit = "", 0
	return s.store.CountLeads(ctx, f)
}

// Get returns a lead and its notes. A consultant asking for another's lead
// is told it does not exist, which reveals nothing.
func (s *Service) Get(ctx context.Context, v Viewer, leadID string) (*Lead, []*Note, error) {
	l, err := s.visible(ctx, s.store, v, leadID, false)
	if err != nil {
		return nil, nil, err
	}
	notes, err := s.store.ListNotes(ctx, l.ID)
	return l, notes, err
}

func (s *Service) visible(ctx context.Context, st Store, v Viewer, leadID string, lock bool) (*Lead, error) {
	if !id.Valid(leadID) {
		return nil, errNoLead
	}
	find := st.FindLead
	if lock {
		find = st.FindLeadForUpdate
	}
	l, err := find(ctx, leadID)
	if apperr.IsKind(err, apperr.NotFound) {
		return nil, errNoLead
	} else if err != nil {
		return nil, err
	}
	if !v.Admin && (l.OwnerID == nil || *l.OwnerID != v.UserID) {
		return nil, errNoLead
	}
	return l, nil
}

// ChangeStatus moves a lead along the funnel.
func (s *Service) ChangeStatus(ctx context.Context, v Viewer, leadID string, next Status) (*Lead, error) {
	if !next.Valid() {
		return nil, apperr.Fields{{Field: "status", Code: "invalid", Message: "must be new, contacted, qualified, won, lost or spam"}}.Err()
	}
	return s.update(ctx, v, leadID, func(tx Store, l *Lead, now time.Time) error {
		if l.ErasedAt != nil {
			return apperr.New(apperr.Conflict, "the lead was erased")
		}
		if !l.Status.CanBecome(next) {
			return apperr.New(apperr.Conflict, "a %s lead cannot become %s", l.Status, next)
		}
		previous := l.Status
		l.Status = next
		if next.Closed() {
			l.ClosedAt = &now
		}
		return tx.Emit(ctx, "lead.status_changed", leadEvent(l, previous), now)
	})
}

// Reassign gives a lead to another active consultant.
func (s *Service) Reassign(ctx context.Context, v Viewer, leadID, ownerID string) (*Lead, error) {
	if !id.Valid(ownerID) {
		return nil, apperr.Fields{{Field: "owner_id", Code: "unknown", Message: "no such consultant"}}.Err()
	}
	return s.update(ctx, v, leadID, func(tx Store, l *Lead, _ time.Time) error {
		c, err := tx.FindConsultant(ctx, ownerID)
		if apperr.IsKind(err, apperr.NotFound) || (err == nil && !c.Active) {
			return apperr.Fields{{Field: "owner_id", Code: "unknown", Message: "no such active consultant"}}.Err()
		} else if err != nil {
			return err
		}
		l.OwnerID = &c.UserID
		return nil
	})
}

func (s *Service) update(ctx context.Context, v Viewer, leadID string, change func(Store, *Lead, time.Time) error) (*Lead, error) {
	var out *Lead
	err := s.store.InTx(ctx, func(tx Store) error {
		l, err := s.visible(ctx, tx, v, leadID, true)
		if err != nil {
			return err
		}
		now := s.now()
		if err := change(tx, l, now); err != nil {
			return err
		}
		l.UpdatedAt = now
		out = l
		return tx.UpdateLead(ctx, l)
	})
	return out, err
}

// AddNote records a consultant's note on a lead.
func (s *Service) AddNote(ctx context.Context, v Viewer, leadID, body string) (*Note, error) {
	var f apperr.Fields
	block(&f, "body", body, true, 5000)
	if err := f.Err(); err != nil {
		return nil, err
	}
	l, err := s.visible(ctx, s.store, v, leadID, false)
	if err != nil {
		return nil, err
	}
	if l.ErasedAt != nil {
		return nil, apperr.New(apperr.Conflict, "the lead was erased")
	}
	n := &Note{ID: id.New(), LeadID: l.ID, AuthorID: &v.UserID, Body: body, CreatedAt: s.now()}
	return n, s.store.AddNote(ctx, n)
}

// Erase removes a lead's personal data on request, keeping the record of
// its existence, its status, and an audit entry of who erased it. Unsent
// emails about it are dropped.
func (s *Service) Erase(ctx context.Context, actorID *string, leadID, reason string) error {
	if !id.Valid(leadID) {
		return errNoLead
	}
	return s.store.InTx(ctx, func(tx Store) error {
		l, err := tx.FindLeadForUpdate(ctx, leadID)
		if err != nil {
			return err
		}
		if l.ErasedAt != nil {
			return nil
		}
		now := s.now()
		redact(l, now)
		if err := tx.UpdateLead(ctx, l); err != nil {
			return err
		}
		if err := tx.DeleteNotes(ctx, l.ID); err != nil {
			return err
		}
		if err := tx.DropPendingMail(ctx, l.ID); err != nil {
			return err
		}
		return tx.Audit(ctx, actorID, "lead.erased", "lead", l.ID, fmt.Sprintf("reference %s; %s", l.Reference, reason), now)
	})
}

func redact(l *Lead, now time.Time) {
	l.Name, l.Email, l.Company, l.Role, l.Project = "[erased]", "", "", "", ""
	l.Answers, l.PreferredTechnologies, l.UTM, l.Recommendation = []Answer{}, []string{}, UTM{}, nil
	l.Referrer, l.IP, l.UserAgent, l.IdempotencyKey = "", "", "", nil
	l.ErasedAt, l.UpdatedAt = &now, now
}

// EraseExpired erases closed and spam leads untouched for longer than
// retention, and reports how many.
func (s *Service) EraseExpired(ctx context.Context, retention time.Duration) (int, error) {
	n := 0
	for {
		ids, err := s.store.ExpiredLeads(ctx, s.now().Add(-retention), 100)
		if err != nil || len(ids) == 0 {
			return n, err
		}
		for _, leadID := range ids {
			if err := s.Erase(ctx, nil, leadID, "retention period ended"); err != nil {
				return n, err
			}
			n++
		}
	}
}

// ConsultantInput is an admin's setting of a consultant's expertise.
type ConsultantInput struct {
	Active       bool
	Technologies []string // slugs
	Categories   []string // slugs
}

// SetConsultant saves a consultant's routing profile.
func (s *Service) SetConsultant(ctx context.Context, userID string, in ConsultantInput) (*Consultant, error) {
	c, err := s.Consultant(ctx, userID)
	if err != nil {
		return nil, err
	}
	var f apperr.Fields
	techs, err := s.catalog.TechnologyIDs(ctx, in.Technologies)
	if err != nil {
		return nil, err
	}
	cats, err := s.catalog.CategoryIDs(ctx, in.Categories)
	if err != nil {
		return nil, err
	}
	c.Active, c.TechnologyIDs, c.CategoryIDs = in.Active, nil, nil
	for i, slug := range in.Technologies {
		if techs[slug] == "" {
			f.Add(fmt.Sprintf("technologies[%d]", i), "unknown", "no such technology")
		} else {
			c.TechnologyIDs = append(c.TechnologyIDs, techs[slug])
		}
	}
	for i, slug := range in.Categories {
		if cats[slug] == "" {
			f.Add(fmt.Sprintf("categories[%d]", i), "unknown", "no such category")
		} else {
			c.CategoryIDs = append(c.CategoryIDs, cats[slug])
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	return c, s.store.SaveConsultant(ctx, c, s.now())
}

// Consultant returns a consultant's routing profile (inactive and empty
// until an admin sets it).
func (s *Service) Consultant(ctx context.Context, userID string) (*Consultant, error) {
	if !id.Valid(userID) {
		return nil, apperr.New(apperr.NotFound, "no such consultant")
	}
	c, err := s.store.FindConsultant(ctx, userID)
	if apperr.IsKind(err, apperr.NotFound) {
		return nil, apperr.New(apperr.NotFound, "no such consultant: the user must exist and have the consultant role")
	}
	return c, err
}

// CSVHeader and CSVRow define the export format.
var CSVHeader = []string{"reference", "created_at", "status", "name", "email", "company", "role", "guide", "owner_id",
	"request_volume", "team_language", "timeline", "budget", "preferred_technologies", "project", "answers", "recommendation"}

// CSVRow renders one lead for export.
func CSVRow(l *Lead) []string {
	owner := ""
	if l.OwnerID != nil {
		owner = *l.OwnerID
	}
	var answers []string
	for _, a := range l.Answers {
		answers = append(answers, a.Question+": "+a.Answer)
	}
	row := []string{l.Reference, l.CreatedAt.Format(time.RFC3339), string(l.Status), l.Name, l.Email, l.Company, l.Role,
		l.GuideSlug, owner, l.RequestVolume, l.TeamLanguage, l.Timeline, l.Budget,
		strings.Join(l.PreferredTechnologies, " "), l.Project, strings.Join(answers, " | "), leaning(l)}
	for i, cell := range row {
		row[i] = safeCell(cell)
	}
	return row
}

func leaning(l *Lead) string {
	if l.Recommendation == nil {
		return ""
	}
	return l.Recommendation.Leaning
}

// safeCell defuses spreadsheet formulas: prospects write these fields, and a
// cell starting with = + - @ would run as a formula when the export is opened.
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// leadEvent is the data of a lead's webhook events. It names the lead and
// its state but carries no personal data: receivers that need it ask the API.
func leadEvent(l *Lead, previous Status) map[string]any {
	e := map[string]any{"id": l.ID, "reference": l.Reference, "guide": l.GuideSlug, "status": l.Status,
		"owner_id": l.OwnerID, "created_at": l.CreatedAt}
	if l.Recommendation != nil {
		e["leaning"] = l.Recommendation.Leaning
	}
	if previous != "" {
		e["previous_status"] = previous
	}
	return e
}
