package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"

	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/id"
	"github.com/verdict-cms/verdict/internal/lead"
	"github.com/verdict-cms/verdict/models"
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
		hits, start, err := s.insertLimited(ctx, &row, q, kind, payload, at)
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

// limitedStmt is insertLimitedSQL's name as each connection prepares it.
const limitedStmt = "verdict_intake_limited"

// insertLimited runs insertLimitedSQL with parameters encoded by hand
// (wireParams) and returns the quota's count and window start.
func (s LeadStore) insertLimited(ctx context.Context, row *models.Lead, q *lead.Quota, kind string, payload []byte, at time.Time) (hits int, start int64, err error) {
	p := getWireParams()
	defer putWireParams(p)
	p.text(q.Key)
	p.int(at.UnixMilli())
	p.int(at.Add(-q.Window).UnixMilli())
	p.int(int64(q.Max))
	p.text(row.ID)
	p.text(row.Reference)
	p.text(row.Status)
	p.text(row.Name)
	p.text(row.Email)
	p.text(row.Company)
	p.text(row.Role)
	p.text(row.Project)
	p.textOrNull(row.GuideID)
	p.text(row.GuideSlug)
	p.text(row.GuideTitle)
	p.text(row.Answers)
	p.text(row.PreferredTechnologies)
	p.text(row.RequestVolume)
	p.text(row.TeamLanguage)
	p.text(row.Timeline)
	p.text(row.Budget)
	p.timeOrNull(row.ConsentedAt)
	p.text(row.Referrer)
	p.text(row.UTM)
	p.text(row.IP)
	p.text(row.UserAgent)
	p.text(row.Recommendation)
	p.text(row.Recommended)
	p.textOrNull(row.OwnerID)
	p.textOrNull(row.IdempotencyKey)
	p.text(row.RequestHash)
	p.time(row.CreatedAt)
	p.time(row.UpdatedAt)
	p.timeOrNull(row.ClosedAt)
	p.timeOrNull(row.ErasedAt)
	p.text(row.Locale)
	p.text(id.New())
	p.text(kind)
	p.text(string(payload))
	p.int(int64(s.MaxAttempts))
	p.time(at)
	values := p.slices()
	err = s.withPgx(ctx, func(c *pgx.Conn) error {
		sd, err := c.Prepare(ctx, limitedStmt, insertLimitedSQL)
		if err != nil {
			return err
		}
		res := c.PgConn().ExecPrepared(ctx, sd.Name, values, p.formats, nil).Read()
		if res.Err != nil {
			return res.Err
		}
		if len(res.Rows) != 1 || len(res.Rows[0]) != 2 {
			return fmt.Errorf("store: intake insert returned %d rows", len(res.Rows))
		}
		if hits, err = strconv.Atoi(string(res.Rows[0][0])); err != nil {
			return fmt.Errorf("store: intake insert: hits: %w", err)
		}
		if start, err = strconv.ParseInt(string(res.Rows[0][1]), 10, 64); err != nil {
			return fmt.Errorf("store: intake insert: window start: %w", err)
		}
		return nil
	})
	return hits, start, err
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
