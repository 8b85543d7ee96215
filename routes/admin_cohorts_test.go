package routes_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"courseportal/models"
	"courseportal/models/testdb"
)

func cohortValues(name, capacity string) url.Values {
	return url.Values{"name": {name}, "starts_at": {"2026-03-02T09:00"}, "pacing": {"scheduled"}, "capacity": {capacity}}
}

func TestAdminCapacityEdits(t *testing.T) {
	e := newEnv(t)
	course, cohort := testdb.Course(t, e.store, 1, models.Cohort{Capacity: testdb.Capacity(2)})
	var people []*models.Enrollment
	for range 4 {
		_, en := e.enroll(course)
		people = append(people, en)
	}
	if people[2].Status != models.StatusWaitlisted || people[3].Status != models.StatusWaitlisted {
		t.Fatal("the fixture did not waitlist")
	}
	instructor, _ := e.instructorOf(course)
	path := fmt.Sprintf("/admin/courses/%s/cohorts/%d", course.Slug, cohort.ID)
	page := instructor.get(path)
	mustContain(t, page.Body, "2</strong> of 2 seats taken", "2</strong> waiting", people[2].CreatedAt.UTC().Format("2 Jan 2006"))

	res := instructor.postForm(path, cohortValues("Test cohort", "1"))
	if res.Status != http.StatusConflict || !strings.Contains(res.Body, "Capacity cannot be lower than the 2 seats already taken") {
		t.Fatalf("lowering capacity below the seats taken = %d", res.Status)
	}
	if k := e.cohort(cohort.ID); *k.Capacity != 2 || k.SeatsTaken != 2 {
		t.Fatalf("a refused edit changed the cohort: %+v", k)
	}

	mustRedirect(t, instructor.postForm(path, cohortValues("Test cohort", "3")), path)
	if got := e.enrollment(people[2].ID).Status; got != models.StatusActive {
		t.Fatalf("first waitlisted = %s, want active", got)
	}
	if got := e.enrollment(people[3].ID).Status; got != models.StatusWaitlisted {
		t.Fatalf("second waitlisted = %s, want still waitlisted", got)
	}
	if k := e.cohort(cohort.ID); *k.Capacity != 3 || k.SeatsTaken != 3 || k.Pacing != models.PacingScheduled {
		t.Fatalf("cohort after raising = %+v", k)
	}
	mustContain(t, instructor.get(path).Body, "The new seats went to the waitlist")

	// Empty capacity is unlimited: everyone gets a seat.
	mustRedirect(t, instructor.postForm(path, cohortValues("Test cohort", "")), path)
	if k := e.cohort(cohort.ID); k.Capacity != nil || k.SeatsTaken != 4 || e.enrollment(people[3].ID).Status != models.StatusActive {
		t.Fatalf("unlimited cohort = %+v", k)
	}
	var entries []models.AuditEntry
	if err := e.store.DB().Where("action = ?", "cohort.update").Order("id").Find(&entries).Error; err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || entries[0].Detail != "capacity 2 → 3; 1 promoted from the waitlist" {
		t.Fatalf("audit = %+v", entries)
	}
}

func TestAdminCohortForm(t *testing.T) {
	e := newEnv(t)
	course, _ := testdb.Course(t, e.store, 1, models.Cohort{})
	admin, _ := e.loginAs(models.RoleAdmin)
	path := "/admin/courses/" + course.Slug + "/cohorts"
	mustContain(t, admin.get(path+"/new").Body, `type="datetime-local"`, `name="capacity"`, "Create cohort", `value="2026-03-09T09:00"`)
	cases := []struct {
		name   string
		change func(url.Values)
		field  string
		want   string
	}{
		{"no name", func(v url.Values) { v.Set("name", "") }, "name", "The name is required."},
		{"no start", func(v url.Values) { v.Del("starts_at") }, "starts_at", "The start date is required."},
		{"impossible date", func(v url.Values) { v.Set("starts_at", "2026-13-45T09:00") }, "starts_at", "Enter a date and time like"},
		{"not a date", func(v url.Values) { v.Set("enroll_opens_at", "next tuesday") }, "enroll_opens_at", "Enter a date and time like"},
		{"closes before it opens", func(v url.Values) {
			v.Set("enroll_opens_at", "2026-03-10T00:00")
			v.Set("enroll_closes_at", "2026-03-01")
		}, "enroll_closes_at", "must close after it opens"},
		{"capacity zero", func(v url.Values) { v.Set("capacity", "0") }, "capacity", "whole number of seats"},
		{"capacity text", func(v url.Values) { v.Set("capacity", "twelve") }, "capacity", "whole number of seats"},
		{"unknown pacing", func(v url.Values) { v.Set("pacing", "weekly") }, "pacing", "Choose scheduled or self-paced."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			form := cohortValues("Autumn", "30")
			tc.change(form)
			res := admin.postForm(path, form)
			if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, tc.want) {
				t.Fatalf("= %d, want 422 with %q", res.Status, tc.want)
			}
			mustContain(t, res.Body, `id="`+tc.field+`"`, "has-error")
		})
	}
	form := cohortValues("Autumn", "30")
	form.Set("enroll_opens_at", "2026-03-01")
	form.Set("enroll_closes_at", "2026-03-20T17:30")
	res := admin.postForm(path, form)
	mustRedirect(t, res, path+"/")
	var k models.Cohort
	if err := e.store.DB().Where("name = ?", "Autumn").Take(&k).Error; err != nil {
		t.Fatal(err)
	}
	if !k.StartsAt.Equal(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)) || !k.EnrollOpensAt.Equal(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)) ||
		!k.EnrollClosesAt.Equal(time.Date(2026, 3, 20, 17, 30, 0, 0, time.UTC)) || *k.Capacity != 30 {
		t.Fatalf("created cohort = %+v", k)
	}
	list := admin.get(path)
	mustContain(t, list.Body, "Autumn", "Test cohort", "0 / ∞", "0 / 30", "Open")
	if got := e.auditActions(); len(got) != 1 || got[0] != "cohort.create" {
		t.Fatalf("audit = %v", got)
	}
	if res := admin.get(path + "/999999"); res.Status != http.StatusNotFound {
		t.Fatalf("unknown cohort = %d", res.Status)
	}
	other, otherCohort := testdb.Course(t, e.store, 1, models.Cohort{})
	_ = other
	if res := admin.get(fmt.Sprintf("%s/%d", path, otherCohort.ID)); res.Status != http.StatusNotFound {
		t.Fatalf("another course's cohort through this course = %d, want 404", res.Status)
	}
}

func TestAdminMoveBetweenCohorts(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	course, from := testdb.Course(t, e.store, 1, models.Cohort{Capacity: testdb.Capacity(2)})
	to := &models.Cohort{CourseID: course.ID, Name: "Small", StartsAt: testdb.Start.Add(-24 * time.Hour),
		Capacity: testdb.Capacity(1), Pacing: models.PacingSelfPaced}
	if err := e.store.CreateCohort(ctx, to); err != nil {
		t.Fatal(err)
	}
	_, first := e.enroll(course)
	_, second := e.enroll(course)
	_, waiting := e.enroll(course)
	admin, _ := e.loginAs(models.RoleAdmin)
	move := func(en *models.Enrollment, cohortID int64) response {
		return admin.postForm(fmt.Sprintf("/admin/courses/%s/enrollments/%d/move", course.Slug, en.ID),
			url.Values{"cohort_id": {fmt.Sprint(cohortID)}})
	}
	mustRedirect(t, move(first, to.ID), fmt.Sprintf("/admin/courses/%s/cohorts/%d", course.Slug, from.ID))
	if got := e.enrollment(first.ID); got.CohortID != to.ID || got.Status != models.StatusActive {
		t.Fatalf("moved enrollment = %+v", got)
	}
	if got := e.enrollment(waiting.ID).Status; got != models.StatusActive {
		t.Fatalf("the freed seat did not go to the waitlist: %s", got)
	}
	if f, k := e.cohort(from.ID), e.cohort(to.ID); f.SeatsTaken != 2 || k.SeatsTaken != 1 {
		t.Fatalf("seats: from %d, to %d; want 2 and 1", f.SeatsTaken, k.SeatsTaken)
	}
	// The target is full now: refused, nothing changes.
	res := move(second, to.ID)
	if res.Status != http.StatusConflict || !strings.Contains(res.Body, "The other cohort is full") {
		t.Fatalf("move into a full cohort = %d", res.Status)
	}
	if got := e.enrollment(second.ID); got.CohortID != from.ID {
		t.Fatal("a refused move moved the student")
	}
	if f, k := e.cohort(from.ID), e.cohort(to.ID); f.SeatsTaken != 2 || k.SeatsTaken != 1 {
		t.Fatalf("a refused move changed seats: %d, %d", f.SeatsTaken, k.SeatsTaken)
	}
	// Same cohort, another course's cohort, no cohort.
	if res := move(second, from.ID); res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("move to the same cohort = %d, want 422", res.Status)
	}
	_, foreign := testdb.Course(t, e.store, 1, models.Cohort{})
	if res := move(second, foreign.ID); res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("move to another course's cohort = %d, want 422", res.Status)
	}
	if res := move(second, 0); res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("move without a cohort = %d, want 422", res.Status)
	}
	if got := e.auditActions(); len(got) != 1 || got[0] != "enrollment.move" {
		t.Fatalf("audit = %v", got)
	}
}

func TestAdminRemoveStudentPromotesTheWaitlist(t *testing.T) {
	e := newEnv(t)
	course, cohort := testdb.Course(t, e.store, 1, models.Cohort{Capacity: testdb.Capacity(1)})
	seated, seat := e.enroll(course)
	nextUser, next := e.enroll(course)
	_, after := e.enroll(course)
	instructor, _ := e.instructorOf(course)
	cohortPage := fmt.Sprintf("/admin/courses/%s/cohorts/%d", course.Slug, cohort.ID)
	mustContain(t, instructor.get(cohortPage).Body, seated.FullName, "Waitlist", "Move or remove")

	remove := func(en *models.Enrollment) response {
		return instructor.postForm(fmt.Sprintf("/admin/courses/%s/enrollments/%d/remove", course.Slug, en.ID), nil)
	}
	mustRedirect(t, remove(seat), cohortPage)
	if got := e.enrollment(seat.ID).Status; got != models.StatusWithdrawn {
		t.Fatalf("removed student = %s", got)
	}
	if e.enrollment(next.ID).Status != models.StatusActive || e.enrollment(after.ID).Status != models.StatusWaitlisted {
		t.Fatal("the seat did not go to the longest-waiting person")
	}
	if k := e.cohort(cohort.ID); k.SeatsTaken != 1 {
		t.Fatalf("seats taken = %d", k.SeatsTaken)
	}
	if res := remove(seat); res.Status != http.StatusConflict || !strings.Contains(res.Body, "already left the course") {
		t.Fatalf("removing twice = %d", res.Status)
	}
	// A waitlisted student leaves the queue without touching seats.
	mustRedirect(t, remove(after), cohortPage)
	if k := e.cohort(cohort.ID); k.SeatsTaken != 1 {
		t.Fatalf("seats after removing a waitlisted student = %d", k.SeatsTaken)
	}
	// Completed students stay.
	e.complete(nextUser, course)
	if res := remove(next); res.Status != http.StatusConflict || !strings.Contains(res.Body, "completed the course") {
		t.Fatalf("removing a completed student = %d", res.Status)
	}
	// Another course's enrollment is not reachable through this course.
	other, _ := testdb.Course(t, e.store, 1, models.Cohort{})
	_, foreign := e.enroll(other)
	if res := remove(foreign); res.Status != http.StatusNotFound {
		t.Fatalf("removing through the wrong course = %d, want 404", res.Status)
	}
	if got := strings.Join(e.auditActions(), " "); got != "enrollment.remove enrollment.remove" {
		t.Fatalf("audit = %s", got)
	}
}
