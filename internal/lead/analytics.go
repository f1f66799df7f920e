package lead

import (
	"context"
	"time"
)

// AnalyticsFilter narrows the analytics. Pointer fields are optional.
type AnalyticsFilter struct {
	GuideSlug *string
	From, To  *time.Time
	OwnerID   *string // set for consultants: their own leads only
}

// Analytics are aggregates over leads, computed by the database.
type Analytics struct {
	LeadsPerWeek []WeekCount   // spam excluded; weeks start on Monday (UTC)
	Answers      []AnswerCount // chosen choices per question
	Recommended  []OptionCount // the top option (or "tie") at submission
	Funnel       []StatusCount // leads per status
}

// WeekCount is the number of leads a guide brought in one week.
type WeekCount struct {
	Guide string
	Week  string // the week's Monday, YYYY-MM-DD
	Count int
}

// AnswerCount is how often a choice was chosen.
type AnswerCount struct {
	Guide, QuestionID, ChoiceID string
	Count                       int
}

// OptionCount is how often an option came out on top.
type OptionCount struct {
	Guide, Option string
	Count         int
}

// StatusCount is how many of a guide's leads are at a status.
type StatusCount struct {
	Guide, Status string
	Count         int
}

// AnalyticsStore computes the aggregates.
type AnalyticsStore interface {
	Analytics(ctx context.Context, f AnalyticsFilter) (*Analytics, error)
}

// Analytics returns the aggregates the viewer may see: consultants' are
// over their own leads.
func (s *Service) Analytics(ctx context.Context, v Viewer, f AnalyticsFilter) (*Analytics, error) {
	if !v.Admin {
		f.OwnerID = &v.UserID
	}
	return s.analytics.Analytics(ctx, f)
}
