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
-- becomes required or optional, published or not. SQLite has one writer at
-- a time and keeps shard 0 only. `courseportal roster repair-counts`
-- recomputes it all.
--
-- SQLite triggers cannot call a function: each trigger names the students
-- to move in roster_standing_moves, whose own trigger moves one student (a
-- count that falls to zero goes, so the summary reads only the places
-- someone stands) and forgets the row, so the move is written once.
--
-- A page sorted by name or email can walk the people in that order
-- (users_full_name_idx, users_email_key) and look each up in the course,
-- stopping after the page. The unique index on (user_id, course_id) covers
-- only live enrollments, which a filter by one status cannot use on SQLite;
-- enrollments_user_course_idx covers every enrollment.

-- +goose Up
CREATE INDEX enrollments_user_course_idx ON enrollments (user_id, course_id);

CREATE TABLE roster_standing (
    enrollment_id INTEGER PRIMARY KEY,
    cohort_id     INTEGER NOT NULL,
    done          INTEGER NOT NULL,
    day           INTEGER NOT NULL
);
CREATE INDEX roster_standing_day_idx ON roster_standing (cohort_id, day, done);

CREATE TABLE roster_standing_counts (
    cohort_id INTEGER NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
    done      INTEGER NOT NULL,
    day       INTEGER NOT NULL,
    shard     INTEGER NOT NULL DEFAULT 0,
    students  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (cohort_id, done, day, shard)
);

CREATE TABLE roster_standing_moves (enrollment_id INTEGER NOT NULL);

INSERT INTO roster_standing (enrollment_id, cohort_id, done, day)
SELECT e.id, e.cohort_id,
    (SELECT COUNT(*) FROM reading_progress p JOIN readings r ON r.id = p.reading_id
     WHERE p.enrollment_id = e.id AND p.completed_at IS NOT NULL AND r.course_id = e.course_id AND r.required AND r.published),
    CAST(julianday(COALESCE(e.last_activity_at, e.activated_at, e.created_at)) - 2440587.5 AS INTEGER)
FROM enrollments e WHERE e.status = 'active';

INSERT INTO roster_standing_counts (cohort_id, done, day, shard, students)
SELECT cohort_id, done, day, 0, COUNT(*) FROM roster_standing GROUP BY cohort_id, done, day;

-- +goose StatementBegin
CREATE TRIGGER roster_standing_move AFTER INSERT ON roster_standing_moves BEGIN
    UPDATE roster_standing_counts SET students = students - 1
    WHERE (cohort_id, done, day, shard) IN
        (SELECT cohort_id, done, day, 0 FROM roster_standing WHERE enrollment_id = NEW.enrollment_id);
    DELETE FROM roster_standing_counts WHERE students = 0 AND (cohort_id, done, day, shard) IN
        (SELECT cohort_id, done, day, 0 FROM roster_standing WHERE enrollment_id = NEW.enrollment_id);
    DELETE FROM roster_standing WHERE enrollment_id = NEW.enrollment_id;
    INSERT INTO roster_standing (enrollment_id, cohort_id, done, day)
    SELECT e.id, e.cohort_id,
        (SELECT COUNT(*) FROM reading_progress p JOIN readings r ON r.id = p.reading_id
         WHERE p.enrollment_id = e.id AND p.completed_at IS NOT NULL AND r.course_id = e.course_id AND r.required AND r.published),
        CAST(julianday(COALESCE(e.last_activity_at, e.activated_at, e.created_at)) - 2440587.5 AS INTEGER)
    FROM enrollments e WHERE e.id = NEW.enrollment_id AND e.status = 'active';
    INSERT INTO roster_standing_counts (cohort_id, done, day, shard, students)
    SELECT cohort_id, done, day, 0, 1 FROM roster_standing WHERE enrollment_id = NEW.enrollment_id
    ON CONFLICT (cohort_id, done, day, shard) DO UPDATE SET students = students + 1;
    DELETE FROM roster_standing_moves WHERE enrollment_id = NEW.enrollment_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER enrollments_standing AFTER UPDATE OF status, cohort_id, activated_at, created_at ON enrollments
WHEN OLD.status <> NEW.status OR OLD.cohort_id <> NEW.cohort_id
    OR OLD.activated_at IS NOT NEW.activated_at OR OLD.created_at <> NEW.created_at BEGIN
    INSERT INTO roster_standing_moves (enrollment_id) VALUES (NEW.id);
END;
-- +goose StatementEnd

-- A progress report sets last_activity_at, and only that, every time:
-- SQLite compiles this trigger into the statement, prepared anew on each
-- report, so it moves the student to their new day itself, in four short
-- statements, rather than through the queue; its condition keeps it out
-- of all but a student's first report of a day.
-- +goose StatementBegin
CREATE TRIGGER enrollments_standing_day AFTER UPDATE OF last_activity_at ON enrollments
WHEN NEW.status = 'active'
    AND CAST(julianday(COALESCE(OLD.last_activity_at, OLD.activated_at, OLD.created_at)) - 2440587.5 AS INTEGER)
       <> CAST(julianday(COALESCE(NEW.last_activity_at, NEW.activated_at, NEW.created_at)) - 2440587.5 AS INTEGER) BEGIN
    UPDATE roster_standing_counts SET students = students - 1
    WHERE (cohort_id, done, day, shard) IN (SELECT cohort_id, done, day, 0 FROM roster_standing WHERE enrollment_id = NEW.id);
    DELETE FROM roster_standing_counts WHERE students = 0 AND (cohort_id, done, day, shard) IN
        (SELECT cohort_id, done, day, 0 FROM roster_standing WHERE enrollment_id = NEW.id);
    UPDATE roster_standing
    SET day = CAST(julianday(COALESCE(NEW.last_activity_at, NEW.activated_at, NEW.created_at)) - 2440587.5 AS INTEGER)
    WHERE enrollment_id = NEW.id;
    INSERT INTO roster_standing_counts (cohort_id, done, day, shard, students)
    SELECT cohort_id, done, day, 0, 1 FROM roster_standing WHERE enrollment_id = NEW.id
    ON CONFLICT (cohort_id, done, day, shard) DO UPDATE SET students = students + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER enrollments_standing_insert AFTER INSERT ON enrollments WHEN NEW.status = 'active' BEGIN
    INSERT INTO roster_standing_moves (enrollment_id) VALUES (NEW.id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER enrollments_standing_delete AFTER DELETE ON enrollments WHEN OLD.status = 'active' BEGIN
    INSERT INTO roster_standing_moves (enrollment_id) VALUES (OLD.id);
END;
-- +goose StatementEnd

-- Only a completion, or its removal, changes what a student has done.
-- +goose StatementBegin
CREATE TRIGGER reading_progress_standing AFTER UPDATE OF completed_at ON reading_progress
WHEN (OLD.completed_at IS NULL) <> (NEW.completed_at IS NULL) BEGIN
    INSERT INTO roster_standing_moves (enrollment_id) VALUES (NEW.enrollment_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER reading_progress_standing_insert AFTER INSERT ON reading_progress WHEN NEW.completed_at IS NOT NULL BEGIN
    INSERT INTO roster_standing_moves (enrollment_id) VALUES (NEW.enrollment_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER reading_progress_standing_delete AFTER DELETE ON reading_progress WHEN OLD.completed_at IS NOT NULL BEGIN
    INSERT INTO roster_standing_moves (enrollment_id) VALUES (OLD.enrollment_id);
END;
-- +goose StatementEnd

-- A reading made required or optional, published or not, changes what
-- everyone who completed it has done.
-- +goose StatementBegin
CREATE TRIGGER readings_standing AFTER UPDATE OF required, published, course_id ON readings
WHEN OLD.required <> NEW.required OR OLD.published <> NEW.published OR OLD.course_id <> NEW.course_id BEGIN
    INSERT INTO roster_standing_moves (enrollment_id)
    SELECT enrollment_id FROM reading_progress WHERE reading_id = NEW.id AND completed_at IS NOT NULL;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER readings_standing;
DROP TRIGGER reading_progress_standing_delete;
DROP TRIGGER reading_progress_standing_insert;
DROP TRIGGER reading_progress_standing;
DROP TRIGGER enrollments_standing_delete;
DROP TRIGGER enrollments_standing_insert;
DROP TRIGGER enrollments_standing_day;
DROP TRIGGER enrollments_standing;
DROP TRIGGER roster_standing_move;
DROP TABLE roster_standing_moves;
DROP TABLE roster_standing_counts;
DROP TABLE roster_standing;
DROP INDEX enrollments_user_course_idx;
