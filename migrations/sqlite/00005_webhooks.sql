-- +goose Up
CREATE TABLE webhooks (
    id           text PRIMARY KEY,
    url          text NOT NULL,
    events       text NOT NULL, -- comma-separated event types
    secret       text NOT NULL, -- the HMAC key; shown once at creation
    description  text NOT NULL DEFAULT '',
    active       boolean NOT NULL,
    version      integer NOT NULL DEFAULT 1,
    created_at   datetime NOT NULL,
    updated_at   datetime NOT NULL
);

-- One row per delivery attempt, for the admins' delivery log.
CREATE TABLE webhook_deliveries (
    id           text PRIMARY KEY,
    webhook_id   text NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    outbox_id    text NOT NULL,
    event        text NOT NULL,
    status_code  integer NOT NULL,
    error        text NOT NULL DEFAULT '',
    duration_ms  integer NOT NULL,
    created_at   datetime NOT NULL
);
CREATE INDEX webhook_deliveries_hook_idx ON webhook_deliveries (webhook_id, id);

-- +goose Down
DROP TABLE webhook_deliveries;
DROP TABLE webhooks;
