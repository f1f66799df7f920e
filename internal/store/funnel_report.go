package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/verdict-cms/verdict/internal/funnel"
)

// topSources is how many referrers, sources and campaigns a report lists per guide.
const topSources = 10

// Report implements funnel.ReportStore with three grouped queries: counters
// per guide and day, views per source, and leads per guide and day.
func (s FunnelStore) Report(ctx context.Context, f funnel.Filter) ([]funnel.GuideReport, error) {
	db := s.db.WithContext(ctx)
	conds, args := []string{"d.day >= ?", "d.day <= ?"}, []any{f.From, f.To}
	if f.GuideSlug != nil {
		conds, args = append(conds, "g.slug = ?"), append(args, *f.GuideSlug)
	}
	if f.Locale != nil {
		conds, args = append(conds, "d.locale = ?"), append(args, *f.Locale)
	}
	where := strings.Join(conds, " AND ")
	var days []struct {
		GuideID, Slug, Title, Day                                          string
		Views, Uniques, ChecklistStarts, Recommendations, CtaClicks, Leads int64
	}
	err := db.Raw(`SELECT g.id AS guide_id, g.slug, g.title, d.day, sum(d.views) AS views, sum(d.uniques) AS uniques,
		sum(d.checklist_starts) AS checklist_starts, sum(d.recommendations) AS recommendations, sum(d.cta_clicks) AS cta_clicks, sum(d.leads) AS leads
		FROM funnel_days d JOIN guides g ON g.id = d.guide_id WHERE `+where+` GROUP BY g.id, g.slug, g.title, d.day ORDER BY g.slug, d.day`, args...).Scan(&days).Error
	if err != nil {
		return nil, dbError("funnel report", err)
	}
	byID := map[string]*funnel.GuideReport{}
	var order []string
	report := func(id, slug, title string) *funnel.GuideReport {
		r := byID[id]
		if r == nil {
			r = &funnel.GuideReport{GuideID: id, Slug: slug, Title: title, Referrers: []funnel.SourceCount{}, Sources: []funnel.SourceCount{}, Campaigns: []funnel.SourceCount{}}
			byID[id] = r
			order = append(order, id)
		}
		return r
	}
	for _, d := range days {
		r := report(d.GuideID, d.Slug, d.Title)
		c := funnel.Counts{Views: d.Views, Uniques: d.Uniques, ChecklistStarts: d.ChecklistStarts, Recommendations: d.Recommendations, CTAClicks: d.CtaClicks, Leads: d.Leads}
		c.Leads = 0 // leads are counted from the leads table below
		r.Daily = append(r.Daily, funnel.DayCounts{Day: d.Day, Counts: c})
	}
	if err := s.reportLeads(ctx, f, report); err != nil {
		return nil, err
	}
	var sources []struct {
		GuideID, Kind, Value string
		Views                int64
	}
	err = db.Raw(`SELECT d.guide_id, d.kind, d.value, sum(d.views) AS views FROM funnel_sources d JOIN guides g ON g.id = d.guide_id
		WHERE `+where+` GROUP BY d.guide_id, d.kind, d.value ORDER BY views DESC, d.value`, args...).Scan(&sources).Error
	if err != nil {
		return nil, dbError("funnel sources", err)
	}
	for _, src := range sources {
		r := byID[src.GuideID]
		if r == nil {
			continue
		}
		list := map[string]*[]funnel.SourceCount{"referrer": &r.Referrers, "source": &r.Sources, "campaign": &r.Campaigns}[src.Kind]
		if list != nil && len(*list) < topSources {
			*list = append(*list, funnel.SourceCount{Value: src.Value, Views: src.Views})
		}
	}
	out := make([]funnel.GuideReport, 0, len(order))
	for _, id := range order {
		r := byID[id]
		slices.SortFunc(r.Daily, func(a, b funnel.DayCounts) int { return strings.Compare(a.Day, b.Day) })
		r.Daily = mergeDays(r.Daily)
		for _, d := range r.Daily {
			r.Counts.Add(d.Counts)
			r.LeadsWon += d.LeadsWon
		}
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b funnel.GuideReport) int { return strings.Compare(a.Slug, b.Slug) })
	return out, nil
}

// reportLeads adds leads and won leads per day (for a consultant, their
// own) from the leads table. Leads are counted there rather than in a
// funnel_days counter: one counter row per guide and day, updated in every
// intake transaction, would serialize the intake of a popular guide.
func (s FunnelStore) reportLeads(ctx context.Context, f funnel.Filter, report func(id, slug, title string) *funnel.GuideReport) error {
	from, _ := time.Parse(time.DateOnly, f.From)
	to, _ := time.Parse(time.DateOnly, f.To)
	conds := []string{"l.erased_at IS NULL", "l.status <> 'spam'", "l.guide_id IS NOT NULL", "l.created_at >= ?", "l.created_at < ?"}
	args := []any{from.UTC(), to.AddDate(0, 0, 1).UTC()}
	if f.GuideSlug != nil {
		conds, args = append(conds, "g.slug = ?"), append(args, *f.GuideSlug)
	}
	if f.OwnerID != nil {
		conds, args = append(conds, "l.owner_id = ?"), append(args, *f.OwnerID)
	} else if f.Locale != nil && *f.Locale != "" {
		return nil // leads carry no locale yet: none are in another locale
	}
	var rows []struct {
		GuideID, Slug, Title, Day string
		Leads, Won                int64
	}
	err := s.db.WithContext(ctx).Raw(fmt.Sprintf(`SELECT g.id AS guide_id, g.slug, g.title, %s AS day, count(*) AS leads,
		sum(CASE WHEN l.status = 'won' THEN 1 ELSE 0 END) AS won
		FROM leads l JOIN guides g ON g.id = l.guide_id WHERE %s GROUP BY g.id, g.slug, g.title, 4`, leadDaySQL[s.dialect], strings.Join(conds, " AND ")), args...).Scan(&rows).Error
	if err != nil {
		return dbError("funnel leads", err)
	}
	for _, row := range rows {
		d := funnel.DayCounts{Day: row.Day, LeadsWon: row.Won}
		d.Leads = row.Leads
		r := report(row.GuideID, row.Slug, row.Title)
		r.Daily = append(r.Daily, d)
	}
	return nil
}

// mergeDays sums entries of the same day (counters and leads arrive apart).
func mergeDays(ds []funnel.DayCounts) []funnel.DayCounts {
	out := ds[:0]
	for _, d := range ds {
		if n := len(out); n > 0 && out[n-1].Day == d.Day {
			o := &out[n-1]
			o.Counts.Add(d.Counts)
			o.LeadsWon += d.LeadsWon
			continue
		}
		out = append(out, d)
	}
	return out
}
