package models_test

import (
	"context"
	"runtime"
	"testing"

	"courseportal/models"
	"courseportal/models/testdb"
)

// bulkClass adds a course with n enrolled students in a few statements.
func bulkClass(t testing.TB, store *models.Store, n int) *models.Course {
	t.Helper()
	course, cohort := testdb.Course(t, store, 3, models.Cohort{})
	testdb.BulkStudents(t, store, course, cohort, n)
	return course
}

func liveHeap() int64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc)
}

// TestStreamRosterHoldsOneRowAtATime measures the live heap (after a
// collection) at the first and the last row of an export: ten times the rows
// must not need more memory, so the query streams and nothing collects rows.
func TestStreamRosterHoldsOneRowAtATime(t *testing.T) {
	if testing.Short() {
		t.Skip("bulk export")
	}
	store, _ := testdb.Open(t)
	sizes := []int{500, 5000}
	courses := []*models.Course{bulkClass(t, store, sizes[0]), bulkClass(t, store, sizes[1])}
	export := func(course *models.Course, n int) int64 {
		before := liveHeap()
		var most int64
		rows := 0
		err := store.StreamRoster(context.Background(), course, models.RosterFilter{}, func(r *models.RosterRow) error {
			if rows++; rows == 1 || rows == n {
				most = max(most, liveHeap()-before)
			}
			return nil
		})
		if err != nil || rows != n {
			t.Fatalf("exported %d of %d: %v", rows, n, err)
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
