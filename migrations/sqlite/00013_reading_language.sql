-- A reading's language, as a BCP 47 tag ("fa-AF", "ps", "en"), set by staff
-- in the reading editor. It gives the reader the text's direction (right to
-- left for Dari, Pashto, Arabic ...) and its lang attribute; empty means the
-- direction is detected from the text's first strong character.

-- +goose Up
ALTER TABLE readings ADD COLUMN language TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE readings DROP COLUMN language;
