package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/id"
	"github.com/verdict-cms/verdict/internal/outbox"
)

// Store persists endpoints and deliveries, and writes outbox rows.
type Store interface {
	InTx(ctx context.Context, fn func(Store) error) error
	CreateWebhook(ctx context.Context, w *Webhook) error
	UpdateWebhook(ctx context.Context, w *Webhook, version int) error
	DeleteWebhook(ctx context.Context, id string) error
	FindWebhook(ctx context.Context, id string) (*Webhook, error)
	ListWebhooks(ctx context.Context) ([]*Webhook, error)
	Enqueue(ctx context.Context, kind string, payload []byte, at time.Time) error
	// Complete marks a claimed outbox row done, fenced by its lease.
	Complete(ctx context.Context, outboxID string, lease, at time.Time) error
	// CompleteMany marks claimed outbox rows done, fenced by their common
	// lease, and returns the IDs it completed: the others' leases were lost.
	CompleteMany(ctx context.Context, outboxIDs []string, lease, at time.Time) ([]string, error)
	OutboxPayload(ctx context.Context, outboxID string) ([]byte, error)
	RecordDelivery(ctx context.Context, d *Delivery) error
	ListDeliveries(ctx context.Context, webhookID, beforeID string, limit int) ([]*Delivery, error)
	FindDelivery(ctx context.Context, id string) (*Delivery, error)
}

// Service manages endpoints and delivers events.
type Service struct {
	store        Store
	client       *http.Client
	allowPrivate bool
	now          func() time.Time
}

// NewService wires the webhook service; allowPrivate lets endpoints on
// loopback and private networks be registered and reached.
func NewService(store Store, allowPrivate bool, now func() time.Time) *Service {
	return &Service{store: store, client: NewClient(allowPrivate, 10*time.Second), allowPrivate: allowPrivate, now: now}
}

// Input is an endpoint as admins write it.
type Input struct {
	URL         string
	Events      []string
	Description string
	Active      bool
}

func (s *Service) validate(ctx context.Context, in Input) error {
	var f apperr.Fields
	u, err := url.Parse(in.URL)
	switch {
	case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Hostname() == "" || len(in.URL) > 2000:
		f.Add("url", "invalid", "must be an http(s) URL")
	case u.User != nil:
		f.Add("url", "invalid", "must not carry credentials")
	case !s.allowPrivate:
		if err := checkHost(ctx, u.Hostname()); err != nil {
			f.Add("url", "forbidden", err.Error()+" (allowed only with VERDICT_WEBHOOK_ALLOW_PRIVATE)")
		}
	}
	if len(in.Events) == 0 {
		f.Add("events", "required", "subscribe to at least one event")
	}
	for i, e := range in.Events {
		if !slices.Contains(Events, e) {
			f.Add(fmt.Sprintf("events[%d]", i), "unknown", "must be one of "+strings.Join(Events, ", "))
		}
	}
	if len(in.Description) > 500 {
		f.Add("description", "too_long", "must be at most 500 characters")
	}
	return f.Err()
}

// Create registers an endpoint and returns its signing secret, shown once.
func (s *Service) Create(ctx context.Context, in Input) (*Webhook, error) {
	if err := s.validate(ctx, in); err != nil {
		return nil, err
	}
	now := s.now()
	w := &Webhook{ID: id.New(), URL: in.URL, Events: slices.Compact(slices.Sorted(slices.Values(in.Events))), Secret: id.Secret("whsec_"),
		Description: in.Description, Active: in.Active, Version: 1, CreatedAt: now, UpdatedAt: now}
	return w, s.store.CreateWebhook(ctx, w)
}

// Update saves in if the endpoint is still at version; the secret stays.
func (s *Service) Update(ctx context.Context, hookID string, in Input, version int) (*Webhook, error) {
	if err := s.validate(ctx, in); err != nil {
		return nil, err
	}
	w, err := s.Get(ctx, hookID)
	if err != nil {
		return nil, err
	}
	w.URL, w.Events, w.Description, w.Active, w.UpdatedAt = in.URL, slices.Compact(slices.Sorted(slices.Values(in.Events))), in.Description, in.Active, s.now()
	return w, s.store.UpdateWebhook(ctx, w, version)
}

// Get returns one endpoint.
func (s *Service) Get(ctx context.Context, hookID string) (*Webhook, error) {
	if !id.Valid(hookID) {
		return nil, apperr.New(apperr.NotFound, "no such webhook")
	}
	return s.store.FindWebhook(ctx, hookID)
}

// Delete removes an endpoint and its delivery log.
func (s *Service) Delete(ctx context.Context, hookID string) error {
	if !id.Valid(hookID) {
		return apperr.New(apperr.NotFound, "no such webhook")
	}
	return s.store.DeleteWebhook(ctx, hookID)
}

// List returns every endpoint.
func (s *Service) List(ctx context.Context) ([]*Webhook, error) { return s.store.ListWebhooks(ctx) }

// Deliveries lists an endpoint's delivery attempts, newest first.
func (s *Service) Deliveries(ctx context.Context, hookID, beforeID string, limit int) ([]*Delivery, error) {
	if _, err := s.Get(ctx, hookID); err != nil {
		return nil, err
	}
	return s.store.ListDeliveries(ctx, hookID, beforeID, limit)
}

// Fanout is the outbox handler for events: FanoutBatch of one.
func (s *Service) Fanout(ctx context.Context, m *outbox.Message) error {
	return s.FanoutBatch(ctx, []*outbox.Message{m})
}

// FanoutBatch is the outbox batch handler for events, all under one lease:
// in one transaction it queues a delivery of each event for every active
// endpoint that subscribes, and completes the events, the endpoints listed
// once. An event whose lease was lost is left to its new holder.
func (s *Service) FanoutBatch(ctx context.Context, ms []*outbox.Message) error {
	types := make(map[string]string, len(ms)) // outbox ID → event type
	bodies := make(map[string][]byte, len(ms))
	ids := make([]string, len(ms))
	for i, m := range ms {
		var ev Event
		if err := json.Unmarshal(m.Payload, &ev); err != nil {
			return fmt.Errorf("webhook: bad event %s: %w", m.ID, err)
		}
		types[m.ID], bodies[m.ID], ids[i] = ev.Type, m.Payload, m.ID
	}
	return s.store.InTx(ctx, func(tx Store) error {
		now := s.now()
		done, err := tx.CompleteMany(ctx, ids, ms[0].Lease, now)
		if err != nil {
			return err
		}
		if len(done) == 0 {
			return apperr.New(apperr.Conflict, "the outbox message's lease expired before it completed")
		}
		hooks, err := tx.ListWebhooks(ctx)
		if err != nil {
			return err
		}
		slices.Sort(done) // oldest first, as IDs are time-ordered
		for _, msgID := range done {
			for _, w := range hooks {
				if !w.Wants(types[msgID]) {
					continue
				}
				payload, err := json.Marshal(job{WebhookID: w.ID, Event: types[msgID], Body: bodies[msgID]})
				if err != nil {
					return err
				}
				if err := tx.Enqueue(ctx, KindDelivery, payload, now); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// Deliver is the outbox handler for deliveries: it POSTs the signed event,
// logs the attempt, and completes the row on a 2xx. Any other outcome is an
// error, and the outbox retries with backoff.
func (s *Service) Deliver(ctx context.Context, m *outbox.Message) error {
	var j job
	if err := json.Unmarshal(m.Payload, &j); err != nil {
		return fmt.Errorf("webhook: bad delivery: %w", err)
	}
	w, err := s.store.FindWebhook(ctx, j.WebhookID)
	if apperr.IsKind(err, apperr.NotFound) || (err == nil && !w.Active) {
		return s.store.Complete(ctx, m.ID, m.Lease, s.now()) // the endpoint is gone or paused: drop
	} else if err != nil {
		return err
	}
	start := s.now()
	status, sendErr := s.post(ctx, w, j, m.ID)
	d := &Delivery{ID: id.New(), WebhookID: w.ID, OutboxID: m.ID, Event: j.Event, StatusCode: status,
		Duration: time.Since(start), CreatedAt: start}
	if sendErr != nil {
		d.Error = truncate(sendErr.Error(), 500)
	}
	if err := s.store.RecordDelivery(ctx, d); err != nil {
		return err
	}
	if sendErr != nil {
		return sendErr
	}
	return s.store.Complete(ctx, m.ID, m.Lease, s.now())
}

func (s *Service) post(ctx context.Context, w *Webhook, j job, deliveryID string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(j.Body))
	if err != nil {
		return 0, fmt.Errorf("webhook: request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Verdict-Webhooks/1")
	req.Header.Set("Verdict-Event", j.Event)
	req.Header.Set("Verdict-Delivery", deliveryID)
	req.Header.Set("Verdict-Signature", Sign(w.Secret, s.now(), j.Body))
	res, err := s.client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("webhook: post: %w", err)
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return res.StatusCode, fmt.Errorf("webhook: the endpoint answered %d", res.StatusCode)
	}
	return res.StatusCode, nil
}

// Redeliver queues a past delivery's event again for its endpoint.
func (s *Service) Redeliver(ctx context.Context, hookID, deliveryID string) error {
	if !id.Valid(deliveryID) {
		return apperr.New(apperr.NotFound, "no such delivery")
	}
	d, err := s.store.FindDelivery(ctx, deliveryID)
	if err != nil {
		return err
	}
	if d.WebhookID != hookID {
		return apperr.New(apperr.NotFound, "no such delivery")
	}
	payload, err := s.store.OutboxPayload(ctx, d.OutboxID)
	if err != nil {
		return err
	}
	return s.store.Enqueue(ctx, KindDelivery, payload, s.now())
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
