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

// CreateLeadWithEvent implements lead.Store. On PostgreSQL the rows go in
// one pipelined round trip: a pgx batch ends in a single Sync, so the
// server runs it as one implicit transaction, all or nothing. That is the
// intake's hot path, and four round trips (begin, two inserts, commit)
// were most of its cost. SQLite, in process, uses an ordinary transaction.
func (s LeadStore) CreateLeadWithEvent(ctx context.Context, l *lead.Lead, kind string, payload []byte, at time.Time) error {
	row, err := toLeadRow(l)
	if err != nil {
		return err
	}
	if s.dialect != database.Postgres || s.inTransaction() {
		return s.InTx(ctx, func(tx lead.Store) error {
			if err := tx.CreateLead(ctx, l); err != nil || kind == "" {
				return err
			}
			return tx.Enqueue(ctx, kind, l.ID, payload, at)
		})
	}
	b := &pgx.Batch{}
	b.Queue(insertLeadSQL, row.ID, row.Reference, row.Status, row.Name, row.Email, row.Company, row.Role, row.Project,
		row.GuideID, row.GuideSlug, row.GuideTitle, row.Answers, row.PreferredTechnologies, row.RequestVolume,
		row.TeamLanguage, row.Timeline, row.Budget, row.ConsentedAt, row.Referrer, row.UTM, row.IP, row.UserAgent,
		row.Recommendation, row.Recommended, row.OwnerID, row.IdempotencyKey, row.RequestHash, row.CreatedAt,
		row.UpdatedAt, row.ClosedAt, row.ErasedAt, row.Locale)
	if kind != "" {
		b.Queue(insertOutboxSQL, id.New(), kind, row.ID, string(payload), s.MaxAttempts, at.UTC(), at.UTC())
	}
	return dbError("create lead", s.batch(ctx, b))
}

// inTransaction reports whether the store runs inside a transaction, where
// a batch on another connection would escape it.
func (s *Store) inTransaction() bool {
	_, ok := s.db.Statement.ConnPool.(*sql.Tx)
	return ok
}

// batch sends b on one pooled PostgreSQL connection and reads every result.
// Driver errors are translated as GORM translates its own (unique
// violations become gorm.ErrDuplicatedKey), so dbError maps both alike.
func (s *Store) batch(ctx context.Context, b *pgx.Batch) error {
	err := s.sendBatch(ctx, b)
	if t, ok := s.db.Dialector.(gorm.ErrorTranslator); ok && err != nil {
		return t.Translate(err)
	}
	return err
}

func (s *Store) sendBatch(ctx context.Context, b *pgx.Batch) error {
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
			return fmt.Errorf("store: batch needs pgx, not %T", dc)
		}
		return c.Conn().SendBatch(ctx, b).Close()
	})
}
