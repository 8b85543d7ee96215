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
    COUNT(e.id) FILTER (WHERE e.status = 'active'),
    COUNT(e.id) FILTER (WHERE e.status = 'waitlisted'),
    COUNT(e.id) FILTER (WHERE e.status = 'completed'),
    COUNT(e.id) FILTER (WHERE e.status = 'withdrawn'),
    COUNT(e.id) FILTER (WHERE e.status = 'active'
        AND NOT EXISTS (SELECT 1 FROM reading_progress p WHERE p.enrollment_id = e.id))
FROM cohorts co LEFT JOIN enrollments e ON e.cohort_id = co.id
GROUP BY co.id;

-- +goose StatementBegin
CREATE FUNCTION cohort_counts_add(p_cohort BIGINT, p_status TEXT, p_started BOOLEAN, p_delta INTEGER)
RETURNS void AS $$
BEGIN
    UPDATE cohort_counts SET
        active = active + CASE WHEN p_status = 'active' THEN p_delta ELSE 0 END,
        waitlisted = waitlisted + CASE WHEN p_status = 'waitlisted' THEN p_delta ELSE 0 END,
        completed = completed + CASE WHEN p_status = 'completed' THEN p_delta ELSE 0 END,
        withdrawn = withdrawn + CASE WHEN p_status = 'withdrawn' THEN p_delta ELSE 0 END,
        not_started = not_started + CASE WHEN p_status = 'active' AND NOT p_started THEN p_delta ELSE 0 END
    WHERE cohort_id = p_cohort;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION enrollments_count() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM cohort_counts_add(OLD.cohort_id, OLD.status,
            EXISTS (SELECT 1 FROM reading_progress p WHERE p.enrollment_id = OLD.id), -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM cohort_counts_add(NEW.cohort_id, NEW.status,
            EXISTS (SELECT 1 FROM reading_progress p WHERE p.enrollment_id = NEW.id), 1);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

CREATE TRIGGER enrollments_count AFTER INSERT OR DELETE OR UPDATE OF status, cohort_id ON enrollments
    FOR EACH ROW EXECUTE FUNCTION enrollments_count();

-- A student's first progress row (the first time they open any reading)
-- takes them out of "not started"; the enrollment's row lock orders two
-- first rows written at once, so only one of them counts.
-- +goose StatementBegin
CREATE FUNCTION reading_progress_count() RETURNS trigger AS $$
DECLARE
    e_id BIGINT;
    delta INTEGER;
    n BIGINT;
BEGIN
    IF TG_OP = 'INSERT' THEN
        e_id := NEW.enrollment_id;
        delta := -1;
    ELSE
        e_id := OLD.enrollment_id;
        delta := 1;
    END IF;
    PERFORM 1 FROM enrollments WHERE id = e_id FOR UPDATE;
    SELECT COUNT(*) INTO n FROM reading_progress WHERE enrollment_id = e_id;
    IF (delta < 0 AND n = 1) OR (delta > 0 AND n = 0) THEN
        UPDATE cohort_counts SET not_started = not_started + delta
        WHERE cohort_id = (SELECT cohort_id FROM enrollments WHERE id = e_id AND status = 'active');
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

CREATE TRIGGER reading_progress_count AFTER INSERT OR DELETE ON reading_progress
    FOR EACH ROW EXECUTE FUNCTION reading_progress_count();

-- +goose StatementBegin
CREATE FUNCTION cohorts_count() RETURNS trigger AS $$
BEGIN
    INSERT INTO cohort_counts (cohort_id) VALUES (NEW.id);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

CREATE TRIGGER cohorts_count AFTER INSERT ON cohorts FOR EACH ROW EXECUTE FUNCTION cohorts_count();

-- The roster's at-risk count reads only completed progress; ordinary
-- progress reports leave completed_at alone, so this index costs them nothing.
CREATE INDEX reading_progress_completed_idx ON reading_progress (enrollment_id, reading_id) WHERE completed_at IS NOT NULL;

-- +goose Down
DROP INDEX reading_progress_completed_idx;
DROP TRIGGER cohorts_count ON cohorts;
DROP FUNCTION cohorts_count();
DROP TRIGGER reading_progress_count ON reading_progress;
DROP FUNCTION reading_progress_count();
DROP TRIGGER enrollments_count ON enrollments;
DROP FUNCTION enrollments_count();
DROP FUNCTION cohort_counts_add(BIGINT, TEXT, BOOLEAN, INTEGER);
DROP TABLE cohort_counts;
