-- Roster: the default roster page is ordered by the students' names; this
-- index lets the database walk the names in order and stop after a page.

-- +goose Up
CREATE INDEX users_full_name_idx ON users (lower(full_name));

-- +goose Down
DROP INDEX users_full_name_idx;
