-- A second factor (TOTP with recovery codes) and the certificates' status
-- list: every signed credential takes an index of a W3C Bitstring Status
-- List, and a name correction reissues a certificate under a new index.

-- +goose Up
ALTER TABLE users ADD COLUMN mfa_enabled_at TIMESTAMPTZ;
-- When the session last proved who holds it (password or second factor):
-- sensitive console actions ask again when this is old.
ALTER TABLE sessions ADD COLUMN confirmed_at TIMESTAMPTZ;

CREATE TABLE mfa_secrets (
    user_id      BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret       TEXT NOT NULL,
    confirmed_at TIMESTAMPTZ,
    -- The last 30-second step a code was accepted for: codes of that step or
    -- earlier are refused, so a code works once.
    last_step    BIGINT NOT NULL DEFAULT 0,
    created_at   TIMESTAMPTZ NOT NULL
);

CREATE TABLE mfa_recovery_codes (
    id        BIGSERIAL PRIMARY KEY,
    user_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL UNIQUE,
    used_at   TIMESTAMPTZ
);
CREATE INDEX mfa_recovery_codes_user_idx ON mfa_recovery_codes (user_id);

-- The half-signed-in state between the password and the second factor.
CREATE TABLE mfa_challenges (
    id         TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    next       TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX mfa_challenges_user_idx ON mfa_challenges (user_id);

CREATE TABLE mfa_failures (
    id        BIGSERIAL PRIMARY KEY,
    user_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    failed_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX mfa_failures_user_idx ON mfa_failures (user_id, failed_at);

ALTER TABLE certificates ADD COLUMN status_list INTEGER;
ALTER TABLE certificates ADD COLUMN status_index INTEGER;
ALTER TABLE certificates ADD COLUMN reissued_at TIMESTAMPTZ;

CREATE TABLE credential_statuses (
    status_list    INTEGER NOT NULL CHECK (status_list >= 1),
    status_index   INTEGER NOT NULL CHECK (status_index >= 0 AND status_index < 131072),
    certificate_id BIGINT NOT NULL REFERENCES certificates (id) ON DELETE CASCADE,
    created_at     TIMESTAMPTZ NOT NULL,
    revoked_at     TIMESTAMPTZ,
    PRIMARY KEY (status_list, status_index)
);
CREATE INDEX credential_statuses_certificate_idx ON credential_statuses (certificate_id);

CREATE TABLE name_corrections (
    id             BIGSERIAL PRIMARY KEY,
    certificate_id BIGINT NOT NULL REFERENCES certificates (id) ON DELETE CASCADE,
    requested_by   BIGINT REFERENCES users (id) ON DELETE SET NULL,
    old_name       TEXT NOT NULL,
    full_name      TEXT NOT NULL CHECK (length(full_name) BETWEEN 1 AND 200),
    reason         TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
    status         TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'refused')),
    created_at     TIMESTAMPTZ NOT NULL,
    decided_at     TIMESTAMPTZ,
    decided_by     BIGINT REFERENCES users (id) ON DELETE SET NULL
);
-- One open request per certificate.
CREATE UNIQUE INDEX name_corrections_pending_key ON name_corrections (certificate_id) WHERE status = 'pending';
CREATE INDEX name_corrections_status_idx ON name_corrections (status, id);

-- +goose Down
DROP TABLE name_corrections;
DROP TABLE credential_statuses;
ALTER TABLE certificates DROP COLUMN reissued_at;
ALTER TABLE certificates DROP COLUMN status_index;
ALTER TABLE certificates DROP COLUMN status_list;
DROP TABLE mfa_failures;
DROP TABLE mfa_challenges;
DROP TABLE mfa_recovery_codes;
DROP TABLE mfa_secrets;
ALTER TABLE sessions DROP COLUMN confirmed_at;
ALTER TABLE users DROP COLUMN mfa_enabled_at;
