-- Roster counts kept per cohort: the students active, waitlisted, completed
-- and withdrawn, and the active ones who have not opened any reading, kept
-- by triggers in the transaction that changes an enrollment or writes a
-- student's first progress, so the roster's summary reads one row per
-- cohort instead of the whole class. `courseportal roster repair-counts`
-- recomputes them from scratch.

-- +goose Up
CREATE TABLE cohort_counts (
    cohort_id   BIGINT PRIMARY KEY REFERENCES cohorts (id) ON DELETE CASCADE,
    active      INTEGER NOT NULL DEFAULT 0,
    waitlisted  INTEGER NOT NULL DEFAULT 0,
    completed   INTEGER NOT NULL DEFAULT 0,
    withdrawn   INTEGER NOT NULL DEFAULT 0,
    not_started INTEGER NOT NULL DEFAULT 0
);

INSERT INTO cohort_counts (cohort_id, active, waitlisted, completed, withdrawn, not_started)
SELECT co.id,
    COALESCE(SUM(e.status = 'active'), 0),
    COALESCE(SUM(e.status = 'waitlisted'), 0),
    COALESCE(SUM(e.status = 'completed'), 0),
    COALESCE(SUM(e.status = 'withdrawn'), 0),
    COALESCE(SUM(e.status = 'active' AND NOT EXISTS (SELECT 1 FROM reading_progress p WHERE p.enrollment_id = e.id)), 0)
FROM cohorts co LEFT JOIN enrollments e ON e.cohort_id = co.id
GROUP BY co.id;

-- +goose StatementBegin
CREATE TRIGGER enrollments_count_insert AFTER INSERT ON enrollments BEGIN
    UPDATE cohort_counts SET
        active = active + (NEW.status = 'active'),
        waitlisted = waitlisted + (NEW.status = 'waitlisted'),
        completed = completed + (NEW.status = 'completed'),
        withdrawn = withdrawn + (NEW.status = 'withdrawn'),
        not_started = not_started + (NEW.status = 'active'
            AND NOT EXISTS (SELECT 1 FROM reading_progress p WHERE p.enrollment_id = NEW.id))
    WHERE cohort_id = NEW.cohort_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER enrollments_count_update AFTER UPDATE OF status, cohort_id ON enrollments BEGIN
    UPDATE cohort_counts SET
        active = active - (OLD.status = 'active'),
        waitlisted = waitlisted - (OLD.status = 'waitlisted'),
        completed = completed - (OLD.status = 'completed'),
        withdrawn = withdrawn - (OLD.status = 'withdrawn'),
        not_started = not_started - (OLD.status = 'active'
            AND NOT EXISTS (SELECT 1 FROM reading_progress p WHERE p.enrollment_id = OLD.id))
    WHERE cohort_id = OLD.cohort_id;
    UPDATE cohort_counts SET
        active = active + (NEW.status = 'active'),
        waitlisted = waitlisted + (NEW.status = 'waitlisted'),
        completed = completed + (NEW.status = 'completed'),
        withdrawn = withdrawn + (NEW.status = 'withdrawn'),
        not_started = not_started + (NEW.status = 'active'
            AND NOT EXISTS (SELECT 1 FROM reading_progress p WHERE p.enrollment_id = NEW.id))
    WHERE cohort_id = NEW.cohort_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER enrollments_count_delete AFTER DELETE ON enrollments BEGIN
    UPDATE cohort_counts SET
        active = active - (OLD.status = 'active'),
        waitlisted = waitlisted - (OLD.status = 'waitlisted'),
        completed = completed - (OLD.status = 'completed'),
        withdrawn = withdrawn - (OLD.status = 'withdrawn'),
        not_started = not_started - (OLD.status = 'active'
            AND NOT EXISTS (SELECT 1 FROM reading_progress p WHERE p.enrollment_id = OLD.id))
    WHERE cohort_id = OLD.cohort_id;
END;
-- +goose StatementEnd

-- A student's first progress row takes them out of "not started" (SQLite
-- runs one writer at a time, so two first rows cannot race).
-- +goose StatementBegin
CREATE TRIGGER reading_progress_count_insert AFTER INSERT ON reading_progress
WHEN (SELECT COUNT(*) FROM reading_progress WHERE enrollment_id = NEW.enrollment_id) = 1 BEGIN
    UPDATE cohort_counts SET not_started = not_started - 1
    WHERE cohort_id = (SELECT cohort_id FROM enrollments WHERE id = NEW.enrollment_id AND status = 'active');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER reading_progress_count_delete AFTER DELETE ON reading_progress
WHEN NOT EXISTS (SELECT 1 FROM reading_progress WHERE enrollment_id = OLD.enrollment_id) BEGIN
    UPDATE cohort_counts SET not_started = not_started + 1
    WHERE cohort_id = (SELECT cohort_id FROM enrollments WHERE id = OLD.enrollment_id AND status = 'active');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER cohorts_count AFTER INSERT ON cohorts BEGIN
    INSERT INTO cohort_counts (cohort_id) VALUES (NEW.id);
END;
-- +goose StatementEnd

-- The roster's at-risk count reads only completed progress; ordinary
-- progress reports leave completed_at alone, so this index costs them nothing.
CREATE INDEX reading_progress_completed_idx ON reading_progress (enrollment_id, reading_id) WHERE completed_at IS NOT NULL;

-- +goose Down
DROP INDEX reading_progress_completed_idx;
DROP TRIGGER cohorts_count;
DROP TRIGGER reading_progress_count_delete;
DROP TRIGGER reading_progress_count_insert;
DROP TRIGGER enrollments_count_delete;
DROP TRIGGER enrollments_count_update;
DROP TRIGGER enrollments_count_insert;
DROP TABLE cohort_counts;
