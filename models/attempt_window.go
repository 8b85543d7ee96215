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
// attempt's id; a refused attempt is not kept. It runs in one transaction
// holding a lock on the key (an advisory lock on PostgreSQL; SQLite's write
// transactions are exclusive already), so parallel attempts are counted one
// after another and none slips under the limit, on one instance or many.
func (s *Store) reserve(ctx context.Context, w attemptWindow, key ...any) (time.Duration, int64, error) {
	now := s.clock.Now()
	match := strings.Join(w.keyColumns, " = ? AND ") + " = ?"
	var wait time.Duration
	var id int64
	err := s.tx(ctx, func(tx *gorm.DB) error {
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
			// Records that left the window no longer count; drop them.
			err := tx.Table(w.table).Where(match, key...).Where(w.timeColumn+" <= ?", now.Add(-w.window)).
				Delete(map[string]any{}).Error
			if err != nil {
				return fmt.Errorf("store: unable to prune %s: %w", w.table, err)
			}
			return nil
		}
		if err := tx.Exec("DELETE FROM "+w.table+" WHERE id = ?", id).Error; err != nil {
			return fmt.Errorf("store: unable to drop refused attempt: %w", err)
		}
		// Allowed again once the oldest of the last attempts leaves the window.
		wait, id = max(earlier[len(earlier)-1].Add(w.window).Sub(now), time.Second), 0
		return nil
	})
	return wait, id, err
}
