-- Login throttling that cannot be turned against the owner: failures are
-- counted per account and per device (a signed cookie of a browser that
-- signed in to the account before; '' for unknown clients), and attempts per
-- client address across accounts (sign-in failures, sign-ups, joins).

-- +goose Up
ALTER TABLE login_failures ADD COLUMN device TEXT NOT NULL DEFAULT '';
DROP INDEX login_failures_email_idx;
CREATE INDEX login_failures_email_idx ON login_failures (email, device, failed_at);

CREATE TABLE client_attempts (
    id           BIGSERIAL PRIMARY KEY,
    client       TEXT NOT NULL,
    attempted_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX client_attempts_client_idx ON client_attempts (client, attempted_at);

-- +goose Down
DROP TABLE client_attempts;
DROP INDEX login_failures_email_idx;
ALTER TABLE login_failures DROP COLUMN device;
CREATE INDEX login_failures_email_idx ON login_failures (email, failed_at);
