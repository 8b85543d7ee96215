-- The item analysis of a check reads every first attempt (one per student):
-- tens of thousands of rows for a large course. checks.attempts_version
-- counts the changes to a check's first attempts, kept by a trigger in the
-- transaction of the attempt, so that an analysis computed once serves every
-- view until a first attempt is added, changed or removed.

-- +goose Up
ALTER TABLE checks ADD COLUMN attempts_version BIGINT NOT NULL DEFAULT 0;

-- +goose StatementBegin
CREATE FUNCTION check_attempts_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'DELETE' AND NEW.number = 1 THEN
        UPDATE checks SET attempts_version = attempts_version + 1 WHERE id = NEW.check_id;
    END IF;
    IF TG_OP <> 'INSERT' AND OLD.number = 1 AND (TG_OP = 'DELETE' OR NEW.number <> 1 OR NEW.check_id <> OLD.check_id) THEN
        UPDATE checks SET attempts_version = attempts_version + 1 WHERE id = OLD.check_id;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER check_attempts_version AFTER INSERT OR UPDATE OR DELETE ON check_attempts
FOR EACH ROW EXECUTE FUNCTION check_attempts_version();

-- +goose Down
DROP TRIGGER check_attempts_version ON check_attempts;
DROP FUNCTION check_attempts_version();
ALTER TABLE checks DROP COLUMN attempts_version;
