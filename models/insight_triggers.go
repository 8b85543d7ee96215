package models

import (
	"context"
	"fmt"
)

// insightTriggerNames are the PostgreSQL triggers that keep the insight
// counters on a progress report (an enrollment's insert keeps its own).
var insightTriggerNames = []struct{ table, trigger string }{
	{"reading_progress", "reading_progress_insight"},
	{"reading_progress", "reading_progress_insight_update"},
	{"enrollments", "enrollments_insight"},
}

// InsightTriggers switches off, and on again, the triggers that keep the
// insight counters, so that the benchmarks can measure what the counters
// cost a progress report on one database. Reports written while they are
// off are missing from the counters for good: for scratch databases only.
type InsightTriggers struct {
	store *Store
	saved []string // SQLite: the dropped triggers' definitions
}

// InsightTriggers returns the switch of this store's insight counters.
func (s *Store) InsightTriggers() *InsightTriggers { return &InsightTriggers{store: s} }

// Off disables the triggers (on SQLite, which cannot disable a trigger,
// drops them and keeps their definitions for On).
func (it *InsightTriggers) Off(ctx context.Context) error {
	db := it.store.db.WithContext(ctx)
	if it.store.dialect == Postgres {
		return it.alter(ctx, "DISABLE")
	}
	if it.saved != nil {
		return nil
	}
	var rows []struct{ Name, SQL string }
	err := db.Raw("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%insight%' ORDER BY name").
		Scan(&rows).Error
	if err != nil {
		return fmt.Errorf("store: unable to read the insight triggers: %w", err)
	}
	it.saved = []string{}
	for _, r := range rows {
		if err := db.Exec("DROP TRIGGER " + r.Name).Error; err != nil {
			return fmt.Errorf("store: unable to drop trigger %s: %w", r.Name, err)
		}
		it.saved = append(it.saved, r.SQL)
	}
	return nil
}

// On enables the triggers again (on SQLite, creates the dropped ones).
func (it *InsightTriggers) On(ctx context.Context) error {
	if it.store.dialect == Postgres {
		return it.alter(ctx, "ENABLE")
	}
	db := it.store.db.WithContext(ctx)
	for len(it.saved) > 0 {
		if err := db.Exec(it.saved[0]).Error; err != nil {
			return fmt.Errorf("store: unable to create an insight trigger again: %w", err)
		}
		it.saved = it.saved[1:]
	}
	it.saved = nil
	return nil
}

func (it *InsightTriggers) alter(ctx context.Context, verb string) error {
	db := it.store.db.WithContext(ctx)
	for _, t := range insightTriggerNames {
		if err := db.Exec("ALTER TABLE " + t.table + " " + verb + " TRIGGER " + t.trigger).Error; err != nil {
			return fmt.Errorf("store: unable to %s trigger %s: %w", verb, t.trigger, err)
		}
	}
	return nil
}
