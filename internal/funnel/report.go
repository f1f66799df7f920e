package funnel

import (
	"context"
	"time"

	"github.com/verdict-cms/verdict/internal/apperr"
)

// Filter narrows a report. From and To are UTC days, both included.
type Filter struct {
	From, To  string
	GuideSlug *string
	Locale    *string
	// OwnerID, when set, counts only that consultant's leads.
	OwnerID *string
}

// MaxRangeDays bounds a report's date range.
const MaxRangeDays = 800

// GuideReport is one guide's funnel over the range.
type GuideReport struct {
	GuideID, Slug, Title string
	Counts
	LeadsWon  int64
	Referrers []SourceCount // top hosts by views
	Sources   []SourceCount // top utm_source values
	Campaigns []SourceCount // top utm_campaign values
	Daily     []DayCounts   // days with any count, in order
}

// SourceCount is the views one referrer, source or campaign brought.
type SourceCount struct {
	Value string
	Views int64
}

// DayCounts is one day of a guide's funnel.
type DayCounts struct {
	Day string
	Counts
	LeadsWon int64
}

// ReportStore reads counters. Leads and LeadsWon come from the leads
// themselves when the filter has an OwnerID; otherwise Leads is the
// counter written at intake and LeadsWon counts won leads created in range.
type ReportStore interface {
	Report(ctx context.Context, f Filter) ([]GuideReport, error)
}

// Role is what a viewer may see of the funnel.
type Role int

// Roles: admins see everything, editors the content metrics only,
// consultants the content metrics and their own leads.
const (
	RoleAdmin Role = iota
	RoleEditor
	RoleConsultant
)

// Viewer is who asks for a report.
type Viewer struct {
	UserID string
	Role   Role
}

// ShowsLeads reports whether the viewer sees lead counts.
func (v Viewer) ShowsLeads() bool { return v.Role != RoleEditor }

// Report returns the funnel the viewer may see.
func Report(ctx context.Context, s ReportStore, v Viewer, f Filter) ([]GuideReport, error) {
	from, err1 := time.Parse(time.DateOnly, f.From)
	to, err2 := time.Parse(time.DateOnly, f.To)
	var fe apperr.Fields
	if err1 != nil {
		fe.Add("from", "invalid", "must be a date like 2026-11-24")
	}
	if err2 != nil {
		fe.Add("to", "invalid", "must be a date like 2026-11-24")
	}
	if err1 == nil && err2 == nil {
		switch {
		case to.Before(from):
			fe.Add("to", "before_from", "must not be before from")
		case to.Sub(from) > MaxRangeDays*24*time.Hour:
			fe.Add("to", "too_far", "the range is at most 800 days")
		}
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	if v.Role == RoleConsultant {
		f.OwnerID = &v.UserID
	}
	rs, err := s.Report(ctx, f)
	if err != nil {
		return nil, err
	}
	if !v.ShowsLeads() {
		for i := range rs {
			rs[i].Leads, rs[i].LeadsWon = 0, 0
			for j := range rs[i].Daily {
				rs[i].Daily[j].Leads, rs[i].Daily[j].LeadsWon = 0, 0
			}
		}
	}
	return rs, nil
}

// Rate is part/whole, or nil when whole is zero.
func Rate(part, whole int64) *float64 {
	if whole == 0 {
		return nil
	}
	r := float64(part) / float64(whole)
	return &r
}
