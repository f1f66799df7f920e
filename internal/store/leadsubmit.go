package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"

	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/id"
	"github.com/verdict-cms/verdict/internal/lead"
)

// insertLeadSQL and insertOutboxSQL are the intake's two rows, every column
// of models.Lead and models.OutboxMessage named, as GORM would write them.
const (
	insertLeadSQL = `INSERT INTO leads (id, reference, status, name, email, company, role, project, guide_id, guide_slug,
  guide_title, answers, preferred_technologies, request_volume, team_language, timeline, budget, consented_at, referrer,
  utm, ip, user_agent, recommendation, recommended, owner_id, idempotency_key, request_hash, created_at, updated_at,
  closed_at, erased_at, locale)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24,
  $25, $26, $27, $28, $29, $30, $31, $32)`
	insertOutboxSQL = `INSERT INTO outbox (id, kind, lead_id, payload, status, attempts, max_attempts, next_attempt_at,
  locked_until, last_error, created_at, sent_at)
VALUES ($1, $2, $3, $4, 'pending', 0, $5, $6, NULL, '', $7, NULL)`
)

// insertLimitedSQL is the intake's whole write as one statement: a hit of
// the client's quota (hitSQL's upsert), then, only while the count is within
// $4, the lead and, unless $38 is "" (spam), its outbox event. One
// statement is one implicit transaction and one round trip: a refused
// request stores nothing but its hit, an accepted one its hit, lead and
// event or, on any error, none of them.
const insertLimitedSQL = `WITH hit AS (
  INSERT INTO throttles (key, hits, window_start) VALUES ($1, 1, $2)
  ON CONFLICT (key) DO UPDATE SET
    hits = CASE WHEN throttles.window_start <= $3 THEN 1 ELSE throttles.hits + 1 END,
    window_start = CASE WHEN throttles.window_start <= $3 THEN excluded.window_start ELSE throttles.window_start END
  RETURNING hits, window_start
), lead AS (
  INSERT INTO leads (id, reference, status, name, email, company, role, project, guide_id, guide_slug,
    guide_title, answers, preferred_technologies, request_volume, team_language, timeline, budget, consented_at, referrer,
    utm, ip, user_agent, recommendation, recommended, owner_id, idempotency_key, request_hash, created_at, updated_at,
    closed_at, erased_at, locale)
  SELECT $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27,
    $28, $29, $30, $31, $32, $33, $34, $35, $36 FROM hit WHERE hit.hits <= $4
  RETURNING id
), event AS (
  INSERT INTO outbox (id, kind, lead_id, payload, status, attempts, max_attempts, next_attempt_at, locked_until,
    last_error, created_at, sent_at)
  SELECT $37, $38, lead.id, $39, 'pending', 0, $40, $41, NULL, '', $41, NULL FROM lead WHERE $38 <> ''
)
SELECT hits, window_start FROM hit`

// CreateLeadWithEvent implements lead.Store. On PostgreSQL the rows go in
// one round trip: with a quota as one statement (insertLimitedSQL), without
// as a pgx batch, which ends in a single Sync, so the server runs it as one
// implicit transaction, all or nothing. That is the intake's hot path, and
// round trips (begin, the hit, two inserts, commit) were most of its cost.
// SQLite, in process, uses an ordinary transaction.
func (s LeadStore) CreateLeadWithEvent(ctx context.Context, l *lead.Lead, kind string, payload []byte, at time.Time, q *lead.Quota) (*lead.Usage, error) {
	row, err := toLeadRow(l)
	if err != nil {
		return nil, err
	}
	if s.dialect != database.Postgres || s.inTransaction() {
		var usage *lead.Usage
		err := s.inTx(ctx, func(txs *Store) error {
			tx := LeadStore{Store: txs, MaxAttempts: s.MaxAttempts}
			if q != nil {
				hits, reset, err := hit(ctx, txs, q.Key, q.Window, at)
				if usage = (&lead.Usage{Hits: hits, Reset: reset}); err != nil || hits > q.Max {
					return err // past the quota: the hit is kept, nothing else stored
				}
			}
			if err := tx.CreateLead(ctx, l); err != nil || kind == "" {
				return err
			}
			return tx.Enqueue(ctx, kind, l.ID, payload, at)
		})
		if err != nil {
			return nil, err
		}
		return usage, nil
	}
	leadArgs := []any{row.ID, row.Reference, row.Status, row.Name, row.Email, row.Company, row.Role, row.Project,
		row.GuideID, row.GuideSlug, row.GuideTitle, row.Answers, row.PreferredTechnologies, row.RequestVolume,
		row.TeamLanguage, row.Timeline, row.Budget, row.ConsentedAt, row.Referrer, row.UTM, row.IP, row.UserAgent,
		row.Recommendation, row.Recommended, row.OwnerID, row.IdempotencyKey, row.RequestHash, row.CreatedAt,
		row.UpdatedAt, row.ClosedAt, row.ErasedAt, row.Locale}
	if q != nil {
		args := make([]any, 0, 41)
		args = append(args, q.Key, at.UnixMilli(), at.Add(-q.Window).UnixMilli(), q.Max)
		args = append(args, leadArgs...)
		args = append(args, id.New(), kind, string(payload), s.MaxAttempts, at.UTC())
		var hits int
		var start int64
		err := s.withPgx(ctx, func(c *pgx.Conn) error {
			return c.QueryRow(ctx, insertLimitedSQL, args...).Scan(&hits, &start)
		})
		if err != nil {
			return nil, dbError("create lead", s.translate(err))
		}
		return &lead.Usage{Hits: hits, Reset: windowEnd(start, q.Window)}, nil
	}
	b := &pgx.Batch{}
	b.Queue(insertLeadSQL, leadArgs...)
	if kind != "" {
		b.Queue(insertOutboxSQL, id.New(), kind, row.ID, string(payload), s.MaxAttempts, at.UTC(), at.UTC())
	}
	return nil, dbError("create lead", s.batch(ctx, b))
}

// inTransaction reports whether the store runs inside a transaction, where
// a batch on another connection would escape it.
func (s *Store) inTransaction() bool {
	_, ok := s.db.Statement.ConnPool.(*sql.Tx)
	return ok
}

// batch sends b on one pooled PostgreSQL connection and reads every result.
func (s *Store) batch(ctx context.Context, b *pgx.Batch) error {
	return s.translate(s.withPgx(ctx, func(c *pgx.Conn) error { return c.SendBatch(ctx, b).Close() }))
}

// translate turns driver errors into GORM's (unique violations become
// gorm.ErrDuplicatedKey), so dbError maps them as it maps GORM's own.
func (s *Store) translate(err error) error {
	if t, ok := s.db.Dialector.(gorm.ErrorTranslator); ok && err != nil {
		return t.Translate(err)
	}
	return err
}

// withPgx runs fn on one pooled PostgreSQL connection, as pgx.
func (s *Store) withPgx(ctx context.Context, fn func(*pgx.Conn) error) error {
	pool, err := s.db.DB()
	if err != nil {
		return fmt.Errorf("store: pool: %w", err)
	}
	conn, err := pool.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("store: pgx needed, not %T", dc)
		}
		return fn(c.Conn())
	})
}
