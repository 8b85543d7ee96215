-- Roster: a page sorted by name or email can walk the people in that order
-- (users_full_name_idx, users_email_key) and look each up in the course,
-- stopping after the page. The unique index on (user_id, course_id) covers
-- only live enrollments, which a filter by one status cannot use on SQLite;
-- this one covers every enrollment.

-- +goose Up
CREATE INDEX enrollments_user_course_idx ON enrollments (user_id, course_id);

-- +goose Down
DROP INDEX enrollments_user_course_idx;
