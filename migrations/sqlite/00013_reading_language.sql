-- A reading's language, as a BCP 47 tag ("fa-AF", "ps", "en"), set by staff
-- in the reading editor. It gives the reader the text's direction (right to
-- left for Dari, Pashto, Arabic ...) and its lang attribute; empty means the
-- direction is detected from the text's first strong character.
-- And the writes a device kept offline and replayed, by the id the device
-- gave them: a write whose answer was lost on the way is sent again, and
-- applied once.

-- +goose Up
ALTER TABLE readings ADD COLUMN language TEXT NOT NULL DEFAULT '';

CREATE TABLE replayed_writes (
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    write_id   TEXT NOT NULL,
    applied_at DATETIME NOT NULL,
    PRIMARY KEY (user_id, write_id)
);
CREATE INDEX replayed_writes_applied_idx ON replayed_writes (applied_at);

-- +goose Down
DROP TABLE replayed_writes;
ALTER TABLE readings DROP COLUMN language;
