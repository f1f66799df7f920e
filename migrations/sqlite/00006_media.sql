-- +goose Up
-- Uploaded images, named by the SHA-256 of their bytes: the same file
-- uploaded twice is one row and one file.
CREATE TABLE media (
    id              text PRIMARY KEY, -- hex SHA-256 of the content
    content_type    text NOT NULL,
    size            integer NOT NULL,
    original_name   text NOT NULL DEFAULT '',
    created_by_id   text REFERENCES users (id) ON DELETE SET NULL,
    created_at      datetime NOT NULL
);
CREATE INDEX media_created_idx ON media (created_at, id);

-- +goose Down
DROP TABLE media;
