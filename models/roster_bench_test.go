package models_test

import (
	"context"
	"testing"
	"time"

	"courseportal/models"
	"courseportal/models/testdb"
)

// BenchmarkRosterFirstPage reads the first page of a 10,000-student roster
// with its summary, as the console does: 20 % have not started, 70 % are
// part-way through the first reading, 10 % completed it, and their last
// activity is spread over six weeks. Besides the wall clock it reports the
// CPU time per page of this process and its PostgreSQL backends
// (cpu-ms/op), which other work on the machine moves less.
func BenchmarkRosterFirstPage(b *testing.B) {
	store, clock := testdb.Open(b)
	course, cohort := testdb.Course(b, store, 3, models.Cohort{Pacing: models.PacingSelfPaced, StartsAt: testdb.Start})
	clock.Advance(42 * testdb.Day)
	const n = 10000
	enrollments := testdb.BulkStudents(b, store, course, cohort, n)
	db := store.DB()
	now := store.Now()
	reading := course.Weeks[0].Readings[0].ID
	var progress []models.ReadingProgress
	tx := db.Begin()
	for i, e := range enrollments {
		active := now.Add(-time.Duration(i*7919%(42*24*60)) * time.Minute)
		if err := tx.Exec("UPDATE enrollments SET last_activity_at = ? WHERE id = ?", active, e.ID).Error; err != nil {
			b.Fatal(err)
		}
		switch k := i % 10; {
		case k < 2: // not started
		case k < 9:
			progress = append(progress, models.ReadingProgress{EnrollmentID: e.ID, ReadingID: reading, Percent: 1 + i%99,
				FirstOpenedAt: active, LastActivityAt: active, LastBeatMs: active.UnixMilli()})
		default:
			progress = append(progress, models.ReadingProgress{EnrollmentID: e.ID, ReadingID: reading, Percent: 100,
				FirstOpenedAt: active, LastActivityAt: active, LastBeatMs: active.UnixMilli(), CompletedAt: &active})
		}
	}
	if err := tx.Commit().Error; err != nil {
		b.Fatal(err)
	}
	if err := db.CreateInBatches(&progress, 500).Error; err != nil {
		b.Fatal(err)
	}
	if err := db.Exec("ANALYZE").Error; err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	pids := serverPIDs(b, store)
	cpuBefore, ok := cpuTicks(pids)
	b.ResetTimer()
	for b.Loop() {
		page, sum, err := store.Roster(ctx, course, models.RosterFilter{})
		if err != nil || len(page.Rows) != models.DefaultRosterLimit || sum.Total.Total != n {
			b.Fatalf("roster: %d rows, %+v, %v", len(page.Rows), sum.Total, err)
		}
	}
	b.StopTimer()
	if cpuAfter, okAfter := cpuTicks(pids); ok && okAfter {
		// Clock ticks are 10 ms: run a few hundred pages.
		b.ReportMetric(float64(cpuAfter-cpuBefore)*10/float64(b.N), "cpu-ms/op")
	}
}
