package models_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"courseportal/models"
	"courseportal/models/testdb"
)

// The counts kept per cohort equal a recount from scratch after every step
// of a mixed sequence: joins, a waitlist, first progress, completions, a
// withdrawal that seats the next in line, a move to another cohort. The
// repair recounts, finds nothing to fix, and fixes a count changed by hand.
func TestRosterCountsKeptEqualARecount(t *testing.T) {
	ctx := context.Background()
	store, clock := testdb.Open(t)
	course, cohort := testdb.Course(t, store, 3, models.Cohort{Pacing: models.PacingScheduled,
		StartsAt: testdb.Start, Capacity: testdb.Capacity(3)})
	c := &testdb.Class{Store: store, Clock: clock, Course: course, Cohort: cohort, Students: map[string]*models.User{}}
	admin := testdb.User(t, store, models.RoleAdmin)
	mustMatch := func(step string) {
		t.Helper()
		fixed, err := store.RepairRosterCounts(ctx)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		if fixed != 0 {
			t.Fatalf("after %s the kept counts of %d cohorts differ from a recount", step, fixed)
		}
		// The at-risk count read from the kept standing is the number of
		// students the at-risk filter lists, whatever the cutoff.
		for _, days := range []int{1, 2, 3, 7, 16} {
			f := models.RosterFilter{Segment: models.RosterSegmentAtRisk, InactiveDays: days, Limit: models.MaxRosterLimit}
			page, sum, err := store.Roster(ctx, course, f)
			if err != nil {
				t.Fatal(err)
			}
			if sum.Total.AtRisk != len(page.Rows) {
				t.Fatalf("after %s, %d days: the summary counts %d at risk, the filter lists %d",
					step, days, sum.Total.AtRisk, len(page.Rows))
			}
		}
	}
	summary := func() models.CohortSummary {
		t.Helper()
		_, sum, err := store.Roster(ctx, course, models.RosterFilter{CohortID: cohort.ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, cs := range sum.Cohorts {
			if cs.CohortID == cohort.ID {
				return cs
			}
		}
		t.Fatal("the cohort is missing from the summary")
		return models.CohortSummary{}
	}
	mustMatch("nothing")
	clock.Advance(testdb.Day)
	for _, name := range []string{"ana", "bo", "cy", "di", "ed"} {
		c.Enroll(t, name) // three seats, then the waitlist
		mustMatch("joining " + name)
	}
	if got := summary(); got.Active != 3 || got.Waitlisted != 2 || got.NotStarted != 3 {
		t.Fatalf("after five joins: %+v, want 3 active (not started), 2 waitlisted", got)
	}
	clock.Advance(15 * testdb.Day) // every week open
	c.Read(t, "ana", 1, 40)
	c.Read(t, "ana", 2, 10) // a second reading: still one student started
	c.Read(t, "ana", 1, 60)
	mustMatch("progress")
	c.Complete(t, "bo", 1, 2, 3)
	mustMatch("completing the course")
	if err := store.Withdraw(ctx, c.Students["cy"].ID, course); err != nil {
		t.Fatal(err)
	}
	mustMatch("a withdrawal")
	if got := summary(); got.Completed != 1 || got.Withdrawn != 1 || got.Active+got.Waitlisted != 3 {
		t.Fatalf("after completing and withdrawing: %+v", got)
	}
	other := &models.Cohort{CourseID: course.ID, Name: "Second cohort", StartsAt: testdb.Start, Pacing: models.PacingScheduled,
		Capacity: testdb.Capacity(5)}
	if err := store.CreateCohort(ctx, other); err != nil {
		t.Fatal(err)
	}
	e, _, err := store.EnrollmentFor(ctx, c.Students["ana"].ID, course.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.MoveEnrollment(ctx, admin.ID, course, e.ID, other.ID); err != nil {
		t.Fatal(err)
	}
	mustMatch("a move to another cohort")
	c.Read(t, "di", 1, 5)
	mustMatch("progress after being seated")

	// Hours pass: cutoffs fall before, on and after the days of the last
	// activities, and activity on a new day moves a student.
	for i := range 12 {
		clock.Advance(5 * time.Hour)
		if i%4 == 0 {
			c.Read(t, "di", 1, 10+i)
		}
		mustMatch(fmt.Sprintf("%d hours", 5*(i+1)))
	}
	c.Complete(t, "di", 1)
	mustMatch("a completion")
	// A reading that an active student completed becomes optional, then
	// required again.
	reading := course.Weeks[0].Readings[0].ID
	for _, required := range []bool{false, true} {
		if err := store.DB().Model(&models.Reading{}).Where("id = ?", reading).Update("required", required).Error; err != nil {
			t.Fatal(err)
		}
		mustMatch(fmt.Sprintf("reading 1 required = %v", required))
	}
	if err := store.DB().Exec("DELETE FROM reading_progress WHERE enrollment_id = (SELECT id FROM enrollments WHERE user_id = ?) AND reading_id = ?",
		c.Students["di"].ID, reading).Error; err != nil {
		t.Fatal(err)
	}
	mustMatch("a completed reading's progress removed")

	if err := store.DB().Exec("UPDATE cohort_counts SET active = active + 5, not_started = 0 WHERE cohort_id = ?",
		cohort.ID).Error; err != nil {
		t.Fatal(err)
	}
	fixed, err := store.RepairRosterCounts(ctx)
	if err != nil || fixed != 1 {
		t.Fatalf("repair after a change by hand fixed %d cohorts (%v), want 1", fixed, err)
	}
	mustMatch("the repair")
	for _, change := range []string{
		"UPDATE roster_standing SET day = day - 3",
		"UPDATE roster_standing_counts SET students = students + 2",
		"DELETE FROM roster_standing",
	} {
		if err := store.DB().Exec(change).Error; err != nil {
			t.Fatal(err)
		}
		fixed, err := store.RepairRosterCounts(ctx)
		if err != nil || fixed == 0 {
			t.Fatalf("repair after %q fixed %d cohorts (%v), want some", change, fixed, err)
		}
		mustMatch("the repair of " + change)
	}
}
