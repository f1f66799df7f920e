-- +goose Up
CREATE TABLE users (
    id             uuid PRIMARY KEY,
    email          text NOT NULL,
    name           text NOT NULL DEFAULT '',
    role           text NOT NULL CHECK (role IN ('admin', 'editor', 'consultant')),
    password_hash  text NOT NULL,
    version        integer NOT NULL DEFAULT 1,
    disabled_at    timestamptz,
    last_login_at  timestamptz,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE INDEX users_role_idx ON users (role, id);

CREATE TABLE refresh_tokens (
    id          uuid PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id   uuid NOT NULL,
    token_hash  text NOT NULL,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    revoked_at  timestamptz
);
CREATE UNIQUE INDEX refresh_tokens_hash_key ON refresh_tokens (token_hash);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);

CREATE TABLE api_tokens (
    id             uuid PRIMARY KEY,
    name           text NOT NULL,
    scope          text NOT NULL CHECK (scope IN ('content:read', 'content:preview')),
    token_hash     text NOT NULL,
    prefix         text NOT NULL,
    created_by_id  uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at     timestamptz NOT NULL,
    expires_at     timestamptz,
    last_used_at   timestamptz,
    revoked_at     timestamptz
);
CREATE UNIQUE INDEX api_tokens_hash_key ON api_tokens (token_hash);

-- Fixed-window counters shared by every instance (login throttling, rate limits).
CREATE TABLE throttles (
    key           text PRIMARY KEY,
    hits          integer NOT NULL,
    window_start  bigint NOT NULL -- unix milliseconds
);

-- +goose Down
DROP TABLE throttles;
DROP TABLE api_tokens;
DROP TABLE refresh_tokens;
DROP TABLE users;
