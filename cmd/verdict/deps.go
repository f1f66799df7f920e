package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/verdict-cms/verdict/internal/auth"
	"github.com/verdict-cms/verdict/internal/catalog"
	"github.com/verdict-cms/verdict/internal/config"
	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/funnel"
	"github.com/verdict-cms/verdict/internal/guide"
	"github.com/verdict-cms/verdict/internal/httpapi"
	"github.com/verdict-cms/verdict/internal/id"
	"github.com/verdict-cms/verdict/internal/lead"
	"github.com/verdict-cms/verdict/internal/mail"
	"github.com/verdict-cms/verdict/internal/metrics"
	"github.com/verdict-cms/verdict/internal/migrate"
	"github.com/verdict-cms/verdict/internal/outbox"
	"github.com/verdict-cms/verdict/internal/store"
	"github.com/verdict-cms/verdict/internal/webhook"
)

// deps is everything a command needs once configuration is loaded.
type deps struct {
	cfg      config.Config
	log      *slog.Logger
	logOut   io.Writer
	db       *database.DB
	store    *store.Store
	throttle store.Throttle
	auth     *auth.Service
	guides   *guide.Service
	cache    *httpapi.Cache
	// contentChanged drops every cache of published content on this
	// instance: on local changes, and on NOTIFY from other instances.
	contentChanged guide.Invalidators
	leads          *lead.Service
	outbox         *outbox.Dispatcher
	metrics        *metrics.Metrics
	webhooks       *webhook.Service
	catalog        *catalog.Catalog
	funnel         *funnel.Collector
}

func (d *deps) Close() { _ = d.db.Close() }

// load reads configuration, opens the database and, when migrateFirst is
// set, brings its schema up to date. flagOverrides apply CLI flags on top of
// the environment.
func load(ctx context.Context, e env, migrateFirst bool, overrides map[string]string) (*deps, error) {
	getenv := func(k string) string {
		if v, ok := overrides[k]; ok && v != "" {
			return v
		}
		return e.getenv(k)
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return nil, fmt.Errorf("invalid configuration:\n%w", err)
	}
	log := newLogger(e.stderr, cfg)
	db, err := database.Open(ctx, database.Options{
		URL: pgURL(cfg), SQLitePath: cfg.SQLitePath(),
		MaxOpenConns: cfg.DBMaxOpenConns, MaxIdleConns: cfg.DBMaxIdleConns, ConnMaxLifetime: cfg.DBConnMaxLifetime,
		ConnectTimeout: cfg.DBConnectTimeout, StatementTimeout: cfg.DBStatementTimeout, BusyTimeout: cfg.RequestTimeout,
	})
	if err != nil {
		return nil, err
	}
	d := &deps{cfg: cfg, log: log, logOut: e.stderr, db: db, store: store.New(db)}
	if migrateFirst {
		if err := migrateUp(ctx, d); err != nil {
			d.Close()
			return nil, err
		}
	}
	secret, err := jwtSecret(cfg)
	if err != nil {
		d.Close()
		return nil, err
	}
	now := func() time.Time { return time.Now().UTC() }
	hasher, err := auth.NewHasher(cfg.BcryptCost)
	if err != nil {
		d.Close()
		return nil, err
	}
	signer, err := auth.NewSigner([]byte(secret), cfg.AccessTokenTTL, now)
	if err != nil {
		d.Close()
		return nil, err
	}
	d.throttle = store.NewThrottle(d.store, now)
	d.auth = auth.NewService(store.AuthStore{Store: d.store}, d.throttle, hasher, signer, auth.Config{
		RefreshTTL:                 cfg.RefreshTokenTTL,
		LoginMaxFailuresPerAccount: cfg.LoginMaxFailuresPerAccount,
		LoginMaxFailuresPerIP:      cfg.LoginMaxFailuresPerIP,
		LoginWindow:                cfg.LoginWindow,
	}, now)
	d.cache = httpapi.NewCache(cfg.CacheEntries)
	d.cache.SetMaxAge(cfg.CacheMaxAge)
	d.contentChanged = guide.Invalidators{d.cache}
	d.guides = guide.NewService(store.GuideStore{Store: d.store}, &d.contentChanged, guide.CTA{
		Heading: cfg.DefaultCTAHeading, Title: cfg.DefaultCTATitle, Text: cfg.DefaultCTAText,
	}, now)
	cat := catalog.New(d.guides)
	d.contentChanged = append(d.contentChanged, cat)
	d.catalog, d.funnel = cat, funnel.NewCollector(store.FunnelStore{Store: d.store}, log, now)
	d.leads = lead.NewService(store.LeadStore{Store: d.store, MaxAttempts: cfg.OutboxMaxAttempts}, cat,
		mail.Composer{AdminURL: cfg.AdminURL, SiteName: cfg.SiteName},
		lead.Config{TeamEmail: cfg.TeamEmail, SendConfirmation: cfg.SendConfirmation,
			ConfirmationsPerRecipient: cfg.ConfirmationsPerRecipient, ConfirmationsPerHour: cfg.ConfirmationsPerHour}, now)
	sqlDB, err := d.db.DB.DB()
	if err != nil {
		d.Close()
		return nil, err
	}
	outboxStore := store.OutboxStore{Store: d.store}
	d.metrics = metrics.New(sqlDB, string(d.db.Dialect), outboxStore.Stats)
	sender, err := newSender(cfg, log)
	if err != nil {
		d.Close()
		return nil, err
	}
	d.webhooks = webhook.NewService(store.WebhookStore{Store: d.store, MaxAttempts: cfg.OutboxMaxAttempts}, cfg.WebhookAllowPrivate, now)
	d.outbox = outbox.New(outboxStore, sender, map[string]outbox.Handler{
		lead.KindLeadCreated: func(ctx context.Context, m *outbox.Message) error {
			return d.leads.Expand(ctx, m.ID, m.LeadID, m.Lease)
		},
		webhook.KindEvent:    d.webhooks.Fanout,
		webhook.KindDelivery: d.webhooks.Deliver,
	}, outbox.Config{
		Batch: cfg.OutboxBatch, Workers: cfg.OutboxConcurrency, Lease: cfg.OutboxLease, SendTimeout: cfg.OutboxSendTimeout, Poll: cfg.OutboxPoll,
		BackoffBase: cfg.OutboxBackoffBase, BackoffMax: cfg.OutboxBackoffMax, Observe: d.metrics.Delivered,
	}, log, now)
	return d, nil
}

// newSender delivers over SMTP when VERDICT_SMTP_URL is set, else into
// .eml files in the data dir, so a zero-setup install shows the whole flow.
func newSender(cfg config.Config, log *slog.Logger) (outbox.Sender, error) {
	if cfg.SMTPURL != "" {
		return mail.NewSMTP(cfg.SMTPURL, cfg.MailFrom, cfg.OutboxConcurrency)
	}
	return mail.NewFiles(filepath.Join(cfg.DataDir, "mail"), cfg.MailFrom, log)
}

func pgURL(cfg config.Config) string {
	if cfg.IsPostgres() {
		return cfg.DatabaseURL
	}
	return ""
}

func migrateUp(ctx context.Context, d *deps) error {
	m, err := migrate.New(d.db)
	if err != nil {
		return err
	}
	rs, err := m.Up(ctx)
	if err != nil {
		return err
	}
	for _, r := range rs {
		d.log.Info("migration applied", "version", r.Version, "name", r.Name, "duration_ms", r.Duration.Milliseconds())
	}
	return nil
}

// jwtSecret returns the configured signing key. With SQLite and no key set,
// a random key is made once and kept in the data dir, so a zero-setup install
// is secure and its sessions survive restarts.
func jwtSecret(cfg config.Config) (string, error) {
	if cfg.JWTSecret != "" {
		return cfg.JWTSecret, nil
	}
	path := filepath.Join(filepath.Dir(cfg.SQLitePath()), "jwt-secret")
	b, err := os.ReadFile(path)
	if err == nil && len(strings.TrimSpace(string(b))) >= 32 {
		return strings.TrimSpace(string(b)), nil
	}
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	secret := id.Secret("")
	if err := os.WriteFile(path, []byte(secret+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	return secret, nil
}

func newLogger(w io.Writer, cfg config.Config) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}
