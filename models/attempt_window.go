package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// attemptWindow is a sliding-window limit over a table of attempts: at most
// limit rows with the same key within window.
type attemptWindow struct {
	table      string   // a fixed table name, never user input
	timeColumn string   // when the attempt was made
	keyColumns []string // what identifies the one attempting
	limit      int
	window     time.Duration
}

// reserve records an attempt for key before the work it guards is done and
// returns how long the key stays refused (zero to go ahead) with the new
// attempt's id; a refused attempt is not kept. On PostgreSQL it runs in one
// transaction holding an advisory lock on the key, so parallel attempts are
// counted one after another and none slips under the limit, on one instance
// or many (row ids come from a sequence before commit, so without the lock
// two attempts could each miss the other).
// Rows of the key that left the window are deleted afterwards, outside the
// transaction.
func (s *Store) reserve(ctx context.Context, w attemptWindow, key ...any) (time.Duration, int64, error) {
	now := s.clock.Now()
	match := strings.Join(w.keyColumns, " = ? AND ") + " = ?"
	var wait time.Duration
	var id int64
	run := s.tx
	if s.dialect != Postgres {
		// SQLite has one writer at a time and numbers rows in commit order,
		// so each attempt already sees every earlier one; a transaction
		// would only lengthen the queue behind the write lock in a flood.
		run = func(ctx context.Context, fn func(tx *gorm.DB) error) error {
			db, cancel := s.conn(ctx)
			defer cancel()
			return fn(db)
		}
	}
	err := run(ctx, func(tx *gorm.DB) error {
		if s.dialect == Postgres {
			lockKey := w.table + fmt.Sprint(key...)
			if err := tx.Exec("SELECT pg_advisory_xact_lock(hashtext(?))", lockKey).Error; err != nil {
				return fmt.Errorf("store: unable to lock %s: %w", w.table, err)
			}
		}
		insert := "INSERT INTO " + w.table + " (" + strings.Join(w.keyColumns, ", ") + ", " + w.timeColumn + ") VALUES (" +
			strings.Repeat("?, ", len(key)) + "?) RETURNING id"
		if err := tx.Raw(insert, append(key, now)...).Scan(&id).Error; err != nil {
			return fmt.Errorf("store: unable to record attempt in %s: %w", w.table, err)
		}
		var earlier []time.Time
		err := tx.Table(w.table).Where(match, key...).
			Where(w.timeColumn+" > ? AND id < ?", now.Add(-w.window), id).
			Order(w.timeColumn+" DESC").Limit(w.limit).Pluck(w.timeColumn, &earlier).Error
		if err != nil {
			return fmt.Errorf("store: unable to count attempts in %s: %w", w.table, err)
		}
		if len(earlier) < w.limit {
			return nil
		}
		if err := tx.Exec("DELETE FROM "+w.table+" WHERE id = ?", id).Error; err != nil {
			return fmt.Errorf("store: unable to drop refused attempt: %w", err)
		}
		// Allowed again once the oldest of the last attempts leaves the window.
		wait, id = max(earlier[len(earlier)-1].Add(w.window).Sub(now), time.Second), 0
		return nil
	})
	if err != nil || wait > 0 {
		return wait, id, err
	}
	db, cancel := s.conn(ctx)
	defer cancel()
	err = db.Table(w.table).Where(match, key...).Where(w.timeColumn+" <= ?", now.Add(-w.window)).Delete(map[string]any{}).Error
	if err != nil {
		return 0, 0, fmt.Errorf("store: unable to prune %s: %w", w.table, err)
	}
	return 0, id, nil
}
