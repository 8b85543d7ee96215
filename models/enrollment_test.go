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

func TestConcurrentEnrollmentsNeverExceedCapacity(t *testing.T) {
	store, _ := testdb.Open(t)
	ctx := context.Background()
	course, cohort := testdb.Course(t, store, 1, models.Cohort{Capacity: testdb.Capacity(50)})
	users := make([]*models.User, 200)
	for i := range users {
		users[i] = testdb.User(t, store, models.RoleStudent)
	}

	var wg sync.WaitGroup
	errs := make(chan error, len(users))
	for _, u := range users {
		wg.Add(1)
		go func(u *models.User) {
			defer wg.Done()
			if _, err := store.Enroll(ctx, u.ID, course); err != nil {
				errs <- err
			}
		}(u)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("enroll failed: %v", err)
	}

	active, waitlisted := countByStatus(t, store, cohort.ID)
	if active != 50 || waitlisted != 150 {
		t.Fatalf("active=%d waitlisted=%d, want 50 and 150", active, waitlisted)
	}
	got, err := store.CohortByID(ctx, cohort.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.SeatsTaken != 50 {
		t.Fatalf("seats_taken = %d, want 50", got.SeatsTaken)
	}

	// Waitlist positions follow arrival (id) order: 1, 2, 3 ...
	var waiting []models.Enrollment
	store.DB().Where("cohort_id = ? AND status = ?", cohort.ID, models.StatusWaitlisted).Order("id").Find(&waiting)
	for i, e := range waiting[:5] {
		_, pos, err := store.EnrollmentFor(ctx, e.UserID, course.ID)
		if err != nil || pos != i+1 {
			t.Fatalf("waitlisted #%d has position %d (%v)", i+1, pos, err)
		}
	}

	// Five withdrawals hand their seats to the first five waiting, in order.
	var seated []models.Enrollment
	store.DB().Where("cohort_id = ? AND status = ?", cohort.ID, models.StatusActive).Order("id").Limit(5).Find(&seated)
	for _, e := range seated {
		if err := store.Withdraw(ctx, e.UserID, course); err != nil {
			t.Fatal(err)
		}
	}
	for i, e := range waiting[:5] {
		var now models.Enrollment
		store.DB().First(&now, e.ID)
		if now.Status != models.StatusActive {
			t.Errorf("waitlisted #%d is %s after withdrawals, want active", i+1, now.Status)
		}
	}
	var sixth models.Enrollment
	store.DB().First(&sixth, waiting[5].ID)
	if sixth.Status != models.StatusWaitlisted {
		t.Errorf("waitlisted #6 is %s, want still waitlisted", sixth.Status)
	}
	active, waitlisted = countByStatus(t, store, cohort.ID)
	if active != 50 || waitlisted != 145 {
		t.Fatalf("after withdrawals active=%d waitlisted=%d, want 50 and 145", active, waitlisted)
	}
}

func countByStatus(t *testing.T, store *models.Store, cohortID int64) (active, waitlisted int64) {
	t.Helper()
	store.DB().Model(&models.Enrollment{}).Where("cohort_id = ? AND status = ?", cohortID, models.StatusActive).Count(&active)
	store.DB().Model(&models.Enrollment{}).Where("cohort_id = ? AND status = ?", cohortID, models.StatusWaitlisted).Count(&waitlisted)
	return active, waitlisted
}

func TestEnrollingTwiceIsHarmless(t *testing.T) {
	store, _ := testdb.Open(t)
	ctx := context.Background()
	course, cohort := testdb.Course(t, store, 1, models.Cohort{Capacity: testdb.Capacity(3)})
	u := testdb.User(t, store, models.RoleStudent)

	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := store.Enroll(ctx, u.ID, course); err != nil {
				t.Errorf("enroll: %v", err)
			}
		}()
	}
	wg.Wait()
	var n int64
	store.DB().Model(&models.Enrollment{}).Where("user_id = ?", u.ID).Count(&n)
	if n != 1 {
		t.Fatalf("%d enrollments for one person, want 1", n)
	}
	got, _ := store.CohortByID(ctx, cohort.ID)
	if got.SeatsTaken != 1 {
		t.Fatalf("seats_taken = %d, want 1", got.SeatsTaken)
	}
	res, err := store.Enroll(ctx, u.ID, course)
	if err != nil || !res.Existing {
		t.Fatalf("second enroll = %+v, %v; want the existing enrollment", res, err)
	}
}

func TestWithdrawAndRejoin(t *testing.T) {
	store, _ := testdb.Open(t)
	ctx := context.Background()
	course, cohort := testdb.Course(t, store, 1, models.Cohort{Capacity: testdb.Capacity(1)})
	u := testdb.User(t, store, models.RoleStudent)
	if _, err := store.Enroll(ctx, u.ID, course); err != nil {
		t.Fatal(err)
	}
	if err := store.Withdraw(ctx, u.ID, course); err != nil {
		t.Fatal(err)
	}
	if err := store.Withdraw(ctx, u.ID, course); !errors.Is(err, models.ErrNotEnrolled) {
		t.Fatalf("second withdraw = %v, want ErrNotEnrolled", err)
	}
	got, _ := store.CohortByID(ctx, cohort.ID)
	if got.SeatsTaken != 0 {
		t.Fatalf("seat not freed: seats_taken = %d", got.SeatsTaken)
	}
	res, err := store.Enroll(ctx, u.ID, course)
	if err != nil || res.Existing || res.Enrollment.Status != models.StatusActive {
		t.Fatalf("rejoin = %+v, %v", res, err)
	}
}

func TestEnrollmentWindow(t *testing.T) {
	store, clock := testdb.Open(t)
	ctx := context.Background()
	opens := testdb.Start.Add(24 * time.Hour)
	closes := testdb.Start.Add(72 * time.Hour)
	course, _ := testdb.Course(t, store, 1, models.Cohort{EnrollOpensAt: &opens, EnrollClosesAt: &closes})
	u := testdb.User(t, store, models.RoleStudent)

	if _, err := store.Enroll(ctx, u.ID, course); !errors.Is(err, models.ErrEnrollmentClosed) {
		t.Fatalf("before the window: %v, want ErrEnrollmentClosed", err)
	}
	clock.Advance(48 * time.Hour)
	if _, err := store.Enroll(ctx, u.ID, course); err != nil {
		t.Fatalf("inside the window: %v", err)
	}
	clock.Advance(48 * time.Hour)
	other := testdb.User(t, store, models.RoleStudent)
	if _, err := store.Enroll(ctx, other.ID, course); !errors.Is(err, models.ErrEnrollmentClosed) {
		t.Fatalf("after the window: %v, want ErrEnrollmentClosed", err)
	}
}
