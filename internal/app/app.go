// Package app assembles Verdict: every service over one database, built in
// one place for `verdict serve`, the CLI commands and the HTTP tests, so the
// tests run the production wiring.
package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/verdict-cms/verdict/internal/audit"
	"github.com/verdict-cms/verdict/internal/auth"
	"github.com/verdict-cms/verdict/internal/catalog"
	"github.com/verdict-cms/verdict/internal/config"
	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/funnel"
	"github.com/verdict-cms/verdict/internal/guide"
	"github.com/verdict-cms/verdict/internal/httpapi"
	"github.com/verdict-cms/verdict/internal/lead"
	"github.com/verdict-cms/verdict/internal/locale"
	"github.com/verdict-cms/verdict/internal/mail"
	"github.com/verdict-cms/verdict/internal/media"
	"github.com/verdict-cms/verdict/internal/metrics"
	"github.com/verdict-cms/verdict/internal/outbox"
	"github.com/verdict-cms/verdict/internal/requestid"
	"github.com/verdict-cms/verdict/internal/store"
	"github.com/verdict-cms/verdict/internal/webhook"
)

// Program is Verdict assembled over an open database.
type Program struct {
	Config   config.Config
	Log      *slog.Logger
	LogOut   io.Writer // where Log writes; the access log goes there too
	DB       *database.DB
	Store    *store.Store
	Throttle store.Throttle
	Auth     *auth.Service
	Guides   *guide.Service
	Cache    *httpapi.Cache
	Catalog  *catalog.Catalog
	Leads    *lead.Service
	Outbox   *outbox.Dispatcher
	Metrics  *metrics.Metrics
	Webhooks *webhook.Service
	Funnel   *funnel.Collector
	// Renderer keeps published guides' stored public JSON current.
	Renderer *httpapi.GuideRenderer
	Media    *media.Service
	Audit    *audit.Log
}

// Build wires every service from cfg over db. cfg.JWTSecret must be set.
// now is the clock of every service (tests pass one they move).
func Build(cfg config.Config, db *database.DB, log *slog.Logger, logOut io.Writer, now func() time.Time) (*Program, error) {
	p := &Program{Config: cfg, Log: log, LogOut: logOut, DB: db, Store: store.New(db)}
	hasher, err := auth.NewHasher(cfg.BcryptCost)
	if err != nil {
		return nil, err
	}
	signer, err := auth.NewSigner([]byte(cfg.JWTSecret), cfg.AccessTokenTTL, now)
	if err != nil {
		return nil, err
	}
	p.Throttle = store.NewThrottle(p.Store, now)
	p.Auth = auth.NewService(store.AuthStore{Store: p.Store}, p.Throttle, hasher, signer, auth.Config{
		RefreshTTL:                 cfg.RefreshTokenTTL,
		LoginMaxFailuresPerAccount: cfg.LoginMaxFailuresPerAccount,
		LoginMaxFailuresPerIP:      cfg.LoginMaxFailuresPerIP,
		LoginWindow:                cfg.LoginWindow,
	}, now)
	p.Cache = httpapi.NewCache(cfg.CacheBytes, cfg.CacheEntries, cfg.CacheMaxAge)
	p.Guides = guide.NewService(store.GuideStore{Store: p.Store}, guide.CTA{
		Heading: cfg.DefaultCTAHeading, Title: cfg.DefaultCTATitle, Text: cfg.DefaultCTAText,
	}, now)
	locales, err := locale.Parse(cfg.Locales)
	if err != nil {
		return nil, fmt.Errorf("VERDICT_LOCALES: %w", err)
	}
	p.Guides.SetLocales(locales)
	p.Catalog = catalog.New(p.Guides, p.Cache)
	// The one cache of published content, dropped on every change.
	p.Guides.OnChange(p.Cache)
	p.Renderer = httpapi.NewGuideRenderer(p.Guides, store.RenderedStore{Store: p.Store}, cfg.SiteURL, log)
	p.Guides.OnChange(p.Renderer)
	p.Funnel = funnel.NewCollector(store.FunnelStore{Store: p.Store}, log, now)
	p.Leads = lead.NewService(store.LeadStore{Store: p.Store, MaxAttempts: cfg.OutboxMaxAttempts}, p.Catalog,
		mail.Composer{AdminURL: cfg.AdminURL, SiteName: cfg.SiteName},
		lead.Config{TeamEmail: cfg.TeamEmail, SendConfirmation: cfg.SendConfirmation,
			ConfirmationsPerRecipient: cfg.ConfirmationsPerRecipient, ConfirmationsPerHour: cfg.ConfirmationsPerHour}, now)
	sqlDB, err := db.DB.DB()
	if err != nil {
		return nil, fmt.Errorf("app: pool: %w", err)
	}
	outboxStore := store.OutboxStore{Store: p.Store}
	p.Metrics = metrics.New(sqlDB, string(db.Dialect), outboxStore.Stats)
	sender, err := newSender(cfg, log)
	if err != nil {
		return nil, err
	}
	p.Webhooks = webhook.NewService(store.WebhookStore{Store: p.Store, MaxAttempts: cfg.OutboxMaxAttempts}, cfg.WebhookAllowPrivate, now)
	p.Outbox = outbox.New(outboxStore, sender, map[string]outbox.Handler{
		lead.KindLeadCreated: func(ctx context.Context, m *outbox.Message) error {
			return p.Leads.Expand(ctx, m.ID, m.LeadID, m.Lease)
		},
		webhook.KindEvent:    p.Webhooks.Fanout,
		webhook.KindDelivery: p.Webhooks.Deliver,
	}, outbox.Config{
		Batch: cfg.OutboxBatch, Workers: cfg.OutboxConcurrency, Lease: cfg.OutboxLease, SendTimeout: cfg.OutboxSendTimeout, Poll: cfg.OutboxPoll,
		BackoffBase: cfg.OutboxBackoffBase, BackoffMax: cfg.OutboxBackoffMax, Observe: p.Metrics.Delivered,
	}, log, now)
	p.Outbox.HandleBatches(lead.KindLeadCreated, func(ctx context.Context, ms []*outbox.Message) error {
		events := make([]lead.Event, len(ms))
		for i, m := range ms {
			events[i] = lead.Event{ID: m.ID, LeadID: m.LeadID}
		}
		return p.Leads.ExpandBatch(ctx, events, ms[0].Lease) // the dispatcher gives a batch one lease
	})
	p.Outbox.HandleBatches(webhook.KindEvent, p.Webhooks.FanoutBatch)
	p.Media = newMedia(p, now)
	p.Audit = audit.New(store.AuditStore{Store: p.Store}, log, now)
	return p, nil
}

// Close closes the database.
func (p *Program) Close() { _ = p.DB.Close() }

// HTTPDeps are the services the HTTP layer calls; accessLog receives its
// access log (nil: none).
func (p *Program) HTTPDeps(accessLog io.Writer) httpapi.Deps {
	return httpapi.Deps{Auth: p.Auth, Guides: p.Guides, DB: p.DB, Log: p.Log, Cache: p.Cache, AccessLog: accessLog, Renderer: p.Renderer,
		Leads: p.Leads, Outbox: p.Outbox, Throttle: p.Throttle, Metrics: p.Metrics, Audit: p.Audit, Webhooks: p.Webhooks,
		Media: p.Media, MediaLibrary: media.NewLibrary(store.MediaStore{Store: p.Store}),
		Funnel: p.Funnel, FunnelGuides: p.Catalog.GuideID, FunnelReport: store.FunnelStore{Store: p.Store}}
}

// HTTPOptions are the HTTP layer's settings from the configuration.
func (p *Program) HTTPOptions(adminUI fiber.Handler) httpapi.Options {
	c := p.Config
	return httpapi.Options{
		BodyLimit: c.BodyLimit, CORSOrigins: c.CORSOrigins, TrustedProxies: c.TrustedProxies,
		PublicMaxAge: c.PublicMaxAge, IntakeLimit: c.IntakeLimit, IntakeWindow: c.IntakeWindow,
		AdminUI: adminUI, MetricsToken: c.MetricsToken, MediaMaxBytes: int64(c.MediaMaxBytes),
		SiteURL: c.SiteURL, SiteName: c.SiteName, EventsRateLimit: c.AnalyticsRateLimit,
		RequestTimeout: c.RequestTimeout, WriteTimeout: c.WriteTimeout, IdleTimeout: c.IdleTimeout,
		LogFormat: c.LogFormat, SearchLimit: c.SearchLimit,
	}
}

// newSender delivers over SMTP when VERDICT_SMTP_URL is set, else into
// .eml files in the data dir, so a zero-setup install shows the whole flow.
func newSender(cfg config.Config, log *slog.Logger) (outbox.Sender, error) {
	if cfg.SMTPURL != "" {
		return mail.NewSMTP(cfg.SMTPURL, cfg.MailFrom, cfg.OutboxConcurrency)
	}
	return mail.NewFiles(filepath.Join(cfg.DataDir, "mail"), cfg.MailFrom, log)
}

// newMedia stores uploads in PostgreSQL, which every instance shares (files
// uploaded to disk before stay readable), or with SQLite on local disk,
// under the data dir by default.
func newMedia(p *Program, now func() time.Time) *media.Service {
	dir := p.Config.MediaDir
	if dir == "" {
		dir = filepath.Join(p.Config.DataDir, "media")
	}
	var storage media.Storage = media.Disk{Dir: dir}
	if p.DB.Dialect == database.Postgres {
		storage = media.Fallback{Primary: store.MediaBlobs{Store: p.Store}, Legacy: storage}
	}
	return media.NewService(store.MediaStore{Store: p.Store}, storage, int64(p.Config.MediaMaxBytes), now)
}

// NewLogger is the process logger in VERDICT_LOG_FORMAT at VERDICT_LOG_LEVEL;
// lines logged with a request's context carry its request_id.
func NewLogger(w io.Writer, cfg config.Config) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler = slog.NewJSONHandler(w, opts)
	if cfg.LogFormat == "text" {
		h = slog.NewTextHandler(w, opts)
	}
	return slog.New(requestid.Handler{Handler: h})
}
