-- Accounts people can keep: a confirmed email address, single-use links for
-- confirming an address, resetting a password or changing the address
-- (stored only as hashes), rate limits kept in the database so every
-- instance shares them, the person a message was written to (their page and
-- their data export list it), and erased accounts.

-- +goose Up
ALTER TABLE users ADD COLUMN email_verified_at TIMESTAMPTZ;
ALTER TABLE users ADD COLUMN erased_at TIMESTAMPTZ;

CREATE TABLE account_tokens (
    id         TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL CHECK (purpose IN ('verify_email', 'password_reset', 'email_change')),
    email      TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX account_tokens_user_idx ON account_tokens (user_id, purpose);

CREATE TABLE rate_events (
    id     BIGSERIAL PRIMARY KEY,
    bucket TEXT NOT NULL,
    at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX rate_events_bucket_idx ON rate_events (bucket, at);

ALTER TABLE outbox ADD COLUMN user_id BIGINT REFERENCES users (id) ON DELETE SET NULL;
UPDATE outbox SET user_id = (SELECT u.id FROM users u WHERE lower(u.email) = lower(outbox.to_email));
CREATE INDEX outbox_user_idx ON outbox (user_id, id);

-- +goose Down
DROP INDEX outbox_user_idx;
ALTER TABLE outbox DROP COLUMN user_id;
DROP TABLE rate_events;
DROP TABLE account_tokens;
ALTER TABLE users DROP COLUMN erased_at;
ALTER TABLE users DROP COLUMN email_verified_at;
