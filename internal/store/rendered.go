package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/guide"
)

// RenderedStore is the guide.RenderedStore on the published_guides row.
type RenderedStore struct{ *Store }

var _ guide.RenderedStore = RenderedStore{}

const renderedColumns = "guide_id, slug, public_json, public_etag, public_key, public_gen, published_at"

func scanRendered(row interface{ Scan(...any) error }) (*guide.Rendered, error) {
	var r guide.Rendered
	var etag, key sql.NullString
	if err := row.Scan(&r.GuideID, &r.Slug, &r.Body, &etag, &key, &r.Gen, &r.PublishedAt); err != nil {
		return nil, err
	}
	r.ETag, r.Key, r.PublishedAt = etag.String, key.String, r.PublishedAt.UTC()
	return &r, nil
}

// FindRenderedBySlug implements guide.RenderedStore: the miss path, one
// indexed read without GORM's reflection.
func (s RenderedStore) FindRenderedBySlug(ctx context.Context, slug string) (*guide.Rendered, error) {
	sqlDB, err := s.db.DB()
	if err != nil {
		return nil, dbError("rendered guide", err)
	}
	r, err := scanRendered(sqlDB.QueryRowContext(ctx, s.rebind("SELECT "+renderedColumns+" FROM published_guides WHERE slug = ?"), slug))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "no such guide")
	}
	return r, dbError("rendered guide", err)
}

// FindRenderedBySlugs implements guide.RenderedStore: the miss path under
// load, one indexed read for a batch of requests. PostgreSQL takes the
// slugs as one array (one prepared statement whatever their number).
func (s RenderedStore) FindRenderedBySlugs(ctx context.Context, slugs []string) (map[string]*guide.Rendered, error) {
	if s.dialect == database.Postgres {
		return s.pgRenderedBySlugs(ctx, slugs)
	}
	sqlDB, err := s.db.DB()
	if err != nil {
		return nil, dbError("rendered guides", err)
	}
	args := make([]any, len(slugs))
	for i, slug := range slugs {
		args[i] = slug
	}
	in := strings.Repeat(",?", len(slugs))[1:]
	rows, err := sqlDB.QueryContext(ctx, "SELECT "+renderedColumns+" FROM published_guides WHERE slug IN ("+in+")", args...)
	if err != nil {
		return nil, dbError("rendered guides", err)
	}
	defer rows.Close()
	return collectRendered(rows, len(slugs))
}

// pgRenderedBySlugs reads through pgx itself: database/sql would copy each
// ~8 KB body a second time and take its locks per row, a tenth of a miss's
// cost in Go when batches are full.
func (s RenderedStore) pgRenderedBySlugs(ctx context.Context, slugs []string) (map[string]*guide.Rendered, error) {
	var out map[string]*guide.Rendered
	err := s.withPgx(ctx, func(c *pgx.Conn) error {
		rows, err := c.Query(ctx, "SELECT "+renderedColumns+" FROM published_guides WHERE slug = ANY($1)", slugs)
		if err != nil {
			return err
		}
		defer rows.Close()
		out, err = collectRendered(rows, len(slugs))
		return err
	})
	return out, dbError("rendered guides", err)
}

// collectRendered scans rows of renderedColumns by slug.
func collectRendered(rows interface {
	Next() bool
	Scan(...any) error
	Err() error
}, n int) (map[string]*guide.Rendered, error) {
	out := make(map[string]*guide.Rendered, n)
	for rows.Next() {
		r, err := scanRendered(rows)
		if err != nil {
			return nil, dbError("rendered guides", err)
		}
		out[r.Slug] = r
	}
	return out, dbError("rendered guides", rows.Err())
}

// SaveRendered implements guide.RenderedStore, in one transaction so that
// a batch costs one commit.
func (s RenderedStore) SaveRendered(ctx context.Context, rs ...*guide.Rendered) (int, error) {
	n := 0
	err := s.inTx(ctx, func(tx *Store) error {
		for _, r := range rs {
			res := tx.db.WithContext(ctx).Exec(`UPDATE published_guides SET public_json = ?, public_etag = ?, public_key = ?, list_json = ?
WHERE guide_id = ? AND public_gen = ?`, r.Body, r.ETag, r.Key, r.ListItem, r.GuideID, r.Gen)
			if res.Error != nil {
				return dbError("save rendered guide", res.Error)
			}
			n += int(res.RowsAffected)
		}
		return nil
	})
	return n, err
}

// Unrendered implements guide.RenderedStore, walking the partial index of
// rows without a rendering.
func (s RenderedStore) Unrendered(ctx context.Context, after string, limit int) ([]*guide.Rendered, error) {
	q := s.db.WithContext(ctx).Table("published_guides").Select(renderedColumns).Where("public_json IS NULL")
	if after != "" {
		q = q.Where("guide_id > ?", after)
	}
	rows, err := q.Order("guide_id").Limit(limit).Rows()
	if err != nil {
		return nil, dbError("unrendered guides", err)
	}
	defer rows.Close()
	var out []*guide.Rendered
	for rows.Next() {
		r, err := scanRendered(rows)
		if err != nil {
			return nil, dbError("unrendered guides", err)
		}
		out = append(out, r)
	}
	return out, dbError("unrendered guides", rows.Err())
}

// ClearRenderedExcept implements guide.RenderedStore.
func (s RenderedStore) ClearRenderedExcept(ctx context.Context, key string) error {
	return s.invalidateRendered(ctx, "public_json IS NOT NULL AND (public_key IS NULL OR public_key <> ?)", key)
}

// rebind turns ? placeholders into PostgreSQL's $n for queries that bypass
// GORM.
func (s *Store) rebind(q string) string {
	if s.dialect != "postgres" {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// invalidateRendered clears the renderings of the published guides that
// where selects, in the caller's transaction, and bumps their generation so
// that a rendering begun before the change is not stored after it.
// Translations (published_translations, same columns) are cleared alike; a
// default-locale guide's list entry (list_json) shows a subset of what its
// rendering does, so it goes with it.
func (s *Store) invalidateRendered(ctx context.Context, where string, args ...any) error {
	for _, set := range []string{"published_guides SET list_json = NULL,", "published_translations SET"} {
		if err := s.db.WithContext(ctx).Exec("UPDATE "+set+" public_json = NULL, public_gen = public_gen + 1 WHERE "+where, args...).Error; err != nil {
			return dbError("invalidate rendered guides", err)
		}
	}
	return nil
}

// guides that show target among their related guides.
const linkingTo = "guide_id IN (SELECT guide_id FROM guide_links WHERE target_id = ? AND published = ?)"

// FindRenderedTranslation implements guide.TranslationRenderedStore.
func (s RenderedStore) FindRenderedTranslation(ctx context.Context, guideID, locale string) (*guide.Rendered, error) {
	sqlDB, err := s.db.DB()
	if err != nil {
		return nil, dbError("rendered translation", err)
	}
	r, err := scanRendered(sqlDB.QueryRowContext(ctx, s.rebind("SELECT "+renderedColumns+" FROM published_translations WHERE guide_id = ? AND locale = ?"), guideID, locale))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "no such guide")
	}
	if err != nil {
		return nil, dbError("rendered translation", err)
	}
	r.Locale = locale
	return r, nil
}

// SaveRenderedTranslation implements guide.TranslationRenderedStore.
func (s RenderedStore) SaveRenderedTranslation(ctx context.Context, r *guide.Rendered) error {
	return dbError("save rendered translation", s.db.WithContext(ctx).Exec(`UPDATE published_translations SET public_json = ?, public_etag = ?, public_key = ?
WHERE guide_id = ? AND locale = ? AND public_gen = ?`, r.Body, r.ETag, r.Key, r.GuideID, r.Locale, r.Gen).Error)
}
