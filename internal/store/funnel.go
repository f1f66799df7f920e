package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/funnel"
)

// FunnelStore keeps the funnel counters (funnel_days, funnel_sources), the
// day's visitor hashes and the daily salt.
type FunnelStore struct{ *Store }

var (
	_ funnel.Store       = FunnelStore{}
	_ funnel.ReportStore = FunnelStore{}
)

// Salt implements funnel.Store: the first instance to ask stores its
// candidate, every later one reads it.
func (s FunnelStore) Salt(ctx context.Context, day, candidate string) (string, error) {
	db := s.db.WithContext(ctx)
	if err := db.Exec(`INSERT INTO funnel_salts (day, salt) VALUES (?, ?) ON CONFLICT (day) DO NOTHING`, day, candidate).Error; err != nil {
		return "", dbError("store funnel salt", err)
	}
	var salt string
	if err := db.Raw(`SELECT salt FROM funnel_salts WHERE day = ?`, day).Row().Scan(&salt); err != nil {
		return "", dbError("read funnel salt", err)
	}
	return salt, nil
}

// Rows per multi-row statement: at most 4,500 parameters, well under both
// dialects' limits, and few round trips for a busy second's batch.
const flushChunk = 500

// Flush implements funnel.Store in one transaction. Rows are written in key
// order, so two instances flushing at once lock them in the same order and
// cannot deadlock. Counts for guides deleted since are dropped.
func (s FunnelStore) Flush(ctx context.Context, b *funnel.Batch) error {
	return s.inTx(ctx, func(tx *Store) error {
		db := tx.db.WithContext(ctx)
		live, err := tx.liveGuides(ctx, b)
		if err != nil {
			return err
		}
		visitors := make([]funnel.VisitorKey, 0, len(b.Visitors))
		for k := range b.Visitors {
			if live[k.GuideID] {
				visitors = append(visitors, k)
			}
		}
		slices.SortFunc(visitors, func(a, c funnel.VisitorKey) int {
			return cmp.Or(cmp.Compare(a.Day, c.Day), cmp.Compare(a.GuideID, c.GuideID), cmp.Compare(a.Hash, c.Hash))
		})
		counts := make(map[funnel.Key]funnel.Counts, len(b.Counts))
		for k, c := range b.Counts {
			if live[k.GuideID] {
				counts[k] = *c
			}
		}
		for chunk := range slices.Chunk(visitors, flushChunk) {
			args := make([]any, 0, 3*len(chunk))
			for _, v := range chunk {
				args = append(args, v.Day, v.GuideID, v.Hash)
			}
			rows, err := db.Raw(`INSERT INTO funnel_visitors (day, guide_id, hash) VALUES `+values(len(chunk), 3)+
				` ON CONFLICT DO NOTHING RETURNING day, guide_id, hash`, args...).Rows()
			if err != nil {
				return dbError("insert funnel visitors", err)
			}
			for rows.Next() {
				var v funnel.VisitorKey
				if err := rows.Scan(&v.Day, &v.GuideID, &v.Hash); err != nil {
					rows.Close()
					return dbError("scan funnel visitor", err)
				}
				k := funnel.Key{GuideID: v.GuideID, Day: v.Day, Locale: b.Visitors[v]}
				c := counts[k]
				c.Uniques++
				counts[k] = c
			}
			if err := rows.Close(); err != nil {
				return dbError("insert funnel visitors", err)
			}
		}
		if err := tx.upsertCounts(ctx, counts); err != nil {
			return err
		}
		return tx.upsertSources(ctx, b.Sources, live)
	})
}

func (s *Store) liveGuides(ctx context.Context, b *funnel.Batch) (map[string]bool, error) {
	ids := map[string]bool{}
	for k := range b.Counts {
		ids[k.GuideID] = false
	}
	for k := range b.Visitors {
		ids[k.GuideID] = false
	}
	for k := range b.Sources {
		ids[k.GuideID] = false
	}
	list := make([]string, 0, len(ids))
	for id := range ids {
		list = append(list, id)
	}
	for chunk := range slices.Chunk(list, 500) {
		var found []string
		if err := s.db.WithContext(ctx).Raw(`SELECT id FROM guides WHERE id IN ?`, chunk).Scan(&found).Error; err != nil {
			return nil, dbError("find funnel guides", err)
		}
		for _, id := range found {
			ids[id] = true
		}
	}
	return ids, nil
}

const upsertDaysSQL = `INSERT INTO funnel_days (guide_id, day, locale, views, uniques, checklist_starts, recommendations, cta_clicks, leads) VALUES %s
ON CONFLICT (guide_id, day, locale) DO UPDATE SET
  views = funnel_days.views + excluded.views, uniques = funnel_days.uniques + excluded.uniques,
  checklist_starts = funnel_days.checklist_starts + excluded.checklist_starts,
  recommendations = funnel_days.recommendations + excluded.recommendations,
  cta_clicks = funnel_days.cta_clicks + excluded.cta_clicks, leads = funnel_days.leads + excluded.leads`

func (s *Store) upsertCounts(ctx context.Context, counts map[funnel.Key]funnel.Counts) error {
	keys := make([]funnel.Key, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, compareKey)
	for chunk := range slices.Chunk(keys, flushChunk) {
		args := make([]any, 0, 9*len(chunk))
		for _, k := range chunk {
			c := counts[k]
			args = append(args, k.GuideID, k.Day, k.Locale, c.Views, c.Uniques, c.ChecklistStarts, c.Recommendations, c.CTAClicks, c.Leads)
		}
		if err := s.db.WithContext(ctx).Exec(fmt.Sprintf(upsertDaysSQL, values(len(chunk), 9)), args...).Error; err != nil {
			return dbError("upsert funnel days", err)
		}
	}
	return nil
}

func (s *Store) upsertSources(ctx context.Context, sources map[funnel.SourceKey]int64, live map[string]bool) error {
	keys := make([]funnel.SourceKey, 0, len(sources))
	for k := range sources {
		if live[k.GuideID] {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b funnel.SourceKey) int {
		return cmp.Or(compareKey(a.Key, b.Key), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Value, b.Value))
	})
	for chunk := range slices.Chunk(keys, flushChunk) {
		args := make([]any, 0, 6*len(chunk))
		for _, k := range chunk {
			args = append(args, k.GuideID, k.Day, k.Locale, k.Kind, k.Value, sources[k])
		}
		err := s.db.WithContext(ctx).Exec(`INSERT INTO funnel_sources (guide_id, day, locale, kind, value, views) VALUES `+values(len(chunk), 6)+
			` ON CONFLICT (guide_id, day, locale, kind, value) DO UPDATE SET views = funnel_sources.views + excluded.views`, args...).Error
		if err != nil {
			return dbError("upsert funnel sources", err)
		}
	}
	return nil
}

func compareKey(a, b funnel.Key) int {
	return cmp.Or(cmp.Compare(a.GuideID, b.GuideID), cmp.Compare(a.Day, b.Day), cmp.Compare(a.Locale, b.Locale))
}

// values returns "(?, ?), (?, ?)" for rows rows of n columns.
func values(rows, n int) string {
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", n), ", ") + ")"
	return strings.TrimSuffix(strings.Repeat(row+", ", rows), ", ")
}

// PruneFunnel deletes counter rows of days before oldest, and visitor
// hashes and salts of days before hashesFrom: they only serve their day.
func (s FunnelStore) PruneFunnel(ctx context.Context, oldest, hashesFrom string) (int64, error) {
	db := s.db.WithContext(ctx)
	var n int64
	for _, q := range []struct{ table, day string }{
		{"funnel_days", oldest}, {"funnel_sources", oldest}, {"funnel_visitors", hashesFrom}, {"funnel_salts", hashesFrom},
	} {
		res := db.Exec("DELETE FROM "+q.table+" WHERE day < ?", q.day)
		if res.Error != nil {
			return n, dbError("prune "+q.table, res.Error)
		}
		if q.table == "funnel_days" {
			n = res.RowsAffected
		}
	}
	return n, nil
}

// leadDaySQL is a lead's UTC day in each dialect.
var leadDaySQL = map[database.Dialect]string{
	database.Postgres: `to_char(l.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`,
	database.SQLite:   `date(l.created_at)`,
}
