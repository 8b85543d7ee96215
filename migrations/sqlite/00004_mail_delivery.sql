-- Mail delivery: the worker's claim token (a fencing token, so a worker whose
-- lease expired cannot mark a message another worker re-claimed), the course a
-- message belongs to (instructors see the messages of their courses), and the
-- List-Unsubscribe header of reminders.

-- +goose Up
ALTER TABLE outbox ADD COLUMN claim_token TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN course_id INTEGER REFERENCES courses (id) ON DELETE SET NULL;
ALTER TABLE outbox ADD COLUMN list_unsubscribe TEXT NOT NULL DEFAULT '';
CREATE INDEX outbox_course_idx ON outbox (course_id, id);
CREATE INDEX outbox_created_idx ON outbox (status, id);

-- +goose Down
DROP INDEX outbox_created_idx;
DROP INDEX outbox_course_idx;
ALTER TABLE outbox DROP COLUMN list_unsubscribe;
ALTER TABLE outbox DROP COLUMN course_id;
ALTER TABLE outbox DROP COLUMN claim_token;
