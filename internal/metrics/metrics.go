// Package metrics exposes Verdict's Prometheus metrics: request latency per
// route, public cache hits and misses, outbox delivery counters, outbox
// depth and age, and the database pool. It owns its registry; nothing is
// registered globally.
package metrics

import (
	"context"
	"database/sql"
	"maps"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// OutboxStats reports the number of pending outbox messages and the age of
// the oldest; it is called at scrape time.
type OutboxStats func(ctx context.Context) (pending int, oldest time.Duration, err error)

// Metrics records and serves the metrics. A nil *Metrics records nothing,
// so callers need no checks.
type Metrics struct {
	registry   *prometheus.Registry
	requests   *prometheus.HistogramVec
	cache      *prometheus.CounterVec
	deliveries *prometheus.CounterVec
	cacheHit   prometheus.Counter
	cacheMiss  prometheus.Counter

	series   atomic.Pointer[map[requestLabels]prometheus.Observer]
	seriesMu sync.Mutex
}

// New builds the registry. db and outbox may be nil.
func New(db *sql.DB, dbName string, outbox OutboxStats) *Metrics {
	r := prometheus.NewRegistry()
	m := &Metrics{
		registry: r,
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "verdict_http_request_duration_seconds", Help: "HTTP request latency by route pattern, method and status.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route", "method", "status"}),
		cache: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "verdict_public_cache_requests_total", Help: "Public response cache lookups by result.",
		}, []string{"result"}),
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "verdict_outbox_deliveries_total", Help: "Outbox deliveries by kind (mail, webhook) and result (sent, failed).",
		}, []string{"kind", "result"}),
	}
	m.cacheHit, m.cacheMiss = m.cache.WithLabelValues("hit"), m.cache.WithLabelValues("miss")
	m.series.Store(&map[requestLabels]prometheus.Observer{})
	r.MustRegister(m.requests, m.cache, m.deliveries,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if db != nil {
		r.MustRegister(collectors.NewDBStatsCollector(db, dbName))
	}
	if outbox != nil {
		r.MustRegister(newOutboxCollector(outbox))
	}
	return m
}

// Request records one finished request.
func (m *Metrics) Request(route, method string, status int, d time.Duration) {
	if m == nil {
		return
	}
	m.observer(requestLabels{route, method, status}).Observe(d.Seconds())
}

// requestLabels name one series of the request histogram.
type requestLabels struct {
	route, method string
	status        int
}

// observer returns the series for k. Looking it up through the vector
// hashes three strings under a lock and formats the status on every
// request; the series a server uses are few, so they are kept in a map
// that is read without a lock and copied when a new one appears.
func (m *Metrics) observer(k requestLabels) prometheus.Observer {
	if o, ok := (*m.series.Load())[k]; ok {
		return o
	}
	m.seriesMu.Lock()
	defer m.seriesMu.Unlock()
	old := *m.series.Load()
	if o, ok := old[k]; ok {
		return o
	}
	o := m.requests.WithLabelValues(k.route, k.method, strconv.Itoa(k.status))
	next := make(map[requestLabels]prometheus.Observer, len(old)+1)
	maps.Copy(next, old)
	next[k] = o
	m.series.Store(&next)
	return o
}

// CacheHit and CacheMiss count public cache lookups.
func (m *Metrics) CacheHit() {
	if m != nil {
		m.cacheHit.Inc()
	}
}

// CacheMiss counts a public cache miss.
func (m *Metrics) CacheMiss() {
	if m != nil {
		m.cacheMiss.Inc()
	}
}

// Delivered counts an outbox delivery attempt of kind that succeeded or not.
func (m *Metrics) Delivered(kind string, ok bool) {
	if m == nil {
		return
	}
	result := "sent"
	if !ok {
		result = "failed"
	}
	m.deliveries.WithLabelValues(kind, result).Inc()
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// outboxCollector reads outbox depth and age when scraped.
type outboxCollector struct {
	stats          OutboxStats
	depth, age, up *prometheus.Desc
}

func newOutboxCollector(stats OutboxStats) *outboxCollector {
	return &outboxCollector{stats: stats,
		depth: prometheus.NewDesc("verdict_outbox_pending", "Outbox messages waiting to be delivered.", nil, nil),
		age:   prometheus.NewDesc("verdict_outbox_oldest_pending_seconds", "Age of the oldest pending outbox message.", nil, nil),
		up:    prometheus.NewDesc("verdict_outbox_stats_up", "Whether the outbox could be read at scrape time.", nil, nil),
	}
}

func (c *outboxCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.depth
	ch <- c.age
	ch <- c.up
}

func (c *outboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	n, oldest, err := c.stats(ctx)
	if err != nil {
		ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 1)
	ch <- prometheus.MustNewConstMetric(c.depth, prometheus.GaugeValue, float64(n))
	ch <- prometheus.MustNewConstMetric(c.age, prometheus.GaugeValue, oldest.Seconds())
}
