-- Insight: what the instructors' charts need, kept as it happens by triggers
-- on the progress and enrollment writes (so in the same statement as the
-- write), never recomputed from every progress row per view.
--
-- reading_stops: per cohort and reading, how many readers have their
-- furthest paragraph at `furthest` (0: opened, no paragraph yet) and read
-- for `minute` whole minutes (capped at 600). The drop-off curve, the
-- never-scrolled count and the reading times (to the minute) come from these
-- few hundred rows. A report that adds seconds within the same minute and
-- paragraph, the common one, changes no counter. On PostgreSQL each such
-- count is kept in up to 16 rows (`shard`, the enrollment id modulo 16), so
-- students reporting at once rarely wait for each other's row lock; SQLite
-- has one writer at a time and keeps shard 0 only. Readers sum the shards.
-- reading_completions: completions per cohort, reading and UTC day (days
-- since 1970-01-01).
-- cohort_weekly_active: students with any activity per cohort and
-- Monday-to-Sunday week (weeks since the Monday 1969-12-29).

-- +goose Up
CREATE TABLE reading_stops (
    cohort_id  BIGINT NOT NULL,
    reading_id BIGINT NOT NULL,
    furthest   INTEGER NOT NULL,
    minute     INTEGER NOT NULL,
    shard      INTEGER NOT NULL DEFAULT 0,
    readers    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (cohort_id, reading_id, furthest, minute, shard)
);

CREATE TABLE reading_completions (
    cohort_id  BIGINT NOT NULL,
    reading_id BIGINT NOT NULL,
    day        INTEGER NOT NULL,
    readers    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (cohort_id, reading_id, day)
);

CREATE TABLE cohort_weekly_active (
    cohort_id BIGINT NOT NULL,
    week      INTEGER NOT NULL,
    students  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (cohort_id, week)
);

INSERT INTO reading_stops (cohort_id, reading_id, furthest, minute, readers)
SELECT e.cohort_id, p.reading_id, p.furthest, MIN(p.seconds_read / 60, 600), COUNT(*)
FROM reading_progress p JOIN enrollments e ON e.id = p.enrollment_id
GROUP BY e.cohort_id, p.reading_id, p.furthest, MIN(p.seconds_read / 60, 600);

INSERT INTO reading_completions (cohort_id, reading_id, day, readers)
SELECT e.cohort_id, p.reading_id, CAST(julianday(p.completed_at) - 2440587.5 AS INTEGER), COUNT(*)
FROM reading_progress p JOIN enrollments e ON e.id = p.enrollment_id
WHERE p.completed_at IS NOT NULL
GROUP BY e.cohort_id, p.reading_id, CAST(julianday(p.completed_at) - 2440587.5 AS INTEGER);

INSERT INTO cohort_weekly_active (cohort_id, week, students)
SELECT cohort_id, CAST((julianday(last_activity_at) - 2440587.5 + 3) / 7 AS INTEGER), COUNT(*)
FROM enrollments WHERE last_activity_at IS NOT NULL
GROUP BY cohort_id, CAST((julianday(last_activity_at) - 2440587.5 + 3) / 7 AS INTEGER);

-- +goose StatementBegin
CREATE TRIGGER reading_progress_insight_insert AFTER INSERT ON reading_progress
BEGIN
    INSERT INTO reading_stops (cohort_id, reading_id, furthest, minute, readers)
    SELECT e.cohort_id, NEW.reading_id, NEW.furthest, MIN(NEW.seconds_read / 60, 600), 1
    FROM enrollments e WHERE e.id = NEW.enrollment_id
    ON CONFLICT (cohort_id, reading_id, furthest, minute, shard) DO UPDATE
    SET readers = readers + 1;
    INSERT INTO reading_completions (cohort_id, reading_id, day, readers)
    SELECT e.cohort_id, NEW.reading_id, CAST(julianday(NEW.completed_at) - 2440587.5 AS INTEGER), 1
    FROM enrollments e WHERE e.id = NEW.enrollment_id AND NEW.completed_at IS NOT NULL
    ON CONFLICT (cohort_id, reading_id, day) DO UPDATE SET readers = readers + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER reading_progress_insight_move AFTER UPDATE OF furthest, seconds_read ON reading_progress
WHEN OLD.furthest <> NEW.furthest OR MIN(OLD.seconds_read / 60, 600) <> MIN(NEW.seconds_read / 60, 600)
BEGIN
    UPDATE reading_stops SET readers = readers - 1
    WHERE cohort_id = (SELECT cohort_id FROM enrollments WHERE id = OLD.enrollment_id)
      AND reading_id = OLD.reading_id AND furthest = OLD.furthest AND minute = MIN(OLD.seconds_read / 60, 600);
    INSERT INTO reading_stops (cohort_id, reading_id, furthest, minute, readers)
    SELECT e.cohort_id, NEW.reading_id, NEW.furthest, MIN(NEW.seconds_read / 60, 600), 1
    FROM enrollments e WHERE e.id = NEW.enrollment_id
    ON CONFLICT (cohort_id, reading_id, furthest, minute, shard) DO UPDATE
    SET readers = readers + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER reading_progress_insight_complete AFTER UPDATE OF completed_at ON reading_progress
WHEN OLD.completed_at IS NULL AND NEW.completed_at IS NOT NULL
BEGIN
    INSERT INTO reading_completions (cohort_id, reading_id, day, readers)
    SELECT e.cohort_id, NEW.reading_id, CAST(julianday(NEW.completed_at) - 2440587.5 AS INTEGER), 1
    FROM enrollments e WHERE e.id = NEW.enrollment_id
    ON CONFLICT (cohort_id, reading_id, day) DO UPDATE SET readers = readers + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER reading_progress_insight_delete AFTER DELETE ON reading_progress
BEGIN
    UPDATE reading_stops SET readers = readers - 1
    WHERE cohort_id = (SELECT cohort_id FROM enrollments WHERE id = OLD.enrollment_id)
      AND reading_id = OLD.reading_id AND furthest = OLD.furthest AND minute = MIN(OLD.seconds_read / 60, 600);
    UPDATE reading_completions SET readers = readers - 1
    WHERE OLD.completed_at IS NOT NULL
      AND cohort_id = (SELECT cohort_id FROM enrollments WHERE id = OLD.enrollment_id)
      AND reading_id = OLD.reading_id AND day = CAST(julianday(OLD.completed_at) - 2440587.5 AS INTEGER);
END;
-- +goose StatementEnd

-- A student moved to another cohort takes their reading with them.
-- +goose StatementBegin
CREATE TRIGGER enrollments_insight_move AFTER UPDATE OF cohort_id ON enrollments
WHEN OLD.cohort_id <> NEW.cohort_id
BEGIN
    UPDATE reading_stops SET readers = readers - 1
    FROM reading_progress p
    WHERE p.enrollment_id = NEW.id AND reading_stops.cohort_id = OLD.cohort_id
      AND reading_stops.reading_id = p.reading_id AND reading_stops.furthest = p.furthest
      AND reading_stops.minute = MIN(p.seconds_read / 60, 600);
    INSERT INTO reading_stops (cohort_id, reading_id, furthest, minute, readers)
    SELECT NEW.cohort_id, p.reading_id, p.furthest, MIN(p.seconds_read / 60, 600), 1
    FROM reading_progress p WHERE p.enrollment_id = NEW.id
    ON CONFLICT (cohort_id, reading_id, furthest, minute, shard) DO UPDATE
    SET readers = readers + 1;
    UPDATE reading_completions SET readers = readers - 1
    FROM reading_progress p
    WHERE p.enrollment_id = NEW.id AND p.completed_at IS NOT NULL AND reading_completions.cohort_id = OLD.cohort_id
      AND reading_completions.reading_id = p.reading_id
      AND reading_completions.day = CAST(julianday(p.completed_at) - 2440587.5 AS INTEGER);
    INSERT INTO reading_completions (cohort_id, reading_id, day, readers)
    SELECT NEW.cohort_id, p.reading_id, CAST(julianday(p.completed_at) - 2440587.5 AS INTEGER), 1
    FROM reading_progress p WHERE p.enrollment_id = NEW.id AND p.completed_at IS NOT NULL
    ON CONFLICT (cohort_id, reading_id, day) DO UPDATE SET readers = readers + 1;
END;
-- +goose StatementEnd

-- A student counts once in each week they were active.
-- +goose StatementBegin
CREATE TRIGGER enrollments_insight_active AFTER UPDATE OF last_activity_at ON enrollments
WHEN NEW.last_activity_at IS NOT NULL AND (OLD.last_activity_at IS NULL
    OR CAST((julianday(OLD.last_activity_at) - 2440587.5 + 3) / 7 AS INTEGER)
       <> CAST((julianday(NEW.last_activity_at) - 2440587.5 + 3) / 7 AS INTEGER))
BEGIN
    INSERT INTO cohort_weekly_active (cohort_id, week, students)
    VALUES (NEW.cohort_id, CAST((julianday(NEW.last_activity_at) - 2440587.5 + 3) / 7 AS INTEGER), 1)
    ON CONFLICT (cohort_id, week) DO UPDATE SET students = students + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER enrollments_insight_active_insert AFTER INSERT ON enrollments
WHEN NEW.last_activity_at IS NOT NULL
BEGIN
    INSERT INTO cohort_weekly_active (cohort_id, week, students)
    VALUES (NEW.cohort_id, CAST((julianday(NEW.last_activity_at) - 2440587.5 + 3) / 7 AS INTEGER), 1)
    ON CONFLICT (cohort_id, week) DO UPDATE SET students = students + 1;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER enrollments_insight_active_insert;
DROP TRIGGER enrollments_insight_active;
DROP TRIGGER enrollments_insight_move;
DROP TRIGGER reading_progress_insight_delete;
DROP TRIGGER reading_progress_insight_complete;
DROP TRIGGER reading_progress_insight_move;
DROP TRIGGER reading_progress_insight_insert;
DROP TABLE cohort_weekly_active;
DROP TABLE reading_completions;
DROP TABLE reading_stops;
