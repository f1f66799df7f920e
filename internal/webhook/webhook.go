// Package webhook tells other systems what happened in Verdict: admins
// register endpoints for event types; events are written to the outbox in
// the transaction of the change that caused them, fanned out to one signed
// delivery per endpoint, and retried with the outbox's backoff.
//
// Signatures: each delivery carries Verdict-Signature: t=<unix seconds>,
// v1=<hex HMAC-SHA256 of "<t>.<body>" keyed with the endpoint's secret>.
// A receiver recomputes the HMAC over the raw body, compares in constant
// time, and rejects timestamps older than a few minutes (replays).
package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/verdict-cms/verdict/internal/id"
)

// The event types.
const (
	GuidePublished    = "guide.published"
	GuideUnpublished  = "guide.unpublished"
	GuideDeleted      = "guide.deleted"
	LeadCreated       = "lead.created"
	LeadStatusChanged = "lead.status_changed"
)

// Events lists every event type.
var Events = []string{GuidePublished, GuideUnpublished, GuideDeleted, LeadCreated, LeadStatusChanged}

// Outbox row kinds: an event to fan out, and one delivery to one endpoint.
const (
	KindEvent    = "event"
	KindDelivery = "webhook"
)

// Webhook is a registered endpoint.
type Webhook struct {
	ID          string
	URL         string
	Events      []string
	Secret      string
	Description string
	Active      bool
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Wants reports whether the endpoint subscribes to event.
func (w *Webhook) Wants(event string) bool { return w.Active && slices.Contains(w.Events, event) }

// Delivery is one attempt to deliver an event to an endpoint.
type Delivery struct {
	ID         string
	WebhookID  string
	OutboxID   string
	Event      string
	StatusCode int // 0 when no response came
	Error      string
	Duration   time.Duration
	CreatedAt  time.Time
}

// Event is the JSON body every endpoint receives.
type Event struct {
	ID        string          `json:"id"`
	Type      string          `json:"type"`
	CreatedAt time.Time       `json:"created_at"`
	Data      json.RawMessage `json:"data"`
}

// NewEvent encodes an event of type with data, for the outbox.
func NewEvent(eventType string, data any, at time.Time) ([]byte, error) {
	raw, err := json.Marshal(data)
	if err != nil {
		return nil, fmt.Errorf("webhook: encode %s data: %w", eventType, err)
	}
	return json.Marshal(Event{ID: id.New(), Type: eventType, CreatedAt: at.UTC(), Data: raw})
}

// job is the payload of a delivery row.
type job struct {
	WebhookID string          `json:"webhook_id"`
	Event     string          `json:"event"`
	Body      json.RawMessage `json:"body"`
}

// Sign returns the Verdict-Signature header value for body at t.
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac.Sum(nil))
}
