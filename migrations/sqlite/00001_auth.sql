-- +goose Up
CREATE TABLE users (
    id             text PRIMARY KEY,
    email          text NOT NULL,
    name           text NOT NULL DEFAULT '',
    role           text NOT NULL CHECK (role IN ('admin', 'editor', 'consultant')),
    password_hash  text NOT NULL,
    version        integer NOT NULL DEFAULT 1,
    disabled_at    datetime,
    last_login_at  datetime,
    created_at     datetime NOT NULL,
    updated_at     datetime NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE INDEX users_role_idx ON users (role, id);

CREATE TABLE refresh_tokens (
    id          text PRIMARY KEY,
    user_id     text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id   text NOT NULL,
    token_hash  text NOT NULL,
    created_at  datetime NOT NULL,
    expires_at  datetime NOT NULL,
    used_at     datetime,
    revoked_at  datetime
);
CREATE UNIQUE INDEX refresh_tokens_hash_key ON refresh_tokens (token_hash);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);

CREATE TABLE api_tokens (
    id             text PRIMARY KEY,
    name           text NOT NULL,
    scope          text NOT NULL CHECK (scope IN ('content:read', 'content:preview')),
    token_hash     text NOT NULL,
    prefix         text NOT NULL,
    created_by_id  text REFERENCES users (id) ON DELETE SET NULL,
    created_at     datetime NOT NULL,
    expires_at     datetime,
    last_used_at   datetime,
    revoked_at     datetime
);
CREATE UNIQUE INDEX api_tokens_hash_key ON api_tokens (token_hash);

-- Fixed-window counters shared by every instance (login throttling, rate limits).
CREATE TABLE throttles (
    key           text PRIMARY KEY,
    hits          integer NOT NULL,
    window_start  integer NOT NULL -- unix milliseconds
);

-- +goose Down
DROP TABLE throttles;
DROP TABLE api_tokens;
DROP TABLE refresh_tokens;
DROP TABLE users;
