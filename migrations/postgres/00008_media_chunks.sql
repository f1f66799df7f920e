-- +goose Up
-- Uploaded files' bytes in pieces, so that every instance on this database
-- serves every upload, and a file is streamed a piece at a time, never
-- loaded whole. name is the file's public name (content hash + extension).
CREATE TABLE media_chunks (
    name    text NOT NULL,
    seq     integer NOT NULL,
    data    bytea NOT NULL,
    PRIMARY KEY (name, seq)
);
-- Images are compressed already: don't spend CPU compressing them again.
ALTER TABLE media_chunks ALTER COLUMN data SET STORAGE EXTERNAL;

-- +goose Down
DROP TABLE media_chunks;
