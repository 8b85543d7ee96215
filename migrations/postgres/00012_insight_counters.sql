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

-- +goose StatementBegin
CREATE FUNCTION insight_minute(seconds INTEGER) RETURNS INTEGER
LANGUAGE sql IMMUTABLE AS $$ SELECT LEAST(seconds / 60, 600) $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION insight_day(at TIMESTAMPTZ) RETURNS INTEGER
LANGUAGE sql IMMUTABLE AS $$ SELECT floor(extract(epoch FROM at) / 86400)::INTEGER $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION insight_week(at TIMESTAMPTZ) RETURNS INTEGER
LANGUAGE sql IMMUTABLE AS $$ SELECT floor((extract(epoch FROM at) / 86400 + 3) / 7)::INTEGER $$;
-- +goose StatementEnd

INSERT INTO reading_stops (cohort_id, reading_id, furthest, minute, shard, readers)
SELECT e.cohort_id, p.reading_id, p.furthest, insight_minute(p.seconds_read), p.enrollment_id % 16, COUNT(*)
FROM reading_progress p JOIN enrollments e ON e.id = p.enrollment_id
GROUP BY e.cohort_id, p.reading_id, p.furthest, insight_minute(p.seconds_read), p.enrollment_id % 16;

INSERT INTO reading_completions (cohort_id, reading_id, day, readers)
SELECT e.cohort_id, p.reading_id, insight_day(p.completed_at), COUNT(*)
FROM reading_progress p JOIN enrollments e ON e.id = p.enrollment_id
WHERE p.completed_at IS NOT NULL
GROUP BY e.cohort_id, p.reading_id, insight_day(p.completed_at);

INSERT INTO cohort_weekly_active (cohort_id, week, students)
SELECT cohort_id, insight_week(last_activity_at), COUNT(*)
FROM enrollments WHERE last_activity_at IS NOT NULL
GROUP BY cohort_id, insight_week(last_activity_at);

-- insight_stop adds (delta 1) or takes away (delta -1) one reader's row.
-- +goose StatementBegin
CREATE FUNCTION insight_stop(cohort BIGINT, enrollment BIGINT, reading BIGINT, at INTEGER, secs INTEGER, delta INTEGER) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO reading_stops AS s (cohort_id, reading_id, furthest, minute, shard, readers)
    VALUES (cohort, reading, at, insight_minute(secs), enrollment % 16, delta)
    ON CONFLICT (cohort_id, reading_id, furthest, minute, shard) DO UPDATE
    SET readers = s.readers + excluded.readers
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION insight_completion(cohort BIGINT, reading BIGINT, at TIMESTAMPTZ, delta INTEGER) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO reading_completions AS c (cohort_id, reading_id, day, readers)
    VALUES (cohort, reading, insight_day(at), delta)
    ON CONFLICT (cohort_id, reading_id, day) DO UPDATE SET readers = c.readers + excluded.readers
$$;
-- +goose StatementEnd

-- reading_progress_insight keeps the counters of one progress write. Its
-- statements are written out (not calls to the SQL functions above), so
-- PL/pgSQL plans them once per session. The update trigger's condition keeps
-- it out of the common write (more seconds within the same minute and
-- paragraph): it runs when a reader moves to another paragraph or minute, or
-- completes the reading.
-- +goose StatementBegin
CREATE FUNCTION reading_progress_insight() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    cohort BIGINT;
BEGIN
    SELECT e.cohort_id INTO cohort FROM enrollments e
    WHERE e.id = (CASE WHEN TG_OP = 'DELETE' THEN OLD.enrollment_id ELSE NEW.enrollment_id END);
    IF cohort IS NULL THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'UPDATE' OR OLD.furthest <> NEW.furthest
       OR LEAST(OLD.seconds_read / 60, 600) <> LEAST(NEW.seconds_read / 60, 600) THEN
        IF TG_OP <> 'INSERT' THEN
            UPDATE reading_stops SET readers = readers - 1
            WHERE cohort_id = cohort AND reading_id = OLD.reading_id AND furthest = OLD.furthest
              AND minute = LEAST(OLD.seconds_read / 60, 600) AND shard = OLD.enrollment_id % 16;
        END IF;
        IF TG_OP <> 'DELETE' THEN
            INSERT INTO reading_stops AS s (cohort_id, reading_id, furthest, minute, shard, readers)
            VALUES (cohort, NEW.reading_id, NEW.furthest, LEAST(NEW.seconds_read / 60, 600), NEW.enrollment_id % 16, 1)
            ON CONFLICT (cohort_id, reading_id, furthest, minute, shard) DO UPDATE
            SET readers = s.readers + 1;
        END IF;
    END IF;
    IF TG_OP = 'DELETE' AND OLD.completed_at IS NOT NULL THEN
        PERFORM insight_completion(cohort, OLD.reading_id, OLD.completed_at, -1);
    ELSIF TG_OP <> 'DELETE' AND NEW.completed_at IS NOT NULL AND (TG_OP = 'INSERT' OR OLD.completed_at IS NULL) THEN
        PERFORM insight_completion(cohort, NEW.reading_id, NEW.completed_at, 1);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER reading_progress_insight AFTER INSERT OR DELETE ON reading_progress
FOR EACH ROW EXECUTE FUNCTION reading_progress_insight();

CREATE TRIGGER reading_progress_insight_update AFTER UPDATE ON reading_progress
FOR EACH ROW WHEN (OLD.furthest <> NEW.furthest
    OR LEAST(OLD.seconds_read / 60, 600) <> LEAST(NEW.seconds_read / 60, 600)
    OR (OLD.completed_at IS NULL AND NEW.completed_at IS NOT NULL))
EXECUTE FUNCTION reading_progress_insight();

-- A student moved to another cohort takes their reading with them; a
-- student counts once in each week they were active.
-- +goose StatementBegin
CREATE FUNCTION enrollments_insight() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    p RECORD;
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.cohort_id <> NEW.cohort_id THEN
        FOR p IN SELECT reading_id, furthest, seconds_read, completed_at FROM reading_progress WHERE enrollment_id = NEW.id LOOP
            PERFORM insight_stop(OLD.cohort_id, NEW.id, p.reading_id, p.furthest, p.seconds_read, -1);
            PERFORM insight_stop(NEW.cohort_id, NEW.id, p.reading_id, p.furthest, p.seconds_read, 1);
            IF p.completed_at IS NOT NULL THEN
                PERFORM insight_completion(OLD.cohort_id, p.reading_id, p.completed_at, -1);
                PERFORM insight_completion(NEW.cohort_id, p.reading_id, p.completed_at, 1);
            END IF;
        END LOOP;
    END IF;
    IF NEW.last_activity_at IS NOT NULL AND (TG_OP = 'INSERT' OR OLD.last_activity_at IS NULL
        OR insight_week(OLD.last_activity_at) <> insight_week(NEW.last_activity_at)) THEN
        INSERT INTO cohort_weekly_active AS w (cohort_id, week, students)
        VALUES (NEW.cohort_id, insight_week(NEW.last_activity_at), 1)
        ON CONFLICT (cohort_id, week) DO UPDATE SET students = w.students + 1;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- The conditions keep the function out of the way of most writes: a
-- progress report touches the enrollment's last activity every time.
CREATE TRIGGER enrollments_insight AFTER UPDATE OF cohort_id, last_activity_at ON enrollments
FOR EACH ROW WHEN (OLD.cohort_id <> NEW.cohort_id OR (NEW.last_activity_at IS NOT NULL AND (OLD.last_activity_at IS NULL
    OR insight_week(OLD.last_activity_at) <> insight_week(NEW.last_activity_at))))
EXECUTE FUNCTION enrollments_insight();

CREATE TRIGGER enrollments_insight_insert AFTER INSERT ON enrollments
FOR EACH ROW WHEN (NEW.last_activity_at IS NOT NULL) EXECUTE FUNCTION enrollments_insight();

-- +goose Down
DROP TRIGGER enrollments_insight_insert ON enrollments;
DROP TRIGGER enrollments_insight ON enrollments;
DROP TRIGGER reading_progress_insight_update ON reading_progress;
DROP TRIGGER reading_progress_insight ON reading_progress;
DROP FUNCTION enrollments_insight();
DROP FUNCTION reading_progress_insight();
DROP FUNCTION insight_completion(BIGINT, BIGINT, TIMESTAMPTZ, INTEGER);
DROP FUNCTION insight_stop(BIGINT, BIGINT, BIGINT, INTEGER, INTEGER, INTEGER);
DROP FUNCTION insight_week(TIMESTAMPTZ);
DROP FUNCTION insight_day(TIMESTAMPTZ);
DROP FUNCTION insight_minute(INTEGER);
DROP TABLE cohort_weekly_active;
DROP TABLE reading_completions;
DROP TABLE reading_stops;
