package funnel

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/verdict-cms/verdict/internal/apperr"
)

// Key names one counter row: a guide's day in a locale.
type Key struct {
	GuideID, Day, Locale string
}

// Counts are a counter row's values; a flush adds them to the stored ones.
type Counts struct {
	Views, Uniques, ChecklistStarts, Recommendations, CTAClicks, Leads int64
}

// Add adds o to c.
func (c *Counts) Add(o Counts) {
	c.Views += o.Views
	c.Uniques += o.Uniques
	c.ChecklistStarts += o.ChecklistStarts
	c.Recommendations += o.Recommendations
	c.CTAClicks += o.CTAClicks
	c.Leads += o.Leads
}

// SourceKey names a views-per-source row. Kind is referrer, source or campaign.
type SourceKey struct {
	Key
	Kind, Value string
}

// VisitorKey is one visitor's hash on a guide's day.
type VisitorKey struct {
	GuideID, Day, Hash string
}

// Batch is what an instance counted since its last flush. A store adds
// Counts and Sources to its rows, inserts Visitors it has not seen and adds
// one unique to Counts[Key{…, locale}] for each it inserted, all in one
// transaction.
type Batch struct {
	Counts   map[Key]*Counts
	Sources  map[SourceKey]int64
	Visitors map[VisitorKey]string // → locale of the visitor's first view
}

func newBatch() *Batch {
	return &Batch{Counts: map[Key]*Counts{}, Sources: map[SourceKey]int64{}, Visitors: map[VisitorKey]string{}}
}

// Empty reports whether there is nothing to flush.
func (b *Batch) Empty() bool {
	return len(b.Counts) == 0 && len(b.Sources) == 0 && len(b.Visitors) == 0
}

// merge adds o into b: a failed flush goes back for the next one.
func (b *Batch) merge(o *Batch) {
	for k, c := range o.Counts {
		b.counts(k).Add(*c)
	}
	for k, n := range o.Sources {
		b.Sources[k] += n
	}
	for k, l := range o.Visitors {
		if _, ok := b.Visitors[k]; !ok {
			b.Visitors[k] = l
		}
	}
}

func (b *Batch) counts(k Key) *Counts {
	c := b.Counts[k]
	if c == nil {
		c = &Counts{}
		b.Counts[k] = c
	}
	return c
}

// Store keeps the counters. Salt returns the day's salt, storing candidate
// when no instance has stored one yet, so every instance hashes alike.
type Store interface {
	Salt(ctx context.Context, day, candidate string) (string, error)
	Flush(ctx context.Context, b *Batch) error
}

// Visitor is what identifies a reader for the day's hash. It is hashed at
// once and never stored.
type Visitor struct {
	IP, UserAgent, Site string
}

// maxPending is how many visitors and sources may wait before a flush is
// started at once (it also bounds the seen set); maxHeld is where events
// are refused until a flush has caught up.
const (
	maxPending = 50_000
	maxHeld    = 1_000_000
)

// Collector sums events in memory until the next flush.
type Collector struct {
	store Store
	now   func() time.Time
	log   *slog.Logger
	wake  chan struct{}

	mu   sync.Mutex
	b    *Batch
	seen map[VisitorKey]struct{} // flushed already: no need to insert again

	saltMu        sync.Mutex
	saltDay, salt string
	flushMu       sync.Mutex
}

// NewCollector returns a collector writing to store.
func NewCollector(store Store, log *slog.Logger, now func() time.Time) *Collector {
	return &Collector{store: store, now: now, log: log, wake: make(chan struct{}, 1), b: newBatch(), seen: map[VisitorKey]struct{}{}}
}

// Record counts validated events from one visitor.
func (c *Collector) Record(ctx context.Context, events []Event, v Visitor) error {
	day := c.now().UTC().Format(time.DateOnly)
	var hash string
	for _, e := range events {
		if e.Type == View {
			salt, err := c.saltFor(ctx, day)
			if err != nil {
				return err
			}
			hash = visitorHash(salt, v)
			break
		}
	}
	c.mu.Lock()
	if len(c.b.Visitors)+len(c.b.Sources) >= maxHeld {
		c.mu.Unlock()
		// The database is behind: refuse rather than hold without bound
		// or count what cannot be written.
		e := apperr.New(apperr.Unavailable, "analytics are catching up; try again shortly")
		e.RetryAfter = time.Second
		return e
	}
	for _, e := range events {
		k := Key{GuideID: e.GuideID, Day: day, Locale: e.Locale}
		n := c.b.counts(k)
		switch e.Type {
		case View:
			n.Views++
			vk := VisitorKey{GuideID: e.GuideID, Day: day, Hash: hash}
			if _, done := c.seen[vk]; !done {
				if _, ok := c.b.Visitors[vk]; !ok {
					c.b.Visitors[vk] = e.Locale
				}
			}
			for kind, val := range map[string]string{"referrer": e.ReferrerHost, "source": e.Source, "campaign": e.Campaign} {
				if val != "" {
					c.b.Sources[SourceKey{Key: k, Kind: kind, Value: val}]++
				}
			}
		case ChecklistStart:
			n.ChecklistStarts++
		case Recommendation:
			n.Recommendations++
		case CTAClick:
			n.CTAClicks++
		case Lead:
			n.Leads++
		}
	}
	full := len(c.b.Visitors)+len(c.b.Sources) >= maxPending
	c.mu.Unlock()
	if full {
		select {
		case c.wake <- struct{}{}:
		default:
		}
	}
	return nil
}

// visitorHash is the day's pseudonym of a reader: without the salt, which
// is deleted after a day, it cannot be linked to an address or to another day.
func visitorHash(salt string, v Visitor) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s", salt, v.Site, v.IP, v.UserAgent)
	return hex.EncodeToString(h.Sum(nil)[:16])
}

func (c *Collector) saltFor(ctx context.Context, day string) (string, error) {
	c.saltMu.Lock()
	defer c.saltMu.Unlock()
	if c.saltDay == day {
		return c.salt, nil
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	salt, err := c.store.Salt(ctx, day, hex.EncodeToString(b))
	if err != nil {
		return "", fmt.Errorf("funnel: salt of %s: %w", day, err)
	}
	c.saltDay, c.salt = day, salt
	return salt, nil
}

// Flush writes what was counted since the last flush. When the store fails
// the counts are kept for the next flush, so nothing accepted is lost while
// the instance lives.
func (c *Collector) Flush(ctx context.Context) error {
	c.flushMu.Lock()
	defer c.flushMu.Unlock()
	c.mu.Lock()
	b := c.b
	c.b = newBatch()
	c.mu.Unlock()
	if b.Empty() {
		return nil
	}
	if err := c.store.Flush(ctx, b); err != nil {
		c.mu.Lock()
		b.merge(c.b)
		c.b = b
		c.mu.Unlock()
		return fmt.Errorf("funnel: flush: %w", err)
	}
	c.mu.Lock()
	if len(c.seen)+len(b.Visitors) > maxPending {
		clear(c.seen)
	}
	for k := range b.Visitors {
		c.seen[k] = struct{}{}
	}
	c.mu.Unlock()
	return nil
}

// Run flushes every interval, and early when much is pending, until ctx
// ends; a flush under way then completes. The caller flushes once more
// after the HTTP server has drained.
func (c *Collector) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-c.wake:
		}
		// Not cancelled with ctx: a flush cut short at shutdown would leave
		// its whole batch to the final flush and its short deadline.
		if err := c.Flush(context.WithoutCancel(ctx)); err != nil {
			c.log.Warn("funnel: flush failed; counts kept for the next try", "err", err)
		}
	}
}
