-- +goose Up
-- token_epoch counts "sign out everywhere" events (password change, reset,
-- logout). Access tokens carry the epoch they were issued in; a token from an
-- older epoch is refused on every instance. A counter rather than a cut-off
-- time, so that tokens issued in the same clock tick before and after the
-- change are told apart and clocks of different instances need not agree.
ALTER TABLE users ADD COLUMN token_epoch integer NOT NULL DEFAULT 0;
-- The epoch a refresh token was issued in: one issued by a refresh that
-- raced a sign-out is refused at its next use.
ALTER TABLE refresh_tokens ADD COLUMN token_epoch integer NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE refresh_tokens DROP COLUMN token_epoch;
ALTER TABLE users DROP COLUMN token_epoch;
