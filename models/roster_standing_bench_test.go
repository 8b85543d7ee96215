package models_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"courseportal/models"
	"courseportal/models/testdb"
)

// standingTriggers switches off and on the triggers that keep the roster's
// standing on an enrollment's activity (the ones a progress report can
// fire), so a benchmark can measure a progress write with and without them.
type standingTriggers struct {
	store *models.Store
	saved []string // SQLite: the triggers' definitions while dropped
}

func (st *standingTriggers) set(b *testing.B, on bool) {
	db := st.store.DB()
	if st.store.Dialect() == models.Postgres {
		verb := "DISABLE"
		if on {
			verb = "ENABLE"
		}
		for _, sql := range []string{"ALTER TABLE enrollments " + verb + " TRIGGER enrollments_standing_day",
			"ALTER TABLE reading_progress " + verb + " TRIGGER reading_progress_standing",
			"ALTER TABLE reading_progress " + verb + " TRIGGER reading_progress_standing_insert"} {
			if err := db.Exec(sql).Error; err != nil {
				b.Fatal(err)
			}
		}
		return
	}
	if on {
		for _, sql := range st.saved {
			if err := db.Exec(sql).Error; err != nil {
				b.Fatal(err)
			}
		}
		st.saved = nil
		return
	}
	var rows []struct{ Name, SQL string }
	err := db.Raw(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger'
  AND name IN ('enrollments_standing_day', 'reading_progress_standing', 'reading_progress_standing_insert')`).Scan(&rows).Error
	if err != nil {
		b.Fatal(err)
	}
	for _, r := range rows {
		st.saved = append(st.saved, r.SQL)
		if err := db.Exec("DROP TRIGGER " + r.Name).Error; err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkProgressWriteStanding measures a progress report (RecordProgress)
// with the roster standing's triggers and without them, alternating every
// round of 200 reports so that other work on the machine falls on both
// alike. In "same-day" the clock moves 50 ms a report: the triggers' only
// cost is their condition. In "new-day" it moves a day every round, so each
// report is its student's first of the day and moves them: the worst case.
// It reports the extra wall clock and CPU time (this process's and its
// PostgreSQL backends') per report.
func BenchmarkProgressWriteStanding(b *testing.B) {
	for _, mode := range []string{"same-day", "new-day"} {
		b.Run(mode, func(b *testing.B) {
			store, clock := testdb.Open(b)
			c := testdb.NewClass(b, store, clock, models.PacingSelfPaced)
			const students = 200
			access := make([]*models.Access, students)
			for i := range access {
				c.Enroll(b, fmt.Sprintf("student %d", i))
				access[i] = c.Access(b, fmt.Sprintf("student %d", i), 1)
			}
			triggers := &standingTriggers{store: store}
			ctx := context.Background()
			b.StopTimer()
			var spent [2]time.Duration // without, with
			var writes [2]int
			var ticks [2]int64
			measured := true
			for round, i := 0, 0; i < b.N; round++ {
				with := round % 2
				triggers.set(b, with == 1)
				if mode == "new-day" {
					clock.Advance(testdb.Day)
				}
				n := min(students, b.N-i)
				pids := serverPIDs(b, store)
				cpuBefore, ok := cpuTicks(pids)
				b.StartTimer()
				started := time.Now()
				for k := range n {
					clock.Advance(50 * time.Millisecond)
					u := models.ProgressUpdate{Percent: 50, Position: fmt.Sprintf("p-%d", 1+round%8), Seconds: 10}
					if _, err := store.RecordProgress(ctx, access[k], u); err != nil {
						b.Fatal(err)
					}
				}
				spent[with] += time.Since(started)
				b.StopTimer()
				cpuAfter, okAfter := cpuTicks(pids)
				measured = measured && ok && okAfter
				ticks[with] += cpuAfter - cpuBefore
				writes[with] += n
				i += n
			}
			triggers.set(b, true)
			without := float64(spent[0].Nanoseconds()) / float64(max(1, writes[0]))
			with := float64(spent[1].Nanoseconds()) / float64(max(1, writes[1]))
			b.ReportMetric(100*(with/without-1), "%extra")
			if measured && ticks[0] > 0 {
				b.ReportMetric(100*(float64(ticks[1])/float64(writes[1])/(float64(ticks[0])/float64(writes[0]))-1), "%cpu-extra")
			}
		})
	}
}
