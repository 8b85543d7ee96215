package routes_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"courseportal/models"
	"courseportal/models/mail"
	"courseportal/models/testdb"
)

// The instructor's journey end to end: open a scheduled cohort of 30 seats,
// students join it and read, the roster shows their real progress, the CSV
// export carries it, and a reminder to the at-risk student reaches an SMTP
// server.
func TestInstructorRunsACohort(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	course, err := e.store.CourseBySlug(ctx, courseSlug)
	if err != nil {
		t.Fatal(err)
	}
	teacher := testdb.User(t, e.store, models.RoleInstructor)
	if err := e.store.AssignInstructor(ctx, course.ID, teacher.ID); err != nil {
		t.Fatal(err)
	}
	staff := e.login(teacher)

	// The always-open seeded cohort stops taking people; the new run does.
	if err := e.store.DB().Model(&models.Cohort{}).Where("course_id = ?", course.ID).Update("enroll_closes_at", e.clock.Now()).Error; err != nil {
		t.Fatal(err)
	}
	start := e.clock.Now().Add(24 * time.Hour).Truncate(time.Minute)
	res := staff.postForm("/admin/courses/"+courseSlug+"/cohorts", url.Values{
		"name": {"Spring cohort"}, "starts_at": {start.Format("2006-01-02T15:04")}, "capacity": {"30"},
		"pacing": {models.PacingScheduled}, "enroll_opens_at": {""}, "enroll_closes_at": {""}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("create cohort = %d\n%s", res.Status, res.Body)
	}
	var cohort models.Cohort
	if err := e.store.DB().Where("course_id = ? AND name = ?", course.ID, "Spring cohort").Take(&cohort).Error; err != nil {
		t.Fatalf("cohort not created: %v", err)
	}
	if cohort.Capacity == nil || *cohort.Capacity != 30 || cohort.Pacing != models.PacingScheduled {
		t.Fatalf("cohort = %+v", cohort)
	}

	// Two students join the new cohort; one reads, one does nothing.
	reader := joinSeeded(t, e, "Busy Reader")
	idle := joinSeeded(t, e, "Idle Student")
	// Reminders go only to confirmed addresses: the idle student opens the
	// link of their welcome mail.
	confirmAddress(t, e, idle, "idle.student@example.org")
	e.clock.Advance(25 * time.Hour) // the cohort has started: week 1 is open
	put := reader.sendJSON(http.MethodPut, progressURL, `{"course":"`+courseSlug+`","percent":40,"position":"p-3","seconds":20}`)
	if put.Status != http.StatusOK {
		t.Fatalf("progress = %d %s", put.Status, put.Body)
	}

	// A day later the instructor's session has ended (staff sessions end
	// after 12 hours idle): they sign in again.
	mustRedirect(t, staff.get("/admin/"), "/login")
	staff = e.login(teacher)
	roster := staff.get(fmt.Sprintf("/admin/courses/%s/roster?cohort=%d", courseSlug, cohort.ID))
	if roster.Status != http.StatusOK {
		t.Fatalf("roster = %d", roster.Status)
	}
	mustContain(t, roster.Body, "Busy Reader", "Idle Student", "40")

	csv := staff.get(fmt.Sprintf("/admin/courses/%s/roster.csv?cohort=%d", courseSlug, cohort.ID))
	if csv.Status != http.StatusOK || !strings.Contains(csv.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("CSV = %d %q", csv.Status, csv.Header.Get("Content-Type"))
	}
	mustContain(t, csv.Body, "Busy Reader", "Idle Student", "busy.reader@example.org")

	// A week later only the idle student is at risk: remind them.
	e.clock.Advance(8 * 24 * time.Hour)
	if res := reader.sendJSON(http.MethodPut, progressURL, `{"course":"`+courseSlug+`","percent":60,"position":"p-5","seconds":20}`); res.Status != http.StatusOK || res.json(t)["percent"] != float64(60) {
		t.Fatalf("the busy reader's progress = %d %s", res.Status, res.Body)
	}
	staff = e.login(teacher)
	res = staff.postForm(fmt.Sprintf("/admin/courses/%s/cohorts/%d/remind", courseSlug, cohort.ID), url.Values{"days": {"7"}})
	if res.Status != http.StatusSeeOther || strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Fatalf("remind = %d → %s %s", res.Status, res.Header.Get("Location"), res.Body)
	}
	sink := testdb.NewSMTPSink(t)
	sender, err := mail.SenderFromURL(sink.URL(), "Course Team <team@courses.test>")
	if err != nil {
		t.Fatal(err)
	}
	mailer := mail.NewWorker(e.store, sender, testdb.Quiet)
	mailer.BaseURL = "http://portal.test"
	if _, err := mailer.SendDue(ctx); err != nil {
		t.Fatal(err)
	}
	var reminders []string
	for _, msg := range sink.Messages() {
		if strings.Contains(msg.Header.Get("Subject"), "Welcome") {
			continue
		}
		body, _ := io.ReadAll(msg.Body)
		reminders = append(reminders, msg.Header.Get("To"))
		if !strings.Contains(string(body), "http://portal.test/unsubscribe/") {
			t.Errorf("reminder without an unsubscribe link:\n%s", body)
		}
	}
	if len(reminders) != 1 || !strings.Contains(reminders[0], "idle.student@example.org") {
		t.Fatalf("reminders delivered to %v, want only the idle student", reminders)
	}
}
