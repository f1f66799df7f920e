// Package httpapi is Verdict's HTTP surface on Fiber: every route is listed
// in routes.go, handlers return errors to the one problem renderer in
// problem.go, and wire formats live here apart from the domain types.
package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/verdict-cms/verdict/internal/audit"
	"github.com/verdict-cms/verdict/internal/auth"
	"github.com/verdict-cms/verdict/internal/embedjs"
	"github.com/verdict-cms/verdict/internal/funnel"
	"github.com/verdict-cms/verdict/internal/guide"
	"github.com/verdict-cms/verdict/internal/lead"
	"github.com/verdict-cms/verdict/internal/media"
	"github.com/verdict-cms/verdict/internal/metrics"
	"github.com/verdict-cms/verdict/internal/outbox"
	"github.com/verdict-cms/verdict/internal/site"
	"github.com/verdict-cms/verdict/internal/webhook"
)

// Pinger reports whether the database answers.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Options configures the HTTP layer.
type Options struct {
	BodyLimit      int
	CORSOrigins    []string
	TrustedProxies []string
	// PublicMaxAge is how long CDNs and browsers may reuse a public response.
	PublicMaxAge time.Duration
	// IntakeLimit consultation requests per client IP per IntakeWindow, on
	// every instance together; 0 turns the limit off.
	IntakeLimit  int
	IntakeWindow time.Duration
	// MetricsToken, when set, serves /metrics to requests bearing it.
	MetricsToken string
	// MediaMaxBytes bounds an image upload (default 5 MiB).
	MediaMaxBytes int64
	// RequestTimeout is the deadline of each request's context (default 5s).
	RequestTimeout time.Duration
	// WriteTimeout and IdleTimeout bound slow readers and idle connections
	// (defaults 1m and 90s).
	WriteTimeout time.Duration
	IdleTimeout  time.Duration
	// AdminUI serves /admin; nil serves a page that explains how to build it.
	AdminUI fiber.Handler
	// SearchLimit is how many uncached searches (?q=) one client address
	// may run per second; 0 turns the limit off.
	SearchLimit int
	// SiteURL is the absolute base URL of hosted pages (VERDICT_SITE_URL).
	SiteURL string
	// SiteName titles the Atom feed; SitemapPageSize is how many URLs one
	// sitemap file holds before /sitemap.xml becomes an index (50,000).
	SiteName        string
	SitemapPageSize int
	// EventsRateLimit is how many event requests one address may send per
	// minute to this instance; 0 turns the limit off.
	EventsRateLimit int
	// LogFormat is VERDICT_LOG_FORMAT ("json" or "text"): the access log
	// writes its lines in it, like every other log line.
	LogFormat string
}

// Deps are the services the HTTP layer calls.
type Deps struct {
	Auth   *auth.Service
	Guides *guide.Service
	DB     Pinger
	Log    *slog.Logger
	// Cache holds public responses; the guide service invalidates it.
	Cache *Cache
	// AccessLog receives one line per request (Options.LogFormat); nil logs none.
	AccessLog io.Writer
	Leads     *lead.Service
	Outbox    *outbox.Dispatcher
	// Throttle counts intake submissions per IP across instances.
	Throttle auth.Throttle
	Metrics  *metrics.Metrics
	Audit    *audit.Log
	Webhooks *webhook.Service
	Media    *media.Service
	// Renderer serves guide cache misses from stored renderings; nil builds
	// each miss from the guide's document.
	Renderer *GuideRenderer

	// MediaLibrary searches uploads, says where each is used, deletes unused ones.
	MediaLibrary *media.Library
	// Funnel counts page events; FunnelGuides resolves their guides and
	// FunnelReport reads the counters. Nil Funnel turns /events off.
	Funnel       *funnel.Collector
	FunnelGuides funnel.Resolver
	FunnelReport funnel.ReportStore
}

// API holds the HTTP layer's dependencies.
type API struct {
	auth     *auth.Service
	guides   *guide.Service
	db       Pinger
	log      *slog.Logger
	opts     Options
	cache    publicCache
	public   []byte // Cache-Control of public responses
	ids      *requestIDs
	access   *accessLog
	leads    *lead.Service
	outbox   *outbox.Dispatcher
	throttle auth.Throttle
	onLead   func()
	metrics  *metrics.Metrics
	audit    *audit.Log
	webhooks *webhook.Service
	openapi  []byte
	media    *media.Service
	site     *site.Renderer
	proxies  proxies
	renderer *GuideRenderer
	searches *searchLimiter

	mediaLibrary *media.Library

	funnel       *funnel.Collector
	funnelGuides funnel.Resolver
	funnelReport funnel.ReportStore
	eventLimit   *funnel.Limiter
}

// withDefaults fills in the options left zero.
func (o Options) withDefaults() Options {
	if o.MediaMaxBytes <= 0 {
		o.MediaMaxBytes = 5 << 20
	}
	if o.RequestTimeout <= 0 {
		o.RequestTimeout = 5 * time.Second
	}
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = time.Minute
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = 90 * time.Second
	}
	if o.PublicMaxAge <= 0 {
		o.PublicMaxAge = time.Minute
	}
	return o
}

// ServerConfig is the transport side of Verdict's Fiber configuration:
// buffers, timeouts and how bodies are read, with opts' defaults filled in.
// bench/ceiling runs it too, so that the benchmark's reference server is
// tuned as Verdict is and the ratio measures what Verdict's handlers and
// middleware add.
func ServerConfig(opts Options) fiber.Config {
	opts = opts.withDefaults()
	return fiber.Config{
		// Request bodies are streamed, not buffered whole: the JSON routes
		// check opts.BodyLimit (limitJSONBody), the upload route
		// opts.MediaMaxBytes (handleMediaUpload). No multipart form is
		// parsed before a handler asks for it.
		BodyLimit:                    max(opts.BodyLimit, int(opts.MediaMaxBytes)+multipartSlack),
		StreamRequestBody:            true,
		DisablePreParseMultipartForm: true,
		DisableStartupMessage:        true,
		CaseSensitive:                true,
		ReadTimeout:                  15 * time.Second,
		// WriteTimeout bounds a slow reader of a streamed file; IdleTimeout
		// an idle keep-alive connection.
		WriteTimeout:            opts.WriteTimeout,
		IdleTimeout:             opts.IdleTimeout,
		EnableTrustedProxyCheck: false, // c.IP() is the socket peer; clientAddr reads X-Forwarded-For

		// A guide's JSON (~7 KB) in one write system call, not two.
		WriteBufferSize: 16 << 10,
	}
}

// New builds the Fiber app with every route and middleware.
func New(d Deps, opts Options) *fiber.App {
	if d.Cache == nil {
		d.Cache = NewCache(64<<20, 0, 0)
	}
	opts = opts.withDefaults()
	a := &API{auth: d.Auth, guides: d.Guides, db: d.DB, log: d.Log, opts: opts, cache: publicCache{d.Cache}, ids: newRequestIDs(),
		leads: d.Leads, outbox: d.Outbox, throttle: d.Throttle, metrics: d.Metrics, audit: d.Audit, webhooks: d.Webhooks, openapi: mustOpenAPI(), media: d.Media, renderer: d.Renderer}
	a.funnel, a.funnelGuides, a.funnelReport = d.Funnel, d.FunnelGuides, d.FunnelReport
	a.eventLimit = funnel.NewLimiter(opts.EventsRateLimit, time.Minute, time.Now)
	a.searches = newSearchLimiter(opts.SearchLimit, time.Now)
	a.site = site.Must(site.Options{SiteURL: strings.TrimSuffix(opts.SiteURL, "/"), WidgetURL: embedjs.Path})
	a.mediaLibrary = d.MediaLibrary
	if d.Outbox != nil {
		a.onLead = d.Outbox.Wake // deliver a new lead's mail now, not at the next poll
	}
	if d.AccessLog != nil {
		a.access = newAccessLog(d.AccessLog, opts.LogFormat)
	}
	prox, err := parseProxies(opts.TrustedProxies)
	if err != nil { // config.Validate refuses these; never trust a list half-read
		d.Log.Error("ignoring VERDICT_TRUSTED_PROXIES", "err", err)
	}
	a.proxies = prox
	a.public = fmt.Appendf(nil, "public, max-age=%d, stale-while-revalidate=%d", int(opts.PublicMaxAge.Seconds()), 5*int(opts.PublicMaxAge.Seconds()))
	cfg := ServerConfig(opts)
	cfg.AppName = "verdict"
	cfg.ErrorHandler = a.handleError
	cfg.JSONEncoder, cfg.JSONDecoder = json.Marshal, json.Unmarshal
	app := fiber.New(cfg)
	app.Use(a.frame)
	if len(opts.CORSOrigins) > 0 {
		app.Use(newCORS(opts.CORSOrigins).handle) // cors.go: per-route-class allowlist
	}
	a.routes(app)
	return app
}
