-- Roster: the at-risk count kept, and the name walk.
--
-- A student is at risk when active, quiet since the cutoff (now less the
-- days asked for) and behind: fewer required published readings completed
-- than the schedule has opened now. The cutoff and what is due move with
-- the clock, so what is kept is what does not: per active enrollment, its
-- cohort, the required published readings of its course it completed
-- (done) and the UTC day (days since 1970-01-01) of its last activity
-- (last_activity_at, else activated_at, else created_at); and per cohort,
-- done and day, how many students stand there. The roster's summary sums
-- the counts of the days before the cutoff's day with done below what is
-- due, and counts the students of the cutoff's own day one by one (their
-- exact times, through roster_standing_day_idx): exact, in a handful of
-- rows whatever the size of the class. A student's row moves at most once
-- a day (their first activity of the day), when they complete a required
-- reading, change status or cohort, or when a reading they completed
-- becomes required or optional, published or not. On PostgreSQL each count
-- is kept in up to 16 rows (`shard`, the enrollment id modulo 16), so the
-- first reports of a day rarely wait for each other's row lock; readers sum
-- the shards. `courseportal roster repair-counts` recomputes it all.
--
-- A page sorted by name or email can walk the people in that order
-- (users_full_name_idx, users_email_key) and look each up in the course,
-- stopping after the page. The unique index on (user_id, course_id) covers
-- only live enrollments, which a filter by one status cannot use on SQLite;
-- enrollments_user_course_idx covers every enrollment.

-- +goose Up
CREATE INDEX enrollments_user_course_idx ON enrollments (user_id, course_id);

CREATE TABLE roster_standing (
    enrollment_id BIGINT PRIMARY KEY,
    cohort_id     BIGINT NOT NULL,
    done          INTEGER NOT NULL,
    day           INTEGER NOT NULL
);
CREATE INDEX roster_standing_day_idx ON roster_standing (cohort_id, day, done);

CREATE TABLE roster_standing_counts (
    cohort_id BIGINT NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
    done      INTEGER NOT NULL,
    day       INTEGER NOT NULL,
    shard     INTEGER NOT NULL DEFAULT 0,
    students  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (cohort_id, done, day, shard)
);

-- +goose StatementBegin
CREATE FUNCTION roster_done(e_id BIGINT, course BIGINT) RETURNS INTEGER
LANGUAGE sql STABLE AS $$
    SELECT COUNT(*)::INTEGER FROM reading_progress p JOIN readings r ON r.id = p.reading_id
    WHERE p.enrollment_id = e_id AND p.completed_at IS NOT NULL
      AND r.course_id = course AND r.required AND r.published
$$;
-- +goose StatementEnd

INSERT INTO roster_standing (enrollment_id, cohort_id, done, day)
SELECT e.id, e.cohort_id, roster_done(e.id, e.course_id),
    insight_day(COALESCE(e.last_activity_at, e.activated_at, e.created_at))
FROM enrollments e WHERE e.status = 'active';

INSERT INTO roster_standing_counts (cohort_id, done, day, shard, students)
SELECT cohort_id, done, day, enrollment_id % 16, COUNT(*) FROM roster_standing
GROUP BY cohort_id, done, day, enrollment_id % 16;

-- roster_standing_sync puts one enrollment where it stands now: out of its
-- old place (a count that falls to zero goes, so the summary reads only the
-- places someone stands), into its new one when it is active. Every trigger calls it
-- with the enrollment's row locked, so two writers of one student take
-- turns, and it reads the state as it is, whatever the order the triggers
-- of one statement run in.
-- +goose StatementBegin
CREATE FUNCTION roster_standing_sync(e_id BIGINT) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    was roster_standing%ROWTYPE;
    cohort BIGINT;
    n_done INTEGER;
    n_day INTEGER;
BEGIN
    PERFORM 1 FROM enrollments WHERE id = e_id FOR UPDATE;
    SELECT e.cohort_id, roster_done(e.id, e.course_id),
        insight_day(COALESCE(e.last_activity_at, e.activated_at, e.created_at))
    INTO cohort, n_done, n_day
    FROM enrollments e WHERE e.id = e_id AND e.status = 'active';
    SELECT * INTO was FROM roster_standing WHERE enrollment_id = e_id;
    IF was.enrollment_id IS NOT NULL THEN
        IF was.cohort_id = cohort AND was.done = n_done AND was.day = n_day THEN
            RETURN;
        END IF;
        UPDATE roster_standing_counts SET students = students - 1
        WHERE cohort_id = was.cohort_id AND done = was.done AND day = was.day AND shard = e_id % 16;
        DELETE FROM roster_standing_counts
        WHERE cohort_id = was.cohort_id AND done = was.done AND day = was.day AND shard = e_id % 16 AND students = 0;
    END IF;
    IF cohort IS NULL THEN
        DELETE FROM roster_standing WHERE enrollment_id = e_id;
        RETURN;
    END IF;
    INSERT INTO roster_standing AS s (enrollment_id, cohort_id, done, day) VALUES (e_id, cohort, n_done, n_day)
    ON CONFLICT (enrollment_id) DO UPDATE SET cohort_id = excluded.cohort_id, done = excluded.done, day = excluded.day;
    INSERT INTO roster_standing_counts AS c (cohort_id, done, day, shard, students) VALUES (cohort, n_done, n_day, e_id % 16, 1)
    ON CONFLICT (cohort_id, done, day, shard) DO UPDATE SET students = c.students + 1;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION enrollments_standing() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM roster_standing_sync(CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END);
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER enrollments_standing AFTER UPDATE OF status, cohort_id, activated_at, created_at ON enrollments
FOR EACH ROW WHEN (OLD.status <> NEW.status OR OLD.cohort_id <> NEW.cohort_id
    OR OLD.activated_at IS DISTINCT FROM NEW.activated_at OR OLD.created_at <> NEW.created_at)
EXECUTE FUNCTION enrollments_standing();

-- A progress report sets last_activity_at, and only that, every time; the
-- condition keeps the function out of all but a student's first report of
-- a day, and the function moves the student to their new day alone (the
-- statement that fired it holds the enrollment's row lock): a completion
-- or a change of status or cohort goes through roster_standing_sync.
-- +goose StatementBegin
CREATE FUNCTION enrollments_standing_day() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    was roster_standing%ROWTYPE;
    n_day INTEGER := insight_day(COALESCE(NEW.last_activity_at, NEW.activated_at, NEW.created_at));
BEGIN
    SELECT * INTO was FROM roster_standing WHERE enrollment_id = NEW.id;
    IF was.enrollment_id IS NULL OR was.cohort_id <> NEW.cohort_id THEN
        PERFORM roster_standing_sync(NEW.id);
        RETURN NULL;
    END IF;
    IF was.day = n_day THEN
        RETURN NULL;
    END IF;
    UPDATE roster_standing SET day = n_day WHERE enrollment_id = NEW.id;
    UPDATE roster_standing_counts SET students = students - 1
    WHERE cohort_id = was.cohort_id AND done = was.done AND day = was.day AND shard = NEW.id % 16;
    DELETE FROM roster_standing_counts
    WHERE cohort_id = was.cohort_id AND done = was.done AND day = was.day AND shard = NEW.id % 16 AND students = 0;
    INSERT INTO roster_standing_counts AS c (cohort_id, done, day, shard, students)
    VALUES (was.cohort_id, was.done, n_day, NEW.id % 16, 1)
    ON CONFLICT (cohort_id, done, day, shard) DO UPDATE SET students = c.students + 1;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER enrollments_standing_day AFTER UPDATE OF last_activity_at ON enrollments
FOR EACH ROW WHEN (NEW.status = 'active' AND insight_day(COALESCE(OLD.last_activity_at, OLD.activated_at, OLD.created_at))
    <> insight_day(COALESCE(NEW.last_activity_at, NEW.activated_at, NEW.created_at)))
EXECUTE FUNCTION enrollments_standing_day();

CREATE TRIGGER enrollments_standing_insert AFTER INSERT ON enrollments
FOR EACH ROW WHEN (NEW.status = 'active') EXECUTE FUNCTION enrollments_standing();

CREATE TRIGGER enrollments_standing_delete AFTER DELETE ON enrollments
FOR EACH ROW WHEN (OLD.status = 'active') EXECUTE FUNCTION enrollments_standing();

-- +goose StatementBegin
CREATE FUNCTION reading_progress_standing() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM roster_standing_sync(CASE WHEN TG_OP = 'DELETE' THEN OLD.enrollment_id ELSE NEW.enrollment_id END);
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- Only a completion, or its removal, changes what a student has done.
CREATE TRIGGER reading_progress_standing AFTER UPDATE OF completed_at ON reading_progress
FOR EACH ROW WHEN ((OLD.completed_at IS NULL) <> (NEW.completed_at IS NULL))
EXECUTE FUNCTION reading_progress_standing();

CREATE TRIGGER reading_progress_standing_insert AFTER INSERT ON reading_progress
FOR EACH ROW WHEN (NEW.completed_at IS NOT NULL) EXECUTE FUNCTION reading_progress_standing();

CREATE TRIGGER reading_progress_standing_delete AFTER DELETE ON reading_progress
FOR EACH ROW WHEN (OLD.completed_at IS NOT NULL) EXECUTE FUNCTION reading_progress_standing();

-- A reading made required or optional, published or not, changes what
-- everyone who completed it has done.
-- +goose StatementBegin
CREATE FUNCTION readings_standing() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    e_id BIGINT;
BEGIN
    FOR e_id IN SELECT enrollment_id FROM reading_progress WHERE reading_id = NEW.id AND completed_at IS NOT NULL
        ORDER BY enrollment_id LOOP
        PERFORM roster_standing_sync(e_id);
    END LOOP;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER readings_standing AFTER UPDATE OF required, published, course_id ON readings
FOR EACH ROW WHEN (OLD.required <> NEW.required OR OLD.published <> NEW.published OR OLD.course_id <> NEW.course_id)
EXECUTE FUNCTION readings_standing();

-- +goose Down
DROP TRIGGER readings_standing ON readings;
DROP FUNCTION readings_standing();
DROP TRIGGER reading_progress_standing_delete ON reading_progress;
DROP TRIGGER reading_progress_standing_insert ON reading_progress;
DROP TRIGGER reading_progress_standing ON reading_progress;
DROP FUNCTION reading_progress_standing();
DROP TRIGGER enrollments_standing_delete ON enrollments;
DROP TRIGGER enrollments_standing_insert ON enrollments;
DROP TRIGGER enrollments_standing_day ON enrollments;
DROP FUNCTION enrollments_standing_day();
DROP TRIGGER enrollments_standing ON enrollments;
DROP FUNCTION enrollments_standing();
DROP FUNCTION roster_standing_sync(BIGINT);
DROP FUNCTION roster_done(BIGINT, BIGINT);
DROP TABLE roster_standing_counts;
DROP TABLE roster_standing;
DROP INDEX enrollments_user_course_idx;
