-- Server secrets: random keys every instance must share, such as the one
-- CSRF tokens are derived from. Created on first use, never sent anywhere.

-- +goose Up
CREATE TABLE server_secrets (
    name       TEXT PRIMARY KEY,
    secret     TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE server_secrets;
