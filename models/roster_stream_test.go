package models_test

import (
	"context"
	"runtime"
	"testing"

	"courseportal/models"
	"courseportal/models/testdb"
)

// bulkClass adds a course with n enrolled students in a few statements; its
// first reading has a check, which every other student has taken.
func bulkClass(t testing.TB, store *models.Store, n int) *models.Course {
	t.Helper()
	course, cohort := testdb.Course(t, store, 3, models.Cohort{})
	enrollments := testdb.BulkStudents(t, store, course, cohort, n)
	check, err := store.SaveCheck(context.Background(), 0, course, &course.Weeks[0].Readings[0], twoQuestions(nil))
	if err != nil {
		t.Fatal(err)
	}
	var results []models.CheckResult
	for i := 0; i < n; i += 2 {
		results = append(results, models.CheckResult{EnrollmentID: enrollments[i].ID, CheckID: check.ID,
			Attempts: 1 + i%3, BestPercent: i % 101, LastAttemptAt: store.Now()})
	}
	if err := store.DB().CreateInBatches(&results, 500).Error; err != nil {
		t.Fatal(err)
	}
	return course
}

func liveHeap() int64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc)
}

// TestStreamRosterHoldsOneRowAtATime measures the live heap (after a
// collection) at the first and the last row of an export, check scores
// included: ten times the rows must not need more memory, so the query
// streams and nothing collects rows.
func TestStreamRosterHoldsOneRowAtATime(t *testing.T) {
	if testing.Short() {
		t.Skip("bulk export")
	}
	store, _ := testdb.Open(t)
	sizes := []int{500, 5000}
	courses := []*models.Course{bulkClass(t, store, sizes[0]), bulkClass(t, store, sizes[1])}
	export := func(course *models.Course, n int) int64 {
		checks, err := store.RosterChecks(context.Background(), course.ID)
		if err != nil || len(checks) != 1 {
			t.Fatalf("checks = %+v, %v", checks, err)
		}
		before := liveHeap()
		var most int64
		rows, taken := 0, 0
		err = store.StreamRoster(context.Background(), course, models.RosterFilter{}, checks, func(r *models.RosterRow) error {
			if rows++; rows == 1 || rows == n {
				most = max(most, liveHeap()-before)
			}
			if r.Checks[0].Taken() {
				taken++
			}
			return nil
		})
		if err != nil || rows != n || taken != (n+1)/2 {
			t.Fatalf("exported %d of %d, %d with a check taken: %v", rows, n, taken, err)
		}
		return most
	}
	for i := range courses { // warm up connections and caches
		export(courses[i], sizes[i])
	}
	small, large := export(courses[0], sizes[0]), export(courses[1], sizes[1])
	t.Logf("live heap during the export: %+d KiB for %d rows, %+d KiB for %d rows", small>>10, sizes[0], large>>10, sizes[1])
	// 4,500 more rows held in memory would take over a megabyte.
	if large-small > 128<<10 {
		t.Fatalf("the live heap during the export grew from %d KiB (500 rows) to %d KiB (5,000 rows)", small>>10, large>>10)
	}
}
