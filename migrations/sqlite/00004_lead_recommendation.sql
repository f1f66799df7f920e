-- +goose Up
-- The recommendation computed when the lead arrived, kept as it was then,
-- and its top option (or "tie") for analytics.
ALTER TABLE leads ADD COLUMN recommendation text NOT NULL DEFAULT '';
ALTER TABLE leads ADD COLUMN recommended text NOT NULL DEFAULT '';
CREATE INDEX leads_guide_created_idx ON leads (guide_slug, created_at);
CREATE INDEX leads_guide_status_idx ON leads (guide_slug, status);
CREATE INDEX leads_guide_recommended_idx ON leads (guide_slug, recommended);

-- +goose Down
DROP INDEX leads_guide_recommended_idx;
DROP INDEX leads_guide_status_idx;
DROP INDEX leads_guide_created_idx;
ALTER TABLE leads DROP COLUMN recommended;
ALTER TABLE leads DROP COLUMN recommendation;
