-- +goose Up
-- Uploaded files' bytes in pieces. With SQLite (one instance) uploads stay
-- on disk by default; the table keeps the schema the same as PostgreSQL's.
CREATE TABLE media_chunks (
    name    text NOT NULL,
    seq     integer NOT NULL,
    data    blob NOT NULL,
    PRIMARY KEY (name, seq)
);

-- +goose Down
DROP TABLE media_chunks;
