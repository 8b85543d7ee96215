-- +goose Up
CREATE TABLE users (
    id                BIGSERIAL PRIMARY KEY,
    email             TEXT NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    full_name         TEXT NOT NULL CHECK (length(full_name) BETWEEN 1 AND 200),
    password_hash     TEXT NOT NULL,
    role              TEXT NOT NULL DEFAULT 'student' CHECK (role IN ('student', 'instructor', 'admin')),
    reminders_opt_out BOOLEAN NOT NULL DEFAULT FALSE,
    disabled_at       TIMESTAMPTZ,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

CREATE TABLE login_failures (
    id        BIGSERIAL PRIMARY KEY,
    email     TEXT NOT NULL,
    failed_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_failures_email_idx ON login_failures (email, failed_at);

CREATE TABLE courses (
    id            BIGSERIAL PRIMARY KEY,
    slug          TEXT NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    title         TEXT NOT NULL,
    subtitle      TEXT NOT NULL DEFAULT '',
    description   TEXT NOT NULL DEFAULT '',
    provider      TEXT NOT NULL DEFAULT '',
    contact_email TEXT NOT NULL DEFAULT '',
    contact_url   TEXT NOT NULL DEFAULT '',
    contact_phone TEXT NOT NULL DEFAULT '',
    published     BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE course_instructors (
    course_id BIGINT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    user_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (course_id, user_id)
);
CREATE INDEX course_instructors_user_idx ON course_instructors (user_id);

CREATE TABLE weeks (
    id        BIGSERIAL PRIMARY KEY,
    course_id BIGINT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    number    INTEGER NOT NULL CHECK (number BETWEEN 1 AND 52),
    title     TEXT NOT NULL,
    summary   TEXT NOT NULL DEFAULT '',
    UNIQUE (course_id, number)
);

CREATE TABLE readings (
    id              BIGSERIAL PRIMARY KEY,
    course_id       BIGINT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    week_id         BIGINT NOT NULL REFERENCES weeks (id) ON DELETE CASCADE,
    slug            TEXT NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    title           TEXT NOT NULL,
    author          TEXT NOT NULL DEFAULT '',
    source_name     TEXT NOT NULL DEFAULT '',
    source_url      TEXT NOT NULL DEFAULT '',
    body_markdown   TEXT NOT NULL,
    disclaimer      TEXT NOT NULL DEFAULT '',
    credits         TEXT NOT NULL DEFAULT '',
    position        INTEGER NOT NULL DEFAULT 1,
    required        BOOLEAN NOT NULL DEFAULT TRUE,
    published       BOOLEAN NOT NULL DEFAULT TRUE,
    version         INTEGER NOT NULL DEFAULT 1,
    word_count      INTEGER NOT NULL DEFAULT 0 CHECK (word_count >= 0),
    paragraph_count INTEGER NOT NULL DEFAULT 0 CHECK (paragraph_count >= 0),
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    UNIQUE (course_id, slug)
);
CREATE INDEX readings_week_idx ON readings (week_id, position);

CREATE TABLE cohorts (
    id               BIGSERIAL PRIMARY KEY,
    course_id        BIGINT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    name             TEXT NOT NULL,
    starts_at        TIMESTAMPTZ NOT NULL,
    enroll_opens_at  TIMESTAMPTZ,
    enroll_closes_at TIMESTAMPTZ,
    capacity         INTEGER CHECK (capacity IS NULL OR capacity > 0),
    seats_taken      INTEGER NOT NULL DEFAULT 0,
    pacing           TEXT NOT NULL CHECK (pacing IN ('scheduled', 'self-paced')),
    created_at       TIMESTAMPTZ NOT NULL,
    CHECK (seats_taken >= 0 AND (capacity IS NULL OR seats_taken <= capacity))
);
CREATE INDEX cohorts_course_idx ON cohorts (course_id, starts_at);

CREATE TABLE enrollments (
    id               BIGSERIAL PRIMARY KEY,
    user_id          BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id        BIGINT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    cohort_id        BIGINT NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
    status           TEXT NOT NULL CHECK (status IN ('active', 'waitlisted', 'completed', 'withdrawn')),
    created_at       TIMESTAMPTZ NOT NULL,
    activated_at     TIMESTAMPTZ,
    completed_at     TIMESTAMPTZ,
    withdrawn_at     TIMESTAMPTZ,
    last_activity_at TIMESTAMPTZ
);
-- At most one live enrollment per person and course.
CREATE UNIQUE INDEX enrollments_live_key ON enrollments (user_id, course_id) WHERE status <> 'withdrawn';
CREATE INDEX enrollments_cohort_status_idx ON enrollments (cohort_id, status, id);
CREATE INDEX enrollments_course_status_idx ON enrollments (course_id, status, id);

CREATE TABLE reading_progress (
    enrollment_id    BIGINT NOT NULL REFERENCES enrollments (id) ON DELETE CASCADE,
    reading_id       BIGINT NOT NULL REFERENCES readings (id) ON DELETE CASCADE,
    percent          INTEGER NOT NULL DEFAULT 0 CHECK (percent BETWEEN 0 AND 100),
    furthest         INTEGER NOT NULL DEFAULT 0 CHECK (furthest >= 0),
    seconds_read     INTEGER NOT NULL DEFAULT 0 CHECK (seconds_read >= 0),
    first_opened_at  TIMESTAMPTZ NOT NULL,
    last_activity_at TIMESTAMPTZ NOT NULL,
    last_beat_ms     BIGINT NOT NULL,
    completed_at     TIMESTAMPTZ,
    PRIMARY KEY (enrollment_id, reading_id)
);
CREATE INDEX reading_progress_reading_idx ON reading_progress (reading_id);

CREATE TABLE certificates (
    id              BIGSERIAL PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    enrollment_id   BIGINT NOT NULL UNIQUE REFERENCES enrollments (id) ON DELETE RESTRICT,
    user_id         BIGINT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    course_id       BIGINT NOT NULL REFERENCES courses (id) ON DELETE RESTRICT,
    recipient_name  TEXT NOT NULL,
    course_title    TEXT NOT NULL,
    course_subtitle TEXT NOT NULL DEFAULT '',
    cohort_name     TEXT NOT NULL,
    issuer_name     TEXT NOT NULL,
    completed_at    TIMESTAMPTZ NOT NULL,
    issued_at       TIMESTAMPTZ NOT NULL,
    revoked_at      TIMESTAMPTZ,
    revoked_reason  TEXT NOT NULL DEFAULT '',
    revoked_by      BIGINT REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX certificates_user_idx ON certificates (user_id);

CREATE TABLE signing_keys (
    id          BIGSERIAL PRIMARY KEY,
    purpose     TEXT NOT NULL UNIQUE,
    key_id      TEXT NOT NULL,
    private_pem TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE outbox (
    id              BIGSERIAL PRIMARY KEY,
    kind            TEXT NOT NULL,
    dedupe_key      TEXT NOT NULL UNIQUE,
    to_email        TEXT NOT NULL,
    to_name         TEXT NOT NULL DEFAULT '',
    subject         TEXT NOT NULL,
    body_text       TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    locked_until    TIMESTAMPTZ,
    sent_at         TIMESTAMPTZ,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX outbox_due_idx ON outbox (status, next_attempt_at);

CREATE TABLE audit_log (
    id         BIGSERIAL PRIMARY KEY,
    actor_id   BIGINT REFERENCES users (id) ON DELETE SET NULL,
    action     TEXT NOT NULL,
    target     TEXT NOT NULL DEFAULT '',
    detail     TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX audit_log_created_idx ON audit_log (created_at);

-- +goose Down
DROP TABLE audit_log;
DROP TABLE outbox;
DROP TABLE signing_keys;
DROP TABLE certificates;
DROP TABLE reading_progress;
DROP TABLE enrollments;
DROP TABLE cohorts;
DROP TABLE readings;
DROP TABLE weeks;
DROP TABLE course_instructors;
DROP TABLE courses;
DROP TABLE login_failures;
DROP TABLE sessions;
DROP TABLE users;
