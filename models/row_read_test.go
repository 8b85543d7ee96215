package models_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"courseportal/models"
	"courseportal/models/testdb"
)

// cohortsQuery reads a course's cohorts, one with a NULL opening.
const cohortsQuery = "SELECT id, name, enroll_opens_at FROM cohorts WHERE course_id = ? ORDER BY id"

// threeCohorts is a course with three cohorts: the fixture's, one that
// opens for enrollment at a set time and one that is always open.
func threeCohorts(t *testing.T, store *models.Store) (*models.Course, []models.Cohort) {
	t.Helper()
	course, first := testdb.Course(t, store, 1, models.Cohort{})
	opens := testdb.Start.Add(-time.Hour)
	cohorts := []models.Cohort{*first,
		{CourseID: course.ID, Name: "Spring", StartsAt: testdb.Start, EnrollOpensAt: &opens, Pacing: models.PacingScheduled},
		{CourseID: course.ID, Name: "Summer", StartsAt: testdb.Start.Add(90 * 24 * time.Hour), Pacing: models.PacingScheduled}}
	for i := 1; i < len(cohorts); i++ {
		if err := store.CreateCohort(context.Background(), &cohorts[i]); err != nil {
			t.Fatal(err)
		}
	}
	return course, cohorts
}

// TestReadRowsReadsEveryRowInOrder: each row is scanned into the same
// destinations, NULL as a nil pointer, and a pointer read from one row is
// not overwritten by the next; the statement is counted once.
func TestReadRowsReadsEveryRowInOrder(t *testing.T) {
	store, _ := testdb.Open(t)
	counter := &models.QueryCounter{}
	if err := store.DB().Use(counter); err != nil {
		t.Fatal(err)
	}
	course, cohorts := threeCohorts(t, store)
	type row struct {
		id    int64
		name  string
		opens *time.Time
	}
	// Twice: the second read reuses the statement and its scan plans.
	for range 2 {
		var got []row
		var r row
		before := counter.Count()
		err := store.ReadRows(context.Background(), "cohorts", cohortsQuery, []any{course.ID}, []any{&r.id, &r.name, &r.opens},
			func() error {
				got = append(got, r)
				return nil
			})
		if err != nil {
			t.Fatal(err)
		}
		if n := counter.Count() - before; n != 1 {
			t.Errorf("reading the rows ran %d statements, want 1", n)
		}
		if len(got) != len(cohorts) {
			t.Fatalf("read %d rows, want %d", len(got), len(cohorts))
		}
		for i, k := range cohorts {
			g := got[i]
			if g.id != k.ID || g.name != k.Name || (g.opens == nil) != (k.EnrollOpensAt == nil) ||
				(g.opens != nil && !g.opens.Equal(*k.EnrollOpensAt)) {
				t.Errorf("row %d = %d %q %v, want %d %q %v", i, g.id, g.name, g.opens, k.ID, k.Name, k.EnrollOpensAt)
			}
		}
	}
}

// TestReadRowsWithoutRowsCallsNothing: a query without rows is no error.
func TestReadRowsWithoutRowsCallsNothing(t *testing.T) {
	store, _ := testdb.Open(t)
	var id int64
	var name string
	var opens *time.Time
	err := store.ReadRows(context.Background(), "cohorts", cohortsQuery, []any{int64(-1)}, []any{&id, &name, &opens},
		func() error {
			t.Error("called for a row of a course that does not exist")
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
}

// TestReadRowsStopsAtTheCallbacksError: an error of the callback ends the
// reading and comes back as it is; the database's own errors are wrapped
// with the rows' name.
func TestReadRowsStopsAtTheCallbacksError(t *testing.T) {
	store, _ := testdb.Open(t)
	course, _ := threeCohorts(t, store)
	ctx := context.Background()
	stop := errors.New("enough")
	var id int64
	var name string
	var opens *time.Time
	calls := 0
	err := store.ReadRows(ctx, "cohorts", cohortsQuery, []any{course.ID}, []any{&id, &name, &opens}, func() error {
		calls++
		return stop
	})
	if err != stop || calls != 1 { //nolint:errorlint // the error must come back unwrapped
		t.Errorf("ReadRows = %v after %d calls, want the callback's error after one", err, calls)
	}
	// The connection is usable again after a reading cut short.
	calls = 0
	if err := store.ReadRows(ctx, "cohorts", cohortsQuery, []any{course.ID}, []any{&id, &name, &opens}, func() error {
		calls++
		return nil
	}); err != nil || calls != 3 {
		t.Errorf("reading again = %v after %d calls, want 3 rows", err, calls)
	}
	for query, dests := range map[string][]any{
		"SELECT id, name FROM no_such_table": {&id, &name},
		cohortsQuery:                         {&id, &name}, // a column more than destinations
	} {
		err := store.ReadRows(ctx, "cohorts", query, []any{course.ID}, dests, func() error { return nil })
		if err == nil || !strings.HasPrefix(err.Error(), "store: unable to load cohorts: ") {
			t.Errorf("%s: ReadRows = %v, want an error naming the cohorts", query, err)
		}
	}
}
