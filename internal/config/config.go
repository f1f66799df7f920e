// Package config loads Verdict's settings from environment variables. It
// never reads the environment itself: callers pass getenv, so tests and the
// CLI can supply their own.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/verdict-cms/verdict/internal/locale"
)

// Config is every setting Verdict reads at start-up.
type Config struct {
	Addr        string
	DatabaseURL string // empty: SQLite under DataDir
	DataDir     string
	JWTSecret   string // empty with SQLite: generated once into DataDir

	AccessTokenTTL  time.Duration
	RefreshTokenTTL time.Duration

	CORSOrigins    []string
	TrustedProxies []string
	BodyLimit      int

	DBMaxOpenConns    int
	DBMaxIdleConns    int
	DBConnMaxLifetime time.Duration
	MigrateOnStart    bool
	// DBConnectTimeout bounds a new PostgreSQL connection; DBStatementTimeout
	// is PostgreSQL's statement_timeout (0: none), a backstop for queries
	// whose client is gone.
	DBConnectTimeout   time.Duration
	DBStatementTimeout time.Duration
	// RequestTimeout bounds each request's database time: its context's deadline.
	RequestTimeout time.Duration
	// WriteTimeout and IdleTimeout bound slow readers and idle keep-alive connections.
	WriteTimeout time.Duration
	IdleTimeout  time.Duration
	// DatabaseListenURL is where LISTEN connects when DatabaseURL goes
	// through a pooler that cannot hold a session (PgBouncer in transaction
	// mode); empty means DatabaseURL.
	DatabaseListenURL string
	// ListenKeepalive is how often the LISTEN connection is pinged, and how
	// long a ping may take before the connection counts as dead.
	ListenKeepalive time.Duration
	// CacheMaxAge is the longest a cached public response is served.
	CacheMaxAge time.Duration

	LoginMaxFailuresPerAccount int
	LoginMaxFailuresPerIP      int
	LoginWindow                time.Duration

	// CacheBytes bounds the public cache's memory (bodies, validators, keys
	// and an estimate of bookkeeping); CacheEntries, if above 0, also
	// bounds its entries (the benches use 1 to make every read miss).
	CacheBytes        int64
	CacheEntries      int
	PublicMaxAge      time.Duration
	SchedulerInterval time.Duration
	DefaultCTAHeading string
	DefaultCTATitle   string
	DefaultCTAText    string

	SMTPURL           string // empty: mail goes to .eml files under DataDir/mail
	MailFrom          string
	TeamEmail         string
	AdminURL          string
	SiteURL           string // absolute base of hosted pages, sitemap and feed
	SiteName          string
	Locales           string // VERDICT_LOCALES: BCP 47 tags, the first is the default
	SendConfirmation  bool
	OutboxEnabled     bool // false: this instance serves only; others deliver
	OutboxMaxAttempts int
	OutboxConcurrency int
	OutboxBatch       int
	OutboxPoll        time.Duration
	OutboxBackoffBase time.Duration
	OutboxBackoffMax  time.Duration
	OutboxLease       time.Duration // a claim's lifetime unless renewed: how soon a crashed instance's messages return
	OutboxSendTimeout time.Duration // one message's deadline
	IntakeLimit       int
	SearchLimit       int // uncached searches per second per client address; 0: off
	IntakeWindow      time.Duration
	LeadRetention     time.Duration // 0 keeps leads forever

	AnalyticsRetention time.Duration // funnel counter rows older than this are deleted
	AnalyticsFlush     time.Duration // how often an instance adds its counts to the database
	AnalyticsRateLimit int           // event requests per address per minute, per instance; 0 off

	WebhookAllowPrivate bool // let webhooks target loopback and private networks
	MediaDir            string
	MediaMaxBytes       int

	MetricsAddr  string // a separate listener for /metrics, e.g. 127.0.0.1:9090
	MetricsToken string // or: /metrics on the main address for this bearer token

	BcryptCost int
	AdminEmail string // the account `verdict bootstrap` creates when no admin exists

	LogLevel  string
	LogFormat string

	ShutdownTimeout time.Duration

	// Confirmations to one prospect address, and to all, per hour.
	ConfirmationsPerRecipient, ConfirmationsPerHour int
}

// IsPostgres reports whether the database is PostgreSQL rather than SQLite.
func (c Config) IsPostgres() bool {
	return strings.HasPrefix(c.DatabaseURL, "postgres://") || strings.HasPrefix(c.DatabaseURL, "postgresql://")
}

// SQLitePath is the SQLite file used when DatabaseURL is empty or sqlite:PATH.
func (c Config) SQLitePath() string {
	if p, ok := strings.CutPrefix(c.DatabaseURL, "sqlite:"); ok && p != "" {
		return p
	}
	return filepath.Join(c.DataDir, "verdict.db")
}

// Load reads the configuration through getenv and validates it. The error
// names every bad variable, one per line.
func Load(getenv func(string) string) (Config, error) {
	p := parser{getenv: getenv}
	c := Config{
		Addr:                       p.str("VERDICT_ADDR", ":8080"),
		DatabaseURL:                p.str("VERDICT_DATABASE_URL", ""),
		DatabaseListenURL:          p.str("VERDICT_DATABASE_LISTEN_URL", ""),
		DataDir:                    p.str("VERDICT_DATA_DIR", "data"),
		JWTSecret:                  p.str("VERDICT_JWT_SECRET", ""),
		AccessTokenTTL:             p.duration("VERDICT_ACCESS_TOKEN_TTL", 15*time.Minute),
		RefreshTokenTTL:            p.duration("VERDICT_REFRESH_TOKEN_TTL", 30*24*time.Hour),
		CORSOrigins:                p.list("VERDICT_CORS_ORIGINS"),
		TrustedProxies:             p.list("VERDICT_TRUSTED_PROXIES"),
		BodyLimit:                  p.integer("VERDICT_BODY_LIMIT", 1<<20),
		DBMaxOpenConns:             p.integer("VERDICT_DB_MAX_OPEN_CONNS", 20),
		DBMaxIdleConns:             p.integer("VERDICT_DB_MAX_IDLE_CONNS", 10),
		DBConnMaxLifetime:          p.duration("VERDICT_DB_CONN_MAX_LIFETIME", 30*time.Minute),
		MigrateOnStart:             p.boolean("VERDICT_MIGRATE_ON_START", true),
		DBConnectTimeout:           p.duration("VERDICT_DB_CONNECT_TIMEOUT", 5*time.Second),
		DBStatementTimeout:         p.duration("VERDICT_DB_STATEMENT_TIMEOUT", 30*time.Second),
		RequestTimeout:             p.duration("VERDICT_REQUEST_TIMEOUT", 5*time.Second),
		WriteTimeout:               p.duration("VERDICT_WRITE_TIMEOUT", time.Minute),
		IdleTimeout:                p.duration("VERDICT_IDLE_TIMEOUT", 90*time.Second),
		ListenKeepalive:            p.duration("VERDICT_LISTEN_KEEPALIVE", 5*time.Second),
		CacheMaxAge:                p.duration("VERDICT_CACHE_MAX_AGE", 5*time.Minute),
		LoginMaxFailuresPerAccount: p.integer("VERDICT_LOGIN_MAX_FAILURES_ACCOUNT", 5),
		LoginMaxFailuresPerIP:      p.integer("VERDICT_LOGIN_MAX_FAILURES_IP", 20),
		LoginWindow:                p.duration("VERDICT_LOGIN_WINDOW", 15*time.Minute),
		CacheBytes:                 p.bytes("VERDICT_CACHE_BYTES", 64<<20),
		CacheEntries:               p.integer("VERDICT_CACHE_ENTRIES", 0),
		PublicMaxAge:               p.duration("VERDICT_PUBLIC_MAX_AGE", time.Minute),
		SchedulerInterval:          p.duration("VERDICT_SCHEDULER_INTERVAL", 5*time.Second),
		DefaultCTAHeading:          p.str("VERDICT_CTA_HEADING", "Ready to start?"),
		DefaultCTATitle:            p.str("VERDICT_CTA_TITLE", "Need help deciding?"),
		DefaultCTAText:             p.str("VERDICT_CTA_TEXT", "Every project is different. Let us analyze your specific requirements and recommend the best approach."),
		SMTPURL:                    p.str("VERDICT_SMTP_URL", ""),
		MailFrom:                   p.str("VERDICT_MAIL_FROM", "Verdict <verdict@localhost>"),
		TeamEmail:                  p.str("VERDICT_TEAM_EMAIL", "team@example.com"),
		AdminURL:                   p.str("VERDICT_ADMIN_URL", "http://localhost:8080"),
		SiteURL:                    strings.TrimSuffix(p.str("VERDICT_SITE_URL", "http://localhost:8080"), "/"),
		SiteName:                   p.str("VERDICT_SITE_NAME", "Verdict"),
		Locales:                    p.str("VERDICT_LOCALES", "en"),
		SendConfirmation:           p.boolean("VERDICT_SEND_CONFIRMATION", true),
		ConfirmationsPerRecipient:  p.integer("VERDICT_CONFIRMATIONS_PER_RECIPIENT", 3),
		ConfirmationsPerHour:       p.integer("VERDICT_CONFIRMATIONS_PER_HOUR", 200),
		OutboxEnabled:              p.boolean("VERDICT_OUTBOX_ENABLED", true),
		OutboxMaxAttempts:          p.integer("VERDICT_OUTBOX_MAX_ATTEMPTS", 8),
		OutboxConcurrency:          p.integer("VERDICT_OUTBOX_CONCURRENCY", 4),
		OutboxBatch:                p.integer("VERDICT_OUTBOX_BATCH", 64),
		OutboxPoll:                 p.duration("VERDICT_OUTBOX_POLL", 500*time.Millisecond),
		OutboxBackoffBase:          p.duration("VERDICT_OUTBOX_BACKOFF", 10*time.Second),
		OutboxBackoffMax:           p.duration("VERDICT_OUTBOX_BACKOFF_MAX", time.Hour),
		OutboxLease:                p.duration("VERDICT_OUTBOX_LEASE", 30*time.Second),
		OutboxSendTimeout:          p.duration("VERDICT_OUTBOX_SEND_TIMEOUT", 15*time.Second),
		IntakeLimit:                p.integer("VERDICT_INTAKE_RATE_LIMIT", 10),
		IntakeWindow:               p.duration("VERDICT_INTAKE_RATE_WINDOW", 10*time.Minute),
		SearchLimit:                p.integer("VERDICT_SEARCH_RATE_LIMIT", 20),
		LeadRetention:              p.duration("VERDICT_LEAD_RETENTION", 0),
		AnalyticsRetention:         p.duration("VERDICT_ANALYTICS_RETENTION", 2*365*24*time.Hour),
		AnalyticsFlush:             p.duration("VERDICT_ANALYTICS_FLUSH", 10*time.Second),
		AnalyticsRateLimit:         p.integer("VERDICT_ANALYTICS_RATE_LIMIT", 600),
		WebhookAllowPrivate:        p.boolean("VERDICT_WEBHOOK_ALLOW_PRIVATE", false),
		MediaDir:                   p.str("VERDICT_MEDIA_DIR", ""),
		MediaMaxBytes:              p.integer("VERDICT_MEDIA_MAX_BYTES", 5<<20),
		MetricsAddr:                p.str("VERDICT_METRICS_ADDR", ""),
		MetricsToken:               p.str("VERDICT_METRICS_TOKEN", ""),
		BcryptCost:                 p.integer("VERDICT_BCRYPT_COST", 12),
		AdminEmail:                 p.str("VERDICT_ADMIN_EMAIL", "admin@example.com"),
		LogLevel:                   p.str("VERDICT_LOG_LEVEL", "info"),
		LogFormat:                  p.str("VERDICT_LOG_FORMAT", "json"),
		ShutdownTimeout:            p.duration("VERDICT_SHUTDOWN_TIMEOUT", 15*time.Second),
	}
	c.validate(&p)
	return c, errors.Join(p.errs...)
}

func (c Config) validate(p *parser) {
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		p.fail("VERDICT_ADDR", "must be host:port, e.g. :8080")
	}
	if c.DatabaseURL != "" && !c.IsPostgres() && !strings.HasPrefix(c.DatabaseURL, "sqlite:") {
		p.fail("VERDICT_DATABASE_URL", "must be empty (SQLite in the data dir), sqlite:PATH or postgres://…")
	}
	if c.IsPostgres() {
		if _, err := url.Parse(c.DatabaseURL); err != nil {
			p.fail("VERDICT_DATABASE_URL", "is not a valid URL")
		}
		if c.JWTSecret == "" {
			p.fail("VERDICT_JWT_SECRET", "is required with PostgreSQL, so that every instance signs with one key (32+ characters)")
		}
	}
	if u := c.DatabaseListenURL; u != "" && !strings.HasPrefix(u, "postgres://") && !strings.HasPrefix(u, "postgresql://") {
		p.fail("VERDICT_DATABASE_LISTEN_URL", "must be empty (VERDICT_DATABASE_URL) or postgres://…")
	}
	if c.JWTSecret != "" && len(c.JWTSecret) < 32 {
		p.fail("VERDICT_JWT_SECRET", "must be at least 32 characters")
	}
	p.positiveDuration("VERDICT_ACCESS_TOKEN_TTL", c.AccessTokenTTL)
	p.positiveDuration("VERDICT_REFRESH_TOKEN_TTL", c.RefreshTokenTTL)
	p.positiveDuration("VERDICT_LOGIN_WINDOW", c.LoginWindow)
	p.positiveInt("VERDICT_BODY_LIMIT", c.BodyLimit)
	p.positiveDuration("VERDICT_DB_CONNECT_TIMEOUT", c.DBConnectTimeout)
	p.positiveDuration("VERDICT_REQUEST_TIMEOUT", c.RequestTimeout)
	p.positiveDuration("VERDICT_WRITE_TIMEOUT", c.WriteTimeout)
	p.positiveDuration("VERDICT_IDLE_TIMEOUT", c.IdleTimeout)
	p.positiveDuration("VERDICT_LISTEN_KEEPALIVE", c.ListenKeepalive)
	p.positiveDuration("VERDICT_CACHE_MAX_AGE", c.CacheMaxAge)
	if c.DBStatementTimeout < 0 {
		p.fail("VERDICT_DB_STATEMENT_TIMEOUT", "must be 0 (none) or a duration like 30s")
	}
	if c.CacheBytes <= 0 {
		p.fail("VERDICT_CACHE_BYTES", "must be greater than zero")
	}
	if c.CacheEntries < 0 {
		p.fail("VERDICT_CACHE_ENTRIES", "must be 0 (no bound but bytes) or more")
	}
	p.positiveInt("VERDICT_MEDIA_MAX_BYTES", c.MediaMaxBytes)
	p.positiveDuration("VERDICT_PUBLIC_MAX_AGE", c.PublicMaxAge)
	p.positiveDuration("VERDICT_SCHEDULER_INTERVAL", c.SchedulerInterval)
	p.positiveInt("VERDICT_DB_MAX_OPEN_CONNS", c.DBMaxOpenConns)
	p.positiveInt("VERDICT_LOGIN_MAX_FAILURES_ACCOUNT", c.LoginMaxFailuresPerAccount)
	p.positiveInt("VERDICT_LOGIN_MAX_FAILURES_IP", c.LoginMaxFailuresPerIP)
	p.positiveInt("VERDICT_CONFIRMATIONS_PER_RECIPIENT", c.ConfirmationsPerRecipient)
	p.positiveInt("VERDICT_CONFIRMATIONS_PER_HOUR", c.ConfirmationsPerHour)
	p.positiveInt("VERDICT_OUTBOX_MAX_ATTEMPTS", c.OutboxMaxAttempts)
	p.positiveInt("VERDICT_OUTBOX_CONCURRENCY", c.OutboxConcurrency)
	p.positiveInt("VERDICT_OUTBOX_BATCH", c.OutboxBatch)
	p.positiveDuration("VERDICT_OUTBOX_POLL", c.OutboxPoll)
	p.positiveDuration("VERDICT_OUTBOX_BACKOFF", c.OutboxBackoffBase)
	p.positiveDuration("VERDICT_OUTBOX_BACKOFF_MAX", c.OutboxBackoffMax)
	p.positiveDuration("VERDICT_OUTBOX_SEND_TIMEOUT", c.OutboxSendTimeout)
	if c.OutboxLease < time.Second {
		// Held leases are renewed every third of it; a shorter one could run
		// out during one slow database write and hand a message to another
		// instance while it is being delivered.
		p.fail("VERDICT_OUTBOX_LEASE", "must be at least 1s")
	}
	p.positiveDuration("VERDICT_INTAKE_RATE_WINDOW", c.IntakeWindow)
	if c.SearchLimit < 0 {
		p.fail("VERDICT_SEARCH_RATE_LIMIT", "must be 0 (off) or more")
	}
	if c.IntakeLimit < 0 {
		p.fail("VERDICT_INTAKE_RATE_LIMIT", "must be 0 (off) or more")
	}
	p.positiveDuration("VERDICT_ANALYTICS_RETENTION", c.AnalyticsRetention)
	p.positiveDuration("VERDICT_ANALYTICS_FLUSH", c.AnalyticsFlush)
	if c.AnalyticsRateLimit < 0 {
		p.fail("VERDICT_ANALYTICS_RATE_LIMIT", "must be 0 (off) or more")
	}
	if c.LeadRetention < 0 {
		p.fail("VERDICT_LEAD_RETENTION", "must be 0 (keep forever) or a duration like 8760h")
	}
	if c.SMTPURL != "" {
		if u, err := url.Parse(c.SMTPURL); err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
			p.fail("VERDICT_SMTP_URL", "must look like smtp://user:password@host:587 or smtps://host:465")
		}
	}
	if _, err := mail.ParseAddress(c.MailFrom); err != nil {
		p.fail("VERDICT_MAIL_FROM", "must be an address like Verdict <verdict@example.com>")
	}
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			p.fail("VERDICT_METRICS_ADDR", "must be host:port, e.g. 127.0.0.1:9090")
		}
	}
	if c.MetricsToken != "" && len(c.MetricsToken) < 16 {
		p.fail("VERDICT_METRICS_TOKEN", "must be at least 16 characters")
	}
	if c.BcryptCost < 4 || c.BcryptCost > 31 {
		p.fail("VERDICT_BCRYPT_COST", "must be from 4 to 31")
	}
	if u, err := url.Parse(c.SiteURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		p.fail("VERDICT_SITE_URL", "must be an absolute http(s) URL like https://guides.example.com")
	}
	for _, o := range c.CORSOrigins {
		if u, err := url.Parse(o); o != "*" && (err != nil || u.Scheme == "" || u.Host == "") {
			p.fail("VERDICT_CORS_ORIGINS", fmt.Sprintf("%q is not an origin like https://example.com", o))
		}
	}
	if _, err := locale.Parse(c.Locales); err != nil {
		p.fail("VERDICT_LOCALES", err.Error())
	}
	for _, tp := range c.TrustedProxies {
		if _, err := netip.ParsePrefix(tp); err != nil {
			if _, err := netip.ParseAddr(tp); err != nil {
				p.fail("VERDICT_TRUSTED_PROXIES", fmt.Sprintf("%q is not an IP address or CIDR like 10.0.0.0/8", tp))
			}
		}
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		p.fail("VERDICT_LOG_LEVEL", "must be debug, info, warn or error")
	}
	switch c.LogFormat {
	case "json", "text":
	default:
		p.fail("VERDICT_LOG_FORMAT", "must be json or text")
	}
}

// parser reads typed values and collects one error per bad variable.
type parser struct {
	getenv func(string) string
	errs   []error
}

func (p *parser) fail(name, msg string) {
	p.errs = append(p.errs, fmt.Errorf("%s %s", name, msg))
}

func (p *parser) str(name, def string) string {
	if v := strings.TrimSpace(p.getenv(name)); v != "" {
		return v
	}
	return def
}

func (p *parser) list(name string) []string {
	var out []string
	for _, s := range strings.Split(p.getenv(name), ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (p *parser) integer(name string, def int) int {
	v := p.getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		p.fail(name, fmt.Sprintf("must be a whole number, got %q", v))
		return def
	}
	return n
}

// bytes reads a size: a whole number of bytes, or with a binary unit (64MB,
// 64MiB, 512k).
func (p *parser) bytes(name string, def int64) int64 {
	v := strings.TrimSpace(p.getenv(name))
	if v == "" {
		return def
	}
	num := strings.TrimRight(v, "kKmMgGiIbB")
	unit := map[string]int64{"": 1, "b": 1, "k": 1 << 10, "kb": 1 << 10, "kib": 1 << 10,
		"m": 1 << 20, "mb": 1 << 20, "mib": 1 << 20, "g": 1 << 30, "gb": 1 << 30, "gib": 1 << 30}[strings.ToLower(v[len(num):])]
	n, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
	if err != nil || unit == 0 || n > (1<<62)/unit {
		p.fail(name, fmt.Sprintf("must be a size in bytes like 67108864 or 64MB, got %q", v))
		return def
	}
	return n * unit
}

func (p *parser) duration(name string, def time.Duration) time.Duration {
	v := p.getenv(name)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(strings.TrimSpace(v))
	if err != nil {
		p.fail(name, fmt.Sprintf("must be a duration like 15m or 1h, got %q", v))
		return def
	}
	return d
}

func (p *parser) boolean(name string, def bool) bool {
	v := p.getenv(name)
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(strings.TrimSpace(v))
	if err != nil {
		p.fail(name, fmt.Sprintf("must be true or false, got %q", v))
		return def
	}
	return b
}

func (p *parser) positiveInt(name string, n int) {
	if n <= 0 {
		p.fail(name, "must be greater than zero")
	}
}

func (p *parser) positiveDuration(name string, d time.Duration) {
	if d <= 0 {
		p.fail(name, "must be greater than zero")
	}
}

// LogValue lets the configuration be logged without its secrets: the
// database URL's password and the JWT secret are never written out.
func (c Config) LogValue() slog.Value {
	db := "sqlite:" + c.SQLitePath()
	if c.IsPostgres() {
		if u, err := url.Parse(c.DatabaseURL); err == nil {
			db = u.Redacted()
		}
	}
	return slog.GroupValue(
		slog.String("addr", c.Addr),
		slog.String("database", db),
		slog.Bool("jwt_secret_set", c.JWTSecret != ""),
		slog.Any("cors_origins", c.CORSOrigins),
		slog.Bool("migrate_on_start", c.MigrateOnStart),
		slog.String("smtp", redactedURL(c.SMTPURL)),
	)
}

func redactedURL(raw string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "(invalid)"
	}
	return u.Redacted()
}
