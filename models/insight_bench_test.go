package models_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"courseportal/models"
	"courseportal/models/testdb"
)

// insightTriggers switches the insight counters' triggers off and on, so a
// benchmark can measure the progress write with and without them on the
// same database.
type insightTriggers struct {
	store *models.Store
	saved []string // SQLite: the triggers' definitions while dropped
}

func (it *insightTriggers) off(b *testing.B) {
	db := it.store.DB()
	if it.store.Dialect() == models.Postgres {
		for _, sql := range []string{
			"ALTER TABLE reading_progress DISABLE TRIGGER reading_progress_insight",
			"ALTER TABLE reading_progress DISABLE TRIGGER reading_progress_insight_update",
			"ALTER TABLE enrollments DISABLE TRIGGER enrollments_insight"} {
			if err := db.Exec(sql).Error; err != nil {
				b.Fatal(err)
			}
		}
		return
	}
	var rows []struct{ Name, SQL string }
	if err := db.Raw("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%insight%'").Scan(&rows).Error; err != nil {
		b.Fatal(err)
	}
	for _, r := range rows {
		it.saved = append(it.saved, r.SQL)
		if err := db.Exec("DROP TRIGGER " + r.Name).Error; err != nil {
			b.Fatal(err)
		}
	}
}

func (it *insightTriggers) on(b *testing.B) {
	db := it.store.DB()
	if it.store.Dialect() == models.Postgres {
		for _, sql := range []string{
			"ALTER TABLE reading_progress ENABLE TRIGGER reading_progress_insight",
			"ALTER TABLE reading_progress ENABLE TRIGGER reading_progress_insight_update",
			"ALTER TABLE enrollments ENABLE TRIGGER enrollments_insight"} {
			if err := db.Exec(sql).Error; err != nil {
				b.Fatal(err)
			}
		}
		return
	}
	for _, sql := range it.saved {
		if err := db.Exec(sql).Error; err != nil {
			b.Fatal(err)
		}
	}
	it.saved = nil
}

// BenchmarkProgressWrite measures one progress report (RecordProgress) with
// the insight counters kept and without them, on the same database: the
// counters' cost is the difference.
func BenchmarkProgressWrite(b *testing.B) {
	store, clock := testdb.Open(b)
	c := testdb.NewClass(b, store, clock, models.PacingSelfPaced)
	const students = 200
	access := make([]*models.Access, students)
	for i := range access {
		c.Enroll(b, fmt.Sprintf("student %d", i))
		access[i] = c.Access(b, fmt.Sprintf("student %d", i), 1)
	}
	triggers := &insightTriggers{store: store}
	ctx := context.Background()
	for _, mode := range []string{"without-counters", "with-counters", "without-counters-again", "with-counters-again"} {
		b.Run(mode, func(b *testing.B) {
			if mode[:4] == "with" && mode[:7] != "without" {
				triggers.on(b)
			} else {
				triggers.off(b)
				defer triggers.on(b)
			}
			b.ResetTimer()
			for i := range b.N {
				clock.Advance(50 * time.Millisecond)
				u := models.ProgressUpdate{Percent: 50, Position: fmt.Sprintf("p-%d", 1+(i/students)%10), Seconds: 10}
				if _, err := store.RecordProgress(ctx, access[i%students], u); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
