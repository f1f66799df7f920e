-- +goose Up
-- Funnel analytics (issue 15): counters per guide, day and locale, added to
-- by every instance's flush. No row per event, no IP, no cookie.
CREATE TABLE funnel_days (
    guide_id          text NOT NULL REFERENCES guides (id) ON DELETE CASCADE,
    day               text NOT NULL, -- YYYY-MM-DD, UTC
    locale            text NOT NULL DEFAULT '',
    views             integer NOT NULL DEFAULT 0,
    uniques           integer NOT NULL DEFAULT 0,
    checklist_starts  integer NOT NULL DEFAULT 0,
    recommendations   integer NOT NULL DEFAULT 0,
    cta_clicks        integer NOT NULL DEFAULT 0,
    leads             integer NOT NULL DEFAULT 0,
    PRIMARY KEY (guide_id, day, locale)
);
CREATE INDEX funnel_days_day_idx ON funnel_days (day);

-- Views per referrer host and per utm_source / utm_campaign.
CREATE TABLE funnel_sources (
    guide_id  text NOT NULL REFERENCES guides (id) ON DELETE CASCADE,
    day       text NOT NULL,
    locale    text NOT NULL DEFAULT '',
    kind      text NOT NULL CHECK (kind IN ('referrer', 'source', 'campaign')),
    value     text NOT NULL,
    views     integer NOT NULL DEFAULT 0,
    PRIMARY KEY (guide_id, day, locale, kind, value)
);
CREATE INDEX funnel_sources_day_idx ON funnel_sources (day);

-- Today's visitor hashes, so that instances agree on who was already
-- counted; deleted once their day is over (the salt is gone by then too).
CREATE TABLE funnel_visitors (
    day       text NOT NULL,
    guide_id  text NOT NULL REFERENCES guides (id) ON DELETE CASCADE,
    hash      text NOT NULL,
    PRIMARY KEY (day, guide_id, hash)
);

-- One random salt per UTC day, shared by every instance; deleted after a day.
CREATE TABLE funnel_salts (
    day   text PRIMARY KEY,
    salt  text NOT NULL
);

-- +goose Down
DROP TABLE funnel_salts;
DROP TABLE funnel_visitors;
DROP TABLE funnel_sources;
DROP TABLE funnel_days;
