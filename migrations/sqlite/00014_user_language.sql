-- The interface language a person chose (a BCP 47 code such as "fa-AF");
-- empty means the browser's Accept-Language decides.

-- +goose Up
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE users DROP COLUMN language;
