package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/guide"
	"github.com/verdict-cms/verdict/internal/id"
	"github.com/verdict-cms/verdict/internal/webhook"
	"github.com/verdict-cms/verdict/models"
)

// CreateGuides implements guide.Store: every table of a new guide written
// with one multi-row statement per table for the whole batch (an import
// writes thousands of guides; a statement per row is most of its time).
// The caller keeps batches to a few hundred guides, under both databases'
// limits on bound parameters.
func (s GuideStore) CreateGuides(ctx context.Context, gs []guide.NewGuide) error {
	if len(gs) == 0 {
		return nil
	}
	db := s.db.WithContext(ctx)
	if s.dialect != database.Postgres {
		// A big transaction spills SQLite's default 2 MB page cache to the
		// WAL and the statement journal over and over; a bulk write's
		// connection keeps more pages (it holds the write lock anyway).
		if err := db.Exec("PRAGMA cache_size = -32768").Error; err != nil {
			return dbError("bulk cache size", err)
		}
	}
	guides := make([]models.Guide, 0, len(gs))
	revs := make([]models.GuideRevision, 0, len(gs))
	var techs []models.GuideTechnology
	var links []models.GuideLink
	var pub []guide.NewGuide
	var pubDocs []string
	for _, ng := range gs {
		doc, err := json.Marshal(ng.Revision.Document)
		if err != nil {
			return fmt.Errorf("store: encode revision: %w", err)
		}
		guides = append(guides, toGuideRow(ng.Guide))
		r := ng.Revision
		revs = append(revs, models.GuideRevision{ID: r.ID, GuideID: r.GuideID, Number: r.Number, Action: r.Action,
			Document: string(doc), AuthorID: r.AuthorID, CreatedAt: r.CreatedAt.UTC()})
		published := []bool{false}
		if ng.Guide.PublishedRevisionID != nil {
			published = append(published, true)
			pub, pubDocs = append(pub, ng), append(pubDocs, string(doc))
		}
		for _, p := range published {
			for i, o := range r.Document.Options {
				techs = append(techs, models.GuideTechnology{GuideID: ng.Guide.ID, Published: p, TechnologyID: o.TechnologyID, Position: i})
			}
			for _, t := range r.Document.Related {
				links = append(links, models.GuideLink{GuideID: ng.Guide.ID, Published: p, TargetID: t})
			}
		}
	}
	if err := db.CreateInBatches(&guides, s.rowsPer(15)).Error; err != nil {
		return dbError("create guides", err)
	}
	if err := db.CreateInBatches(&revs, s.rowsPer(7)).Error; err != nil {
		return dbError("create revisions", err)
	}
	if len(techs) > 0 {
		if err := db.CreateInBatches(&techs, s.rowsPer(4)).Error; err != nil {
			return dbError("set guide technologies", err)
		}
	}
	if len(links) > 0 {
		if err := db.CreateInBatches(&links, s.rowsPer(3)).Error; err != nil {
			return dbError("set guide links", err)
		}
	}
	for n := s.rowsPer(11); len(pub) > 0; {
		k := min(n, len(pub))
		if err := s.publishNew(ctx, pub[:k], pubDocs[:k]); err != nil {
			return err
		}
		pub, pubDocs = pub[k:], pubDocs[k:]
	}
	return nil
}

// rowsPer is how many rows of cols columns one INSERT carries. PostgreSQL
// takes up to 65,535 parameters, and bigger statements cost less. The
// SQLite driver binds each parameter by searching all of them (quadratic
// in a statement's parameters), so there a statement stays small.
func (s GuideStore) rowsPer(cols int) int {
	if s.dialect == database.Postgres {
		return min(1000, 65535/cols)
	}
	return max(1, 240/cols)
}

// publishNew writes the public rows, with their search entries, of new
// guides (no row or index entry to clear, nothing linking to them yet);
// docs are their documents, encoded.
func (s GuideStore) publishNew(ctx context.Context, gs []guide.NewGuide, docs []string) error {
	db := s.db.WithContext(ctx)
	var q strings.Builder
	args := make([]any, 0, 8*len(gs))
	q.WriteString(`INSERT INTO published_guides (guide_id, slug, title, summary, category_id, revision_id, document, published_at) VALUES `)
	for i, ng := range gs {
		d := ng.Revision.Document
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString(`(?, ?, ?, ?, ?, ?, ?, ?)`)
		args = append(args, ng.Guide.ID, d.Slug, d.Title, d.Summary, d.CategoryID, ng.Revision.ID, docs[i], ng.Guide.PublishedAt.UTC())
	}
	if err := db.Exec(q.String(), args...).Error; err != nil {
		return dbError("publish guides", err)
	}
	q.Reset()
	args = args[:0]
	if s.dialect == database.Postgres {
		// In publishing order, as Publish writes them one by one (pgIndexSQL).
		q.WriteString(`INSERT INTO published_search (guide_id, category_id, search) VALUES `)
		for i, ng := range gs {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString(`(?, ?, setweight(to_tsvector('english', ?), 'A') || setweight(to_tsvector('english', ?), 'B') || setweight(to_tsvector('english', ?), 'C'))`)
			d := ng.Revision.Document
			args = append(args, ng.Guide.ID, d.CategoryID, d.Title, d.Summary, ng.SearchBody)
		}
		return dbError("index guides", db.Exec(q.String(), args...).Error)
	}
	// SQLite's index entries take their rows' rowids, negated (see Publish).
	q.WriteString(`INSERT INTO published_guides_fts (rowid, title, summary, body)
SELECT -p.rowid, v.column2, v.column3, v.column4 FROM (VALUES `)
	for i, ng := range gs {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("(?, ?, ?, ?)")
		args = append(args, ng.Guide.ID, ng.Revision.Document.Title, ng.Revision.Document.Summary, ng.SearchBody)
	}
	q.WriteString(") v JOIN published_guides p ON p.guide_id = v.column1")
	return dbError("index guides", db.Exec(q.String(), args...).Error)
}

// EmitAll implements guide.Store: one outbox row per event, one statement,
// if an endpoint subscribes to them.
func (s GuideStore) EmitAll(ctx context.Context, eventType string, data []any, at time.Time) error {
	if len(data) == 0 {
		return nil
	}
	if ok, err := subscribed(ctx, s.Store, eventType); err != nil || !ok {
		return err
	}
	rows := make([]models.OutboxMessage, 0, len(data))
	for _, d := range data {
		payload, err := webhook.NewEvent(eventType, d, at)
		if err != nil {
			return err
		}
		rows = append(rows, models.OutboxMessage{ID: id.New(), Kind: webhook.KindEvent, Payload: string(payload), Status: "pending",
			MaxAttempts: eventAttempts, NextAttemptAt: at.UTC(), CreatedAt: at.UTC()})
	}
	if len(rows) == 0 {
		return nil
	}
	return dbError("enqueue events", s.db.WithContext(ctx).CreateInBatches(&rows, 500).Error)
}
