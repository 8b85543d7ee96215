package models_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"courseportal/models"
	"courseportal/models/testdb"
)

// Concurrent moves, removals and capacity edits never overfill a cohort and
// keep seats_taken equal to the active students, on either database.
func TestConcurrentConsoleSeatChanges(t *testing.T) {
	store, _ := testdb.Open(t)
	ctx := context.Background()
	admin := testdb.User(t, store, models.RoleAdmin)
	course, big := testdb.Course(t, store, 1, models.Cohort{Capacity: testdb.Capacity(30)})
	small := &models.Cohort{CourseID: course.ID, Name: "Small", StartsAt: testdb.Start.Add(-time.Hour),
		Capacity: testdb.Capacity(5), Pacing: models.PacingSelfPaced}
	if err := store.CreateCohort(ctx, small); err != nil {
		t.Fatal(err)
	}
	var enrollments []models.Enrollment
	for range 40 {
		u := testdb.User(t, store, models.RoleStudent)
		res, err := store.Enroll(ctx, u.ID, course)
		if err != nil {
			t.Fatal(err)
		}
		enrollments = append(enrollments, res.Enrollment)
	}

	var wg sync.WaitGroup
	var mu sync.Mutex
	moved := 0
	for i, en := range enrollments {
		wg.Add(1)
		go func(i int, en models.Enrollment) {
			defer wg.Done()
			var err error
			switch {
			case i%4 == 3:
				err = store.RemoveEnrollment(ctx, admin.ID, course, en.ID)
			case i%10 == 5:
				_, err = store.UpdateCohort(ctx, admin.ID, course, big.ID, models.CohortInput{Name: "Big",
					StartsAt: testdb.Start, Capacity: testdb.Capacity(30 + i/10), Pacing: models.PacingSelfPaced})
			default:
				err = store.MoveEnrollment(ctx, admin.ID, course, en.ID, small.ID)
				if err == nil {
					mu.Lock()
					moved++
					mu.Unlock()
				}
			}
			if err != nil && !errors.Is(err, models.ErrCohortFull) && !errors.Is(err, models.ErrCapacityTooLow) {
				t.Errorf("change %d: %v", i, err)
			}
		}(i, en)
	}
	wg.Wait()
	if moved != 5 {
		t.Errorf("%d moves succeeded into a cohort of 5", moved)
	}
	for _, k := range []*models.Cohort{big, small} {
		got, err := store.CohortByID(ctx, k.ID)
		if err != nil {
			t.Fatal(err)
		}
		active, _ := countByStatus(t, store, k.ID)
		if int64(got.SeatsTaken) != active || (got.Capacity != nil && got.SeatsTaken > *got.Capacity) {
			t.Errorf("cohort %s: seats_taken %d, active %d, capacity %d", got.Name, got.SeatsTaken, active, *got.Capacity)
		}
	}
	// Every freed seat went to the waitlist: nobody waits while seats are free.
	got, _ := store.CohortByID(ctx, big.ID)
	_, waiting := countByStatus(t, store, big.ID)
	if waiting > 0 && got.SeatsTaken < *got.Capacity {
		t.Errorf("%d waiting with %d of %d seats taken", waiting, got.SeatsTaken, *got.Capacity)
	}
}
