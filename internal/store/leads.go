package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/verdict-cms/verdict/internal/id"
	"github.com/verdict-cms/verdict/internal/lead"
	"github.com/verdict-cms/verdict/models"
)

// LeadStore is the lead.Store on GORM.
type LeadStore struct {
	*Store
	// MaxAttempts is how often an outbox message is tried before it fails.
	MaxAttempts int
}

var _ lead.Store = LeadStore{}

// InTx implements lead.Store.
func (s LeadStore) InTx(ctx context.Context, fn func(lead.Store) error) error {
	return s.inTx(ctx, func(tx *Store) error { return fn(LeadStore{Store: tx, MaxAttempts: s.MaxAttempts}) })
}

// CreateLead implements lead.Store.
func (s LeadStore) CreateLead(ctx context.Context, l *lead.Lead) error {
	row, err := toLeadRow(l)
	if err != nil {
		return err
	}
	return dbError("create lead", s.db.WithContext(ctx).Create(&row).Error)
}

// FindLead implements lead.Store.
func (s LeadStore) FindLead(ctx context.Context, leadID string) (*lead.Lead, error) {
	return s.findLead(ctx, s.db.WithContext(ctx).Where("id = ?", leadID))
}

// FindLeadForUpdate implements lead.Store.
func (s LeadStore) FindLeadForUpdate(ctx context.Context, leadID string) (*lead.Lead, error) {
	return s.findLead(ctx, s.forUpdate(s.db.WithContext(ctx)).Where("id = ?", leadID))
}

// FindLeadByIdempotencyKey implements lead.Store.
func (s LeadStore) FindLeadByIdempotencyKey(ctx context.Context, key string) (*lead.Lead, error) {
	return s.findLead(ctx, s.db.WithContext(ctx).Where("idempotency_key = ?", key))
}

func (s LeadStore) findLead(_ context.Context, q *gorm.DB) (*lead.Lead, error) {
	var r models.Lead
	if err := q.Take(&r).Error; err != nil {
		return nil, notFound(err, "lead")
	}
	return toLead(r)
}

// UpdateLead implements lead.Store.
func (s LeadStore) UpdateLead(ctx context.Context, l *lead.Lead) error {
	row, err := toLeadRow(l)
	if err != nil {
		return err
	}
	res := s.db.WithContext(ctx).Model(&models.Lead{}).Where("id = ?", l.ID).Select("*").Omit("id", "created_at").Updates(&row)
	return mustAffect(res, "update lead", "lead")
}

// ListLeads implements lead.Store.
func (s LeadStore) ListLeads(ctx context.Context, f lead.Filter) ([]*lead.Lead, error) {
	q := s.filterLeads(ctx, f).Order("id").Limit(f.Limit)
	if f.AfterID != "" {
		q = q.Where("id > ?", f.AfterID)
	}
	var rows []models.Lead
	if err := q.Find(&rows).Error; err != nil {
		return nil, dbError("list leads", err)
	}
	out := make([]*lead.Lead, 0, len(rows))
	for _, r := range rows {
		l, err := toLead(r)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, nil
}

// CountLeads implements lead.Store: the leads f selects, paging ignored.
func (s LeadStore) CountLeads(ctx context.Context, f lead.Filter) (int, error) {
	return countRows(s.filterLeads(ctx, f), "count leads")
}

// filterLeads is the query of a lead filter's conditions, shared by list and count.
func (s LeadStore) filterLeads(ctx context.Context, f lead.Filter) *gorm.DB {
	q := s.db.WithContext(ctx).Model(&models.Lead{})
	if f.Status != nil {
		q = q.Where("status = ?", string(*f.Status))
	}
	if f.OwnerID != nil {
		q = q.Where("owner_id = ?", *f.OwnerID)
	}
	if f.GuideSlug != nil {
		q = q.Where("guide_slug = ?", *f.GuideSlug)
	}
	if f.From != nil {
		q = q.Where("created_at >= ?", f.From.UTC())
	}
	if f.To != nil {
		q = q.Where("created_at < ?", f.To.UTC())
	}
	if f.Query != "" {
		like := "%" + escapeLike(f.Query) + "%"
		q = q.Where(`(LOWER(name) LIKE LOWER(?) ESCAPE '\' OR LOWER(email) LIKE LOWER(?) ESCAPE '\'
			OR LOWER(company) LIKE LOWER(?) ESCAPE '\' OR LOWER(project) LIKE LOWER(?) ESCAPE '\' OR reference = ?)`,
			like, like, like, like, f.Query)
	}
	return q
}

// ExpiredLeads implements lead.Store: closed or spam, untouched since before.
func (s LeadStore) ExpiredLeads(ctx context.Context, before time.Time, limit int) ([]string, error) {
	var ids []string
	err := s.db.WithContext(ctx).Model(&models.Lead{}).
		Where("erased_at IS NULL AND status IN ? AND updated_at < ?", []string{"won", "lost", "spam"}, before.UTC()).
		Order("id").Limit(limit).Pluck("id", &ids).Error
	return ids, dbError("expired leads", err)
}

// AddNote implements lead.Store.
func (s LeadStore) AddNote(ctx context.Context, n *lead.Note) error {
	row := models.LeadNote{ID: n.ID, LeadID: n.LeadID, AuthorID: n.AuthorID, Body: n.Body, CreatedAt: n.CreatedAt.UTC()}
	return dbError("add note", s.db.WithContext(ctx).Create(&row).Error)
}

// ListNotes implements lead.Store.
func (s LeadStore) ListNotes(ctx context.Context, leadID string) ([]*lead.Note, error) {
	var rows []models.LeadNote
	if err := s.db.WithContext(ctx).Where("lead_id = ?", leadID).Order("created_at, id").Find(&rows).Error; err != nil {
		return nil, dbError("list notes", err)
	}
	out := make([]*lead.Note, 0, len(rows))
	for _, r := range rows {
		out = append(out, &lead.Note{ID: r.ID, LeadID: r.LeadID, AuthorID: r.AuthorID, Body: r.Body, CreatedAt: r.CreatedAt.UTC()})
	}
	return out, nil
}

// DeleteNotes implements lead.Store.
func (s LeadStore) DeleteNotes(ctx context.Context, leadID string) error {
	return dbError("delete notes", s.db.WithContext(ctx).Where("lead_id = ?", leadID).Delete(&models.LeadNote{}).Error)
}

// Enqueue implements lead.Store.
func (s LeadStore) Enqueue(ctx context.Context, kind, leadID string, payload []byte, at time.Time) error {
	return enqueue(ctx, s.Store, kind, leadID, payload, at, s.MaxAttempts)
}

// DropPendingMail implements lead.Store.
func (s LeadStore) DropPendingMail(ctx context.Context, leadID string) error {
	err := s.db.WithContext(ctx).Where("lead_id = ? AND kind = ? AND status <> ?", leadID, lead.KindMail, "sent").
		Delete(&models.OutboxMessage{}).Error
	if err != nil {
		return dbError("drop pending mail", err)
	}
	// Sent mail keeps its row for the record, without the personal data.
	err = s.db.WithContext(ctx).Model(&models.OutboxMessage{}).Where("lead_id = ? AND kind = ?", leadID, lead.KindMail).
		Update("payload", `{"to":[],"subject":"[erased]","text":"","html":""}`).Error
	return dbError("redact sent mail", err)
}

type consultantRow struct {
	ID             string
	Email          string
	Name           string
	Active         *bool
	LastAssignedAt *time.Time
}

// MatchingConsultants implements lead.Store: active consultants whose
// expertise covers a technology or the category, longest idle first.
func (s LeadStore) MatchingConsultants(ctx context.Context, techIDs []string, categoryID string) ([]*lead.Consultant, error) {
	if len(techIDs) == 0 && categoryID == "" {
		return nil, nil
	}
	// Only the conditions that have values: an empty ID is not a valid
	// uuid on PostgreSQL.
	var (
		conds []string
		args  []any
	)
	if len(techIDs) > 0 {
		conds, args = append(conds, "EXISTS (SELECT 1 FROM consultant_technologies ct WHERE ct.user_id = u.id AND ct.technology_id IN ?)"), append(args, techIDs)
	}
	if categoryID != "" {
		conds, args = append(conds, "EXISTS (SELECT 1 FROM consultant_categories cc WHERE cc.user_id = u.id AND cc.category_id = ?)"), append(args, categoryID)
	}
	var rows []consultantRow
	err := s.db.WithContext(ctx).Table("users u").Joins("JOIN consultant_profiles p ON p.user_id = u.id").
		Select("u.id, u.email, u.name, p.active, p.last_assigned_at").
		Where("u.role = ? AND u.disabled_at IS NULL AND p.active = ?", "consultant", true).
		Where("("+strings.Join(conds, " OR ")+")", args...).
		Order("p.last_assigned_at IS NOT NULL, p.last_assigned_at, u.id").Scan(&rows).Error
	if err != nil {
		return nil, dbError("matching consultants", err)
	}
	out := make([]*lead.Consultant, 0, len(rows))
	for _, r := range rows {
		out = append(out, &lead.Consultant{UserID: r.ID, Email: r.Email, Name: r.Name, Active: true, LastAssignedAt: utcPtr(r.LastAssignedAt)})
	}
	return out, nil
}

// FindConsultant implements lead.Store: any user with the consultant role,
// with an empty inactive profile until one is saved.
func (s LeadStore) FindConsultant(ctx context.Context, userID string) (*lead.Consultant, error) {
	var r consultantRow
	err := s.db.WithContext(ctx).Table("users u").Joins("LEFT JOIN consultant_profiles p ON p.user_id = u.id").
		Select("u.id, u.email, u.name, p.active, p.last_assigned_at").
		Where("u.id = ? AND u.role = ? AND u.disabled_at IS NULL", userID, "consultant").Take(&r).Error
	if err != nil {
		return nil, notFound(err, "consultant")
	}
	c := &lead.Consultant{UserID: r.ID, Email: r.Email, Name: r.Name, Active: r.Active != nil && *r.Active, LastAssignedAt: utcPtr(r.LastAssignedAt)}
	db := s.db.WithContext(ctx)
	if err := db.Model(&models.ConsultantTechnology{}).Where("user_id = ?", userID).Order("technology_id").Pluck("technology_id", &c.TechnologyIDs).Error; err != nil {
		return nil, dbError("consultant technologies", err)
	}
	if err := db.Model(&models.ConsultantCategory{}).Where("user_id = ?", userID).Order("category_id").Pluck("category_id", &c.CategoryIDs).Error; err != nil {
		return nil, dbError("consultant categories", err)
	}
	return c, nil
}

// SaveConsultant implements lead.Store.
func (s LeadStore) SaveConsultant(ctx context.Context, c *lead.Consultant, at time.Time) error {
	return s.inTx(ctx, func(tx *Store) error {
		db := tx.db.WithContext(ctx)
		err := db.Exec(`INSERT INTO consultant_profiles (user_id, active, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (user_id) DO UPDATE SET active = excluded.active, updated_at = excluded.updated_at`, c.UserID, c.Active, at.UTC()).Error
		if err != nil {
			return dbError("save consultant", err)
		}
		if err := db.Where("user_id = ?", c.UserID).Delete(&models.ConsultantTechnology{}).Error; err != nil {
			return dbError("clear consultant technologies", err)
		}
		if err := db.Where("user_id = ?", c.UserID).Delete(&models.ConsultantCategory{}).Error; err != nil {
			return dbError("clear consultant categories", err)
		}
		for _, t := range dedupe(c.TechnologyIDs) {
			if err := db.Create(&models.ConsultantTechnology{UserID: c.UserID, TechnologyID: t}).Error; err != nil {
				return dbError("add consultant technology", err)
			}
		}
		for _, cat := range dedupe(c.CategoryIDs) {
			if err := db.Create(&models.ConsultantCategory{UserID: c.UserID, CategoryID: cat}).Error; err != nil {
				return dbError("add consultant category", err)
			}
		}
		return nil
	})
}

// MarkAssigned records when a consultant was last given a lead.
func (s LeadStore) MarkAssigned(ctx context.Context, userID string, at time.Time) error {
	err := s.db.WithContext(ctx).Model(&models.ConsultantProfile{}).Where("user_id = ?", userID).Update("last_assigned_at", at.UTC()).Error
	return dbError("mark assigned", err)
}

// Emit implements lead.Store.
func (s LeadStore) Emit(ctx context.Context, eventType string, data any, at time.Time) error {
	return emit(ctx, s.Store, eventType, data, at)
}

// Audit implements lead.Store.
func (s LeadStore) Audit(ctx context.Context, actorID *string, action, subjectType, subjectID, detail string, at time.Time) error {
	row := models.AuditEntry{ID: id.New(), ActorID: actorID, Action: action, SubjectType: subjectType, SubjectID: subjectID, Detail: detail, CreatedAt: at.UTC()}
	return dbError("audit", s.db.WithContext(ctx).Create(&row).Error)
}

func dedupe(ids []string) []string {
	seen := map[string]bool{}
	out := ids[:0:0]
	for _, x := range ids {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func toLeadRow(l *lead.Lead) (models.Lead, error) {
	answers, techs, utm, rec := leadJSON(l)
	return models.Lead{
		ID: l.ID, Reference: l.Reference, Status: string(l.Status), Name: l.Name, Email: l.Email, Company: l.Company,
		Role: l.Role, Project: l.Project, GuideID: l.GuideID, GuideSlug: l.GuideSlug, GuideTitle: l.GuideTitle,
		Answers: answers, PreferredTechnologies: techs, RequestVolume: l.RequestVolume,
		TeamLanguage: l.TeamLanguage, Timeline: l.Timeline, Budget: l.Budget, ConsentedAt: utcPtr(l.ConsentedAt),
		Referrer: l.Referrer, UTM: utm, IP: l.IP, UserAgent: l.UserAgent, OwnerID: l.OwnerID,
		IdempotencyKey: l.IdempotencyKey, RequestHash: l.RequestHash, CreatedAt: l.CreatedAt.UTC(), UpdatedAt: l.UpdatedAt.UTC(),
		ClosedAt: utcPtr(l.ClosedAt), ErasedAt: utcPtr(l.ErasedAt), Recommendation: rec, Recommended: l.Recommendation.Top(),
		Locale: l.Locale,
	}, nil
}

func toLead(r models.Lead) (*lead.Lead, error) {
	l := &lead.Lead{
		ID: r.ID, Reference: r.Reference, Status: lead.Status(r.Status), Name: r.Name, Email: r.Email, Company: r.Company,
		Role: r.Role, Project: r.Project, GuideID: r.GuideID, GuideSlug: r.GuideSlug, GuideTitle: r.GuideTitle,
		RequestVolume: r.RequestVolume, TeamLanguage: r.TeamLanguage, Timeline: r.Timeline, Budget: r.Budget,
		ConsentedAt: utcPtr(r.ConsentedAt), Referrer: r.Referrer, IP: r.IP, UserAgent: r.UserAgent, OwnerID: r.OwnerID,
		IdempotencyKey: r.IdempotencyKey, RequestHash: r.RequestHash, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
		ClosedAt: utcPtr(r.ClosedAt), ErasedAt: utcPtr(r.ErasedAt), Locale: r.Locale,
	}
	if err := json.Unmarshal([]byte(r.Answers), &l.Answers); err != nil {
		return nil, fmt.Errorf("store: decode lead %s answers: %w", r.ID, err)
	}
	if err := json.Unmarshal([]byte(r.PreferredTechnologies), &l.PreferredTechnologies); err != nil {
		return nil, fmt.Errorf("store: decode lead %s technologies: %w", r.ID, err)
	}
	if err := json.Unmarshal([]byte(r.UTM), &l.UTM); err != nil {
		return nil, fmt.Errorf("store: decode lead %s utm: %w", r.ID, err)
	}
	if r.Recommendation != "" {
		if err := json.Unmarshal([]byte(r.Recommendation), &l.Recommendation); err != nil {
			return nil, fmt.Errorf("store: decode lead %s recommendation: %w", r.ID, err)
		}
	}
	return l, nil
}

// countRows counts what q selects.
func countRows(q *gorm.DB, what string) (int, error) {
	var n int64
	if err := q.Count(&n).Error; err != nil {
		return 0, dbError(what, err)
	}
	return int(n), nil
}
