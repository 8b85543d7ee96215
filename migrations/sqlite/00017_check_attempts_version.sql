-- The item analysis of a check reads every first attempt (one per student):
-- tens of thousands of rows for a large course. checks.attempts_version
-- counts the changes to a check's first attempts, kept by triggers in the
-- transaction of the attempt, so that an analysis computed once serves every
-- view until a first attempt is added, changed or removed.

-- +goose Up
ALTER TABLE checks ADD COLUMN attempts_version INTEGER NOT NULL DEFAULT 0;

-- +goose StatementBegin
CREATE TRIGGER check_attempts_version_insert AFTER INSERT ON check_attempts WHEN NEW.number = 1 BEGIN
    UPDATE checks SET attempts_version = attempts_version + 1 WHERE id = NEW.check_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER check_attempts_version_update AFTER UPDATE ON check_attempts WHEN OLD.number = 1 OR NEW.number = 1 BEGIN
    UPDATE checks SET attempts_version = attempts_version + 1 WHERE id IN (OLD.check_id, NEW.check_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER check_attempts_version_delete AFTER DELETE ON check_attempts WHEN OLD.number = 1 BEGIN
    UPDATE checks SET attempts_version = attempts_version + 1 WHERE id = OLD.check_id;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER check_attempts_version_delete;
DROP TRIGGER check_attempts_version_update;
DROP TRIGGER check_attempts_version_insert;
ALTER TABLE checks DROP COLUMN attempts_version;
