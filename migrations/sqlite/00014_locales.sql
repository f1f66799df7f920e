-- +goose Up
-- Locales. The guide, category and technology tables hold the default
-- locale (the first of VERDICT_LOCALES): existing content is that locale
-- as it stands. The tables below hold the other locales' texts; the
-- structure of a guide (options, weights, related guides, IDs) stays in
-- the default locale's document and is shared by every translation.

-- One translation of a guide: its own slug, draft, revisions, publish
-- state and schedule. source_texts is the default locale's texts as they
-- were when an editor last saved or reviewed the translation; what differs
-- from the source's current texts is what is out of date.
CREATE TABLE guide_translations (
    guide_id               text NOT NULL REFERENCES guides (id) ON DELETE CASCADE,
    locale                 text NOT NULL,
    slug                   text NOT NULL,
    title                  text NOT NULL,
    status                 text NOT NULL CHECK (status IN ('draft', 'scheduled', 'published')),
    version                integer NOT NULL,
    draft_revision_id      text,
    published_revision_id  text,
    source_texts           text NOT NULL,
    scheduled_at           datetime,
    published_at           datetime,
    created_at             datetime NOT NULL,
    updated_at             datetime NOT NULL,
    PRIMARY KEY (guide_id, locale)
);
CREATE UNIQUE INDEX guide_translations_slug_key ON guide_translations (locale, slug);
CREATE INDEX guide_translations_due_idx ON guide_translations (scheduled_at) WHERE status = 'scheduled';

CREATE TABLE guide_translation_revisions (
    id          text PRIMARY KEY,
    guide_id    text NOT NULL,
    locale      text NOT NULL,
    number      integer NOT NULL,
    action      text NOT NULL,
    document    text NOT NULL,
    author_id   text REFERENCES users (id) ON DELETE SET NULL,
    created_at  datetime NOT NULL,
    FOREIGN KEY (guide_id, locale) REFERENCES guide_translations (guide_id, locale) ON DELETE CASCADE
);
CREATE UNIQUE INDEX guide_translation_revisions_number_key ON guide_translation_revisions (guide_id, locale, number);

-- The public side of a translation: the published texts merged onto the
-- default locale's published structure, with its pre-encoded public JSON
-- (as published_guides since 00013).
CREATE TABLE published_translations (
    guide_id      text NOT NULL REFERENCES guides (id) ON DELETE CASCADE,
    locale        text NOT NULL,
    slug          text NOT NULL,
    title         text NOT NULL,
    summary       text NOT NULL,
    category_id   text NOT NULL REFERENCES categories (id),
    revision_id   text NOT NULL,
    document      text NOT NULL,
    published_at  datetime NOT NULL,
    public_json   blob,
    public_etag   text,
    public_key    text,
    public_gen    integer NOT NULL DEFAULT 0,
    PRIMARY KEY (guide_id, locale)
);
CREATE UNIQUE INDEX published_translations_slug_key ON published_translations (locale, slug);
CREATE INDEX published_translations_published_idx ON published_translations (locale, published_at, guide_id);
CREATE INDEX published_translations_title_idx ON published_translations (locale, title, guide_id);

CREATE TABLE category_translations (
    category_id  text NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
    locale       text NOT NULL,
    name         text NOT NULL,
    description  text NOT NULL DEFAULT '',
    PRIMARY KEY (category_id, locale)
);

CREATE TABLE technology_translations (
    technology_id  text NOT NULL REFERENCES technologies (id) ON DELETE CASCADE,
    locale         text NOT NULL,
    name           text NOT NULL,
    description    text NOT NULL DEFAULT '',
    PRIMARY KEY (technology_id, locale)
);

-- The prospect's locale, for the confirmation email; '' is the default.
ALTER TABLE leads ADD COLUMN locale text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE leads DROP COLUMN locale;
DROP TABLE technology_translations;
DROP TABLE category_translations;
DROP TABLE published_translations;
DROP TABLE guide_translation_revisions;
DROP TABLE guide_translations;
