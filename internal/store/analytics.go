package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/lead"
)

var _ lead.AnalyticsStore = LeadStore{}

// Per-dialect pieces: the Monday of a lead's week, and the unnesting of the
// answers' chosen choice IDs from the JSON column.
var analyticsSQL = map[database.Dialect]struct{ week, answers string }{
	database.Postgres: {
		week: `to_char(date_trunc('week', l.created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD')`,
		answers: `SELECT l.guide_slug AS guide, a->>'question_id' AS question_id, c AS choice_id, count(*) AS count
			FROM leads l CROSS JOIN LATERAL jsonb_array_elements(l.answers) a
			CROSS JOIN LATERAL jsonb_array_elements_text(COALESCE(a->'choice_ids', '[]'::jsonb)) c`,
	},
	database.SQLite: {
		week: `date(l.created_at, 'weekday 0', '-6 days')`,
		answers: `SELECT l.guide_slug AS guide, json_extract(a.value, '$.question_id') AS question_id, c.value AS choice_id, count(*) AS count
			FROM leads l, json_each(l.answers) a, json_each(COALESCE(json_extract(a.value, '$.choice_ids'), '[]')) c`,
	},
}

// Analytics implements lead.AnalyticsStore: four grouped queries, each
// narrowed by the filter first (indexes on guide, status and creation).
func (s LeadStore) Analytics(ctx context.Context, f lead.AnalyticsFilter) (*lead.Analytics, error) {
	where, args := analyticsWhere(f)
	q := analyticsSQL[s.dialect]
	out := &lead.Analytics{}
	db := s.db.WithContext(ctx)
	queries := []struct {
		sql  string
		dest any
	}{
		{fmt.Sprintf("SELECT l.guide_slug AS guide, %s AS week, count(*) AS count FROM leads l WHERE %s AND l.status <> 'spam' GROUP BY 1, 2 ORDER BY 1, 2", q.week, where), &out.LeadsPerWeek},
		{fmt.Sprintf("%s WHERE %s AND l.status <> 'spam' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3", q.answers, where), &out.Answers},
		{fmt.Sprintf("SELECT l.guide_slug AS guide, l.recommended AS option, count(*) AS count FROM leads l WHERE %s AND l.recommended <> '' AND l.status <> 'spam' GROUP BY 1, 2 ORDER BY 1, 2", where), &out.Recommended},
		{fmt.Sprintf("SELECT l.guide_slug AS guide, l.status AS status, count(*) AS count FROM leads l WHERE %s GROUP BY 1, 2 ORDER BY 1, 2", where), &out.Funnel},
	}
	for _, qu := range queries {
		if err := db.Raw(qu.sql, args...).Scan(qu.dest).Error; err != nil {
			return nil, dbError("analytics", err)
		}
	}
	return out, nil
}

func analyticsWhere(f lead.AnalyticsFilter) (string, []any) {
	conds, args := []string{"l.erased_at IS NULL"}, []any{}
	if f.GuideSlug != nil {
		conds, args = append(conds, "l.guide_slug = ?"), append(args, *f.GuideSlug)
	}
	if f.From != nil {
		conds, args = append(conds, "l.created_at >= ?"), append(args, f.From.UTC())
	}
	if f.To != nil {
		conds, args = append(conds, "l.created_at < ?"), append(args, f.To.UTC())
	}
	if f.OwnerID != nil {
		conds, args = append(conds, "l.owner_id = ?"), append(args, *f.OwnerID)
	}
	return strings.Join(conds, " AND "), args
}
