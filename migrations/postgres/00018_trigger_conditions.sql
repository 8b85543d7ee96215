-- A trigger's condition is prepared afresh for every statement that may
-- fire it, and two conditions were costly to prepare: every progress report
-- updates last_activity_at, so it paid for both, whether a trigger fired or
-- not (about 50 µs each with insight_week and insight_day, which are inlined
-- then, and still about 25 µs each spelled out, for the numeric arithmetic
-- of extract(epoch ...)). Both now compare UTC dates, which costs next to
-- nothing:
-- * enrollments_standing_day, exactly as before: insight_day numbers the UTC
--   days.
-- * enrollments_insight now fires on a new UTC day rather than a new week
--   (a new week is always a new day), and enrollments_insight() itself
--   counts a student only when the week changed, as it always checked.

-- reading_progress_insight() also does its work in fewer statements: a
-- report that moves a reader to another counter row looks up the cohort and
-- writes both rows in one, where it took three.

-- +goose Up
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION reading_progress_insight() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE reading_stops s SET readers = s.readers - 1
        FROM enrollments e
        WHERE e.id = OLD.enrollment_id AND s.cohort_id = e.cohort_id AND s.reading_id = OLD.reading_id
          AND s.furthest = OLD.furthest AND s.minute = LEAST(OLD.seconds_read / 60, 600) AND s.shard = OLD.enrollment_id % 16;
        IF OLD.completed_at IS NOT NULL THEN
            UPDATE reading_completions c SET readers = c.readers - 1
            FROM enrollments e
            WHERE e.id = OLD.enrollment_id AND c.cohort_id = e.cohort_id AND c.reading_id = OLD.reading_id
              AND c.day = insight_day(OLD.completed_at);
        END IF;
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO reading_stops AS s (cohort_id, reading_id, furthest, minute, shard, readers)
        SELECT e.cohort_id, NEW.reading_id, NEW.furthest, LEAST(NEW.seconds_read / 60, 600), NEW.enrollment_id % 16, 1
        FROM enrollments e WHERE e.id = NEW.enrollment_id
        ON CONFLICT (cohort_id, reading_id, furthest, minute, shard) DO UPDATE SET readers = s.readers + 1;
    ELSIF OLD.furthest <> NEW.furthest OR LEAST(OLD.seconds_read / 60, 600) <> LEAST(NEW.seconds_read / 60, 600) THEN
        -- One statement: the cohort, one reader out of the old row and into
        -- the new one.
        INSERT INTO reading_stops AS s (cohort_id, reading_id, furthest, minute, shard, readers)
        SELECT e.cohort_id, NEW.reading_id, v.furthest, v.minute, NEW.enrollment_id % 16, v.delta
        FROM enrollments e, (VALUES (OLD.furthest, LEAST(OLD.seconds_read / 60, 600), -1),
                                    (NEW.furthest, LEAST(NEW.seconds_read / 60, 600), 1)) AS v (furthest, minute, delta)
        WHERE e.id = NEW.enrollment_id
        ON CONFLICT (cohort_id, reading_id, furthest, minute, shard) DO UPDATE
        SET readers = s.readers + excluded.readers;
    END IF;
    -- OLD is NULL on an insert.
    IF NEW.completed_at IS NOT NULL AND (TG_OP = 'INSERT' OR OLD.completed_at IS NULL) THEN
        INSERT INTO reading_completions AS c (cohort_id, reading_id, day, readers)
        SELECT e.cohort_id, NEW.reading_id, insight_day(NEW.completed_at), 1
        FROM enrollments e WHERE e.id = NEW.enrollment_id
        ON CONFLICT (cohort_id, reading_id, day) DO UPDATE SET readers = c.readers + 1;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

DROP TRIGGER enrollments_insight ON enrollments;
CREATE TRIGGER enrollments_insight AFTER UPDATE OF cohort_id, last_activity_at ON enrollments
FOR EACH ROW WHEN (OLD.cohort_id <> NEW.cohort_id OR (NEW.last_activity_at IS NOT NULL AND (OLD.last_activity_at IS NULL
    OR (OLD.last_activity_at AT TIME ZONE 'UTC')::date <> (NEW.last_activity_at AT TIME ZONE 'UTC')::date)))
EXECUTE FUNCTION enrollments_insight();

DROP TRIGGER enrollments_standing_day ON enrollments;
CREATE TRIGGER enrollments_standing_day AFTER UPDATE OF last_activity_at ON enrollments
FOR EACH ROW WHEN (NEW.status = 'active'
    AND (COALESCE(OLD.last_activity_at, OLD.activated_at, OLD.created_at) AT TIME ZONE 'UTC')::date
    <> (COALESCE(NEW.last_activity_at, NEW.activated_at, NEW.created_at) AT TIME ZONE 'UTC')::date)
EXECUTE FUNCTION enrollments_standing_day();

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION reading_progress_insight() RETURNS trigger
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

DROP TRIGGER enrollments_standing_day ON enrollments;
CREATE TRIGGER enrollments_standing_day AFTER UPDATE OF last_activity_at ON enrollments
FOR EACH ROW WHEN (NEW.status = 'active' AND insight_day(COALESCE(OLD.last_activity_at, OLD.activated_at, OLD.created_at))
    <> insight_day(COALESCE(NEW.last_activity_at, NEW.activated_at, NEW.created_at)))
EXECUTE FUNCTION enrollments_standing_day();

DROP TRIGGER enrollments_insight ON enrollments;
CREATE TRIGGER enrollments_insight AFTER UPDATE OF cohort_id, last_activity_at ON enrollments
FOR EACH ROW WHEN (OLD.cohort_id <> NEW.cohort_id OR (NEW.last_activity_at IS NOT NULL AND (OLD.last_activity_at IS NULL
    OR insight_week(OLD.last_activity_at) <> insight_week(NEW.last_activity_at))))
EXECUTE FUNCTION enrollments_insight();
