-- +goose Up
CREATE TABLE categories (
    id           text PRIMARY KEY,
    slug         text NOT NULL,
    name         text NOT NULL,
    description  text NOT NULL DEFAULT '',
    position     integer NOT NULL DEFAULT 0,
    version      integer NOT NULL DEFAULT 1,
    created_at   datetime NOT NULL,
    updated_at   datetime NOT NULL
);
CREATE UNIQUE INDEX categories_slug_key ON categories (slug);

CREATE TABLE technologies (
    id           text PRIMARY KEY,
    slug         text NOT NULL,
    name         text NOT NULL,
    description  text NOT NULL DEFAULT '',
    language     text NOT NULL DEFAULT '',
    website_url  text NOT NULL DEFAULT '',
    logo_url     text NOT NULL DEFAULT '',
    version      integer NOT NULL DEFAULT 1,
    created_at   datetime NOT NULL,
    updated_at   datetime NOT NULL
);
CREATE UNIQUE INDEX technologies_slug_key ON technologies (slug);

-- A guide's identity and editorial state. Its content lives in revisions:
-- draft_revision_id is what editors work on, published_revision_id what the
-- public sees (copied into published_guides).
CREATE TABLE guides (
    id                     text PRIMARY KEY,
    slug                   text NOT NULL,
    status                 text NOT NULL CHECK (status IN ('draft', 'scheduled', 'published', 'archived')),
    title                  text NOT NULL,
    summary                text NOT NULL,
    category_id            text NOT NULL REFERENCES categories (id),
    version                integer NOT NULL,
    draft_revision_id      text,
    published_revision_id  text,
    author_id              text REFERENCES users (id) ON DELETE SET NULL,
    last_editor_id         text REFERENCES users (id) ON DELETE SET NULL,
    scheduled_at           datetime,
    published_at           datetime,
    created_at             datetime NOT NULL,
    updated_at             datetime NOT NULL
);
CREATE UNIQUE INDEX guides_slug_key ON guides (slug);
CREATE INDEX guides_status_idx ON guides (status, id);
CREATE INDEX guides_category_idx ON guides (category_id);
CREATE INDEX guides_due_idx ON guides (scheduled_at) WHERE status = 'scheduled';

CREATE TABLE guide_revisions (
    id          text PRIMARY KEY,
    guide_id    text NOT NULL REFERENCES guides (id) ON DELETE CASCADE,
    number      integer NOT NULL,
    action      text NOT NULL,
    document    text NOT NULL,
    author_id   text REFERENCES users (id) ON DELETE SET NULL,
    created_at  datetime NOT NULL
);
CREATE UNIQUE INDEX guide_revisions_number_key ON guide_revisions (guide_id, number);

-- Which technologies and guides a guide's draft (published = false) and
-- published snapshot (published = true) refer to: for filters, and to refuse
-- deleting what is still referenced.
CREATE TABLE guide_technologies (
    guide_id       text NOT NULL REFERENCES guides (id) ON DELETE CASCADE,
    technology_id  text NOT NULL REFERENCES technologies (id),
    published      boolean NOT NULL,
    position       integer NOT NULL,
    PRIMARY KEY (guide_id, published, technology_id)
);
CREATE INDEX guide_technologies_tech_idx ON guide_technologies (technology_id, published);

CREATE TABLE guide_links (
    guide_id   text NOT NULL REFERENCES guides (id) ON DELETE CASCADE,
    target_id  text NOT NULL REFERENCES guides (id),
    published  boolean NOT NULL,
    PRIMARY KEY (guide_id, published, target_id)
);
CREATE INDEX guide_links_target_idx ON guide_links (target_id);

-- The public side: one row per published guide, never a draft.
CREATE TABLE published_guides (
    guide_id      text PRIMARY KEY REFERENCES guides (id) ON DELETE CASCADE,
    slug          text NOT NULL,
    title         text NOT NULL,
    summary       text NOT NULL,
    category_id   text NOT NULL REFERENCES categories (id),
    revision_id   text NOT NULL,
    document      text NOT NULL,
    published_at  datetime NOT NULL
);
CREATE UNIQUE INDEX published_guides_slug_key ON published_guides (slug);
CREATE INDEX published_guides_published_idx ON published_guides (published_at, guide_id);
CREATE INDEX published_guides_title_idx ON published_guides (title, guide_id);
CREATE INDEX published_guides_category_idx ON published_guides (category_id);
-- Full-text search over published guides (title, summary, body).
CREATE VIRTUAL TABLE published_guides_fts USING fts5(
    guide_id UNINDEXED, title, summary, body, tokenize = 'porter unicode61'
);

-- +goose Down
DROP TABLE published_guides_fts;
DROP TABLE published_guides;
DROP TABLE guide_links;
DROP TABLE guide_technologies;
DROP TABLE guide_revisions;
DROP TABLE guides;
DROP TABLE technologies;
DROP TABLE categories;
