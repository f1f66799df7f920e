-- +goose Up
CREATE TABLE consultant_profiles (
    user_id           uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    active            boolean NOT NULL,
    last_assigned_at  timestamptz,
    updated_at        timestamptz NOT NULL
);
CREATE TABLE consultant_technologies (
    user_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    technology_id  uuid NOT NULL REFERENCES technologies (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, technology_id)
);
CREATE INDEX consultant_technologies_tech_idx ON consultant_technologies (technology_id);
CREATE TABLE consultant_categories (
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    category_id  uuid NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, category_id)
);
CREATE INDEX consultant_categories_cat_idx ON consultant_categories (category_id);

CREATE TABLE leads (
    id                      uuid PRIMARY KEY,
    reference               text NOT NULL,
    status                  text NOT NULL CHECK (status IN ('new', 'contacted', 'qualified', 'won', 'lost', 'spam')),
    name                    text NOT NULL,
    email                   text NOT NULL,
    company                 text NOT NULL DEFAULT '',
    role                    text NOT NULL DEFAULT '',
    project                 text NOT NULL,
    guide_id                uuid REFERENCES guides (id) ON DELETE SET NULL,
    guide_slug              text NOT NULL DEFAULT '',
    guide_title             text NOT NULL DEFAULT '',
    answers                 jsonb NOT NULL,
    preferred_technologies  jsonb NOT NULL,
    request_volume          text NOT NULL DEFAULT '',
    team_language           text NOT NULL DEFAULT '',
    timeline                text NOT NULL DEFAULT '',
    budget                  text NOT NULL DEFAULT '',
    consented_at            timestamptz,
    referrer                text NOT NULL DEFAULT '',
    utm                     jsonb NOT NULL,
    ip                      text NOT NULL DEFAULT '',
    user_agent              text NOT NULL DEFAULT '',
    owner_id                uuid REFERENCES users (id) ON DELETE SET NULL,
    idempotency_key         text,
    request_hash            text NOT NULL DEFAULT '',
    created_at              timestamptz NOT NULL,
    updated_at              timestamptz NOT NULL,
    closed_at               timestamptz,
    erased_at               timestamptz
);
CREATE UNIQUE INDEX leads_reference_key ON leads (reference);
CREATE UNIQUE INDEX leads_idempotency_key ON leads (idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX leads_owner_idx ON leads (owner_id, id);
CREATE INDEX leads_status_idx ON leads (status, id);
CREATE INDEX leads_created_idx ON leads (created_at);
CREATE INDEX leads_guide_idx ON leads (guide_slug, id);

CREATE TABLE lead_notes (
    id          uuid PRIMARY KEY,
    lead_id     uuid NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    author_id   uuid REFERENCES users (id) ON DELETE SET NULL,
    body        text NOT NULL,
    created_at  timestamptz NOT NULL
);
CREATE INDEX lead_notes_lead_idx ON lead_notes (lead_id, created_at);

-- Who did what: kept when what it names is gone (an erased lead).
CREATE TABLE audit_log (
    id            uuid PRIMARY KEY,
    actor_id      uuid,
    action        text NOT NULL,
    subject_type  text NOT NULL,
    subject_id    text NOT NULL,
    detail        text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL
);
CREATE INDEX audit_log_created_idx ON audit_log (created_at, id);

-- The transactional outbox: written in the same transaction as what caused
-- it, delivered by workers that claim rows under a lease.
CREATE TABLE outbox (
    id               uuid PRIMARY KEY,
    kind             text NOT NULL,
    lead_id          uuid REFERENCES leads (id) ON DELETE SET NULL,
    payload          text NOT NULL,
    status           text NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts         integer NOT NULL DEFAULT 0,
    max_attempts     integer NOT NULL,
    next_attempt_at  timestamptz NOT NULL,
    locked_until     timestamptz,
    last_error       text NOT NULL DEFAULT '',
    created_at       timestamptz NOT NULL,
    sent_at          timestamptz
);
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX outbox_status_idx ON outbox (status, id);
CREATE INDEX outbox_lead_idx ON outbox (lead_id);

-- +goose Down
DROP TABLE outbox;
DROP TABLE audit_log;
DROP TABLE lead_notes;
DROP TABLE leads;
DROP TABLE consultant_categories;
DROP TABLE consultant_technologies;
DROP TABLE consultant_profiles;
