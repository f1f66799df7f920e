-- +goose Up
-- Each published guide's entry of the public list, encoded with its public
-- JSON (public_json) by the renderer and cleared with it: a page of the list
-- or of search results is then its rows' bytes, without building each entry
-- from the guide, its category and its technologies. NULL while the guide
-- waits to be rendered; the list then builds that entry as before.
ALTER TABLE published_guides ADD COLUMN list_json blob;

-- +goose Down
ALTER TABLE published_guides DROP COLUMN list_json;
