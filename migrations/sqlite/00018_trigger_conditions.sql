-- PostgreSQL's version of this migration makes two trigger conditions
-- cheaper to prepare. SQLite compiles its triggers into each statement that
-- may fire them, conditions included, with no such cost: nothing changes
-- here, and the version keeps the two dialects' histories in step.

-- +goose Up

-- +goose Down
