package store

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/verdict-cms/verdict/internal/webhook"
	"github.com/verdict-cms/verdict/models"
)

// WebhookStore is the webhook.Store on GORM.
type WebhookStore struct {
	*Store
	MaxAttempts int
}

var _ webhook.Store = WebhookStore{}

// eventAttempts bounds retries of an event's fan-out, which is local work.
const eventAttempts = 8

// InTx implements webhook.Store.
func (s WebhookStore) InTx(ctx context.Context, fn func(webhook.Store) error) error {
	return s.inTx(ctx, func(tx *Store) error { return fn(WebhookStore{Store: tx, MaxAttempts: s.MaxAttempts}) })
}

// CreateWebhook implements webhook.Store.
func (s WebhookStore) CreateWebhook(ctx context.Context, w *webhook.Webhook) error {
	row := toWebhookRow(w)
	return dbError("create webhook", s.db.WithContext(ctx).Create(&row).Error)
}

// UpdateWebhook implements webhook.Store.
func (s WebhookStore) UpdateWebhook(ctx context.Context, w *webhook.Webhook, version int) error {
	res := s.db.WithContext(ctx).Model(&models.Webhook{}).Where("id = ? AND version = ?", w.ID, version).
		Updates(map[string]any{"url": w.URL, "events": strings.Join(w.Events, ","), "description": w.Description,
			"active": w.Active, "updated_at": w.UpdatedAt.UTC(), "version": version + 1})
	if err := s.versioned(ctx, res, "webhook", &models.Webhook{}, w.ID); err != nil {
		return err
	}
	w.Version = version + 1
	return nil
}

// DeleteWebhook implements webhook.Store.
func (s WebhookStore) DeleteWebhook(ctx context.Context, id string) error {
	return mustAffect(s.db.WithContext(ctx).Where("id = ?", id).Delete(&models.Webhook{}), "delete webhook", "webhook")
}

// FindWebhook implements webhook.Store.
func (s WebhookStore) FindWebhook(ctx context.Context, id string) (*webhook.Webhook, error) {
	var r models.Webhook
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return nil, notFound(err, "webhook")
	}
	return toWebhook(r), nil
}

// ListWebhooks implements webhook.Store.
func (s WebhookStore) ListWebhooks(ctx context.Context) ([]*webhook.Webhook, error) {
	var rows []models.Webhook
	if err := s.db.WithContext(ctx).Order("id").Find(&rows).Error; err != nil {
		return nil, dbError("list webhooks", err)
	}
	out := make([]*webhook.Webhook, 0, len(rows))
	for _, r := range rows {
		out = append(out, toWebhook(r))
	}
	return out, nil
}

// Enqueue implements webhook.Store.
func (s WebhookStore) Enqueue(ctx context.Context, kind string, payload []byte, at time.Time) error {
	return enqueue(ctx, s.Store, kind, "", payload, at, s.MaxAttempts)
}

// Complete implements webhook.Store.
func (s WebhookStore) Complete(ctx context.Context, outboxID string, lease, at time.Time) error {
	return complete(ctx, s.Store, outboxID, lease, at)
}

// CompleteMany implements webhook.Store.
func (s WebhookStore) CompleteMany(ctx context.Context, outboxIDs []string, lease, at time.Time) ([]string, error) {
	return completeMany(ctx, s.Store, outboxIDs, lease, at)
}

// OutboxPayload implements webhook.Store.
func (s WebhookStore) OutboxPayload(ctx context.Context, outboxID string) ([]byte, error) {
	var r models.OutboxMessage
	if err := s.db.WithContext(ctx).Select("payload").Where("id = ?", outboxID).Take(&r).Error; err != nil {
		return nil, notFound(err, "outbox message")
	}
	return []byte(r.Payload), nil
}

// RecordDelivery implements webhook.Store.
func (s WebhookStore) RecordDelivery(ctx context.Context, d *webhook.Delivery) error {
	row := models.WebhookDelivery{ID: d.ID, WebhookID: d.WebhookID, OutboxID: d.OutboxID, Event: d.Event,
		StatusCode: d.StatusCode, Error: d.Error, DurationMS: int(d.Duration.Milliseconds()), CreatedAt: d.CreatedAt.UTC()}
	return dbError("record delivery", s.db.WithContext(ctx).Create(&row).Error)
}

// ListDeliveries implements webhook.Store: newest first.
func (s WebhookStore) ListDeliveries(ctx context.Context, webhookID, beforeID string, limit int) ([]*webhook.Delivery, error) {
	q := s.db.WithContext(ctx).Where("webhook_id = ?", webhookID).Order("id DESC").Limit(limit)
	if beforeID != "" {
		q = q.Where("id < ?", beforeID)
	}
	var rows []models.WebhookDelivery
	if err := q.Find(&rows).Error; err != nil {
		return nil, dbError("list deliveries", err)
	}
	out := make([]*webhook.Delivery, 0, len(rows))
	for _, r := range rows {
		out = append(out, toDelivery(r))
	}
	return out, nil
}

// FindDelivery implements webhook.Store.
func (s WebhookStore) FindDelivery(ctx context.Context, id string) (*webhook.Delivery, error) {
	var r models.WebhookDelivery
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return nil, notFound(err, "delivery")
	}
	return toDelivery(r), nil
}

// emit writes an event to the outbox inside the caller's transaction, if
// an endpoint subscribes to it.
func emit(ctx context.Context, s *Store, eventType string, data any, at time.Time) error {
	if ok, err := subscribed(ctx, s, eventType); err != nil || !ok {
		return err
	}
	payload, err := webhook.NewEvent(eventType, data, at)
	if err != nil {
		return err
	}
	return enqueue(ctx, s, webhook.KindEvent, "", payload, at, eventAttempts)
}

func toWebhookRow(w *webhook.Webhook) models.Webhook {
	return models.Webhook{ID: w.ID, URL: w.URL, Events: strings.Join(w.Events, ","), Secret: w.Secret,
		Description: w.Description, Active: w.Active, Version: w.Version, CreatedAt: w.CreatedAt.UTC(), UpdatedAt: w.UpdatedAt.UTC()}
}

func toWebhook(r models.Webhook) *webhook.Webhook {
	return &webhook.Webhook{ID: r.ID, URL: r.URL, Events: strings.Split(r.Events, ","), Secret: r.Secret,
		Description: r.Description, Active: r.Active, Version: r.Version, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

func toDelivery(r models.WebhookDelivery) *webhook.Delivery {
	return &webhook.Delivery{ID: r.ID, WebhookID: r.WebhookID, OutboxID: r.OutboxID, Event: r.Event, StatusCode: r.StatusCode,
		Error: r.Error, Duration: time.Duration(r.DurationMS) * time.Millisecond, CreatedAt: r.CreatedAt.UTC()}
}

// subscribed reports whether an active endpoint subscribes to eventType.
// Events are written only then, so an endpoint gets the events that happen
// after it is saved: an event nobody wants would cost its outbox row, a
// claim and a fan-out transaction for nothing (one per new lead).
func subscribed(ctx context.Context, s *Store, eventType string) (bool, error) {
	var lists []string
	if err := s.db.WithContext(ctx).Model(&models.Webhook{}).Where("active = ?", true).Pluck("events", &lists).Error; err != nil {
		return false, dbError("find webhook subscribers", err)
	}
	for _, l := range lists {
		if slices.Contains(strings.Split(l, ","), eventType) {
			return true, nil
		}
	}
	return false, nil
}
