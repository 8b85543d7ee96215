package routes_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"courseportal/migrations"
	"courseportal/models"
	"courseportal/models/testdb"
)

const (
	courseSlug  = migrations.SeedCourseSlug
	readingSlug = migrations.SeedReadingSlug
	progressURL = "/api/v1/me/readings/" + readingSlug + "/progress"
)

// joinSeeded signs a new person up and enrolls them through the join form.
func joinSeeded(t testing.TB, e *env, name string) *client {
	t.Helper()
	c := e.client()
	email := strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.org"
	res := c.postForm("/join/"+courseSlug, url.Values{"full_name": {name}, "email": {email}, "password": {"s3cret-passphrase"}})
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/learn/"+courseSlug {
		t.Fatalf("join = %d → %q\n%s", res.Status, res.Header.Get("Location"), res.Body)
	}
	return c
}

func TestJoinLandsOnCourseHomeEnrolled(t *testing.T) {
	e := newEnv(t)
	c := joinSeeded(t, e, "Farid Ahmadi")
	home := c.get("/learn/" + courseSlug)
	if home.Status != http.StatusOK {
		t.Fatalf("course home = %d", home.Status)
	}
	mustContain(t, home.Body, "You are enrolled", "Week 1", "Week 6", "Start reading",
		"/learn/"+courseSlug+"/readings/"+readingSlug)
	// Signed in: the join page offers a confirm button, and redirects when enrolled.
	if res := c.get("/join/" + courseSlug); res.Status != http.StatusSeeOther {
		t.Fatalf("join page when enrolled = %d, want a redirect to the course", res.Status)
	}
}

func TestJoinAFullCohortWaitlists(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	course, err := e.store.CourseBySlug(ctx, courseSlug)
	if err != nil {
		t.Fatal(err)
	}
	// A newer cohort with one seat takes over enrollment.
	later := time.Now().Add(24 * time.Hour)
	if err := e.store.CreateCohort(ctx, &models.Cohort{CourseID: course.ID, Name: "Small cohort", StartsAt: later,
		Capacity: testdb.Capacity(1), Pacing: models.PacingScheduled}); err != nil {
		t.Fatal(err)
	}
	joinSeeded(t, e, "First Person")
	second := joinSeeded(t, e, "Second Person")
	home := second.get("/learn/" + courseSlug)
	mustContain(t, home.Body, "You are number 1 on the waitlist")
	if res := second.get("/learn/" + courseSlug + "/readings/" + readingSlug); res.Status != http.StatusForbidden {
		t.Fatalf("waitlisted reader = %d, want 403", res.Status)
	}
	api := second.sendJSON(http.MethodPost, "/api/v1/courses/"+courseSlug+"/enrollments", "")
	if api.Status != http.StatusOK || api.json(t)["status"] != "waitlisted" || api.json(t)["waitlist_position"] != float64(1) {
		t.Fatalf("API enroll while waitlisted = %d %s", api.Status, api.Body)
	}
}

func TestAnonymousLearnGoesToLoginAndBack(t *testing.T) {
	e := newEnv(t)
	res := e.client().get("/learn/" + courseSlug)
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/login?next=%2Flearn%2F"+courseSlug {
		t.Fatalf("anonymous course home = %d %q", res.Status, res.Header.Get("Location"))
	}
	e.client().signup("Returning", "returning@example.org", "s3cret-passphrase")
	c := e.client()
	res = c.postForm("/login", url.Values{"email": {"returning@example.org"}, "password": {"s3cret-passphrase"},
		"next": {"/learn/" + courseSlug}})
	if res.Header.Get("Location") != "/learn/"+courseSlug {
		t.Fatalf("login with next → %q", res.Header.Get("Location"))
	}
	res = c.postForm("/login", url.Values{"email": {"returning@example.org"}, "password": {"s3cret-passphrase"},
		"next": {"//evil.example/"}})
	if res.Header.Get("Location") != "/dashboard" {
		t.Fatalf("open redirect: login with next=//evil.example → %q", res.Header.Get("Location"))
	}
}

func TestReaderPage(t *testing.T) {
	e := newEnv(t)
	c := joinSeeded(t, e, "Reader One")
	res := c.get("/learn/" + courseSlug + "/readings/" + readingSlug)
	if res.Status != http.StatusOK {
		t.Fatalf("reader = %d", res.Status)
	}
	mustContain(t, res.Body, `<p id="p-1">`, `<p id="p-8">`, `id="the-predictable-risk"`,
		`href="#the-power-sharing-proposal"`, "Source: The Kootneeti", "Image sources: The New York Times",
		"do not necessarily reflect the views of The Kootneeti Team", "Take the knowledge check", seededCheckPath, "min read",
		`data-progress-url="`+progressURL+`"`)
	for _, chrome := range []string{"Facebook Comments", "mailchimp", "Subscribe to the International Relations Updates"} {
		if strings.Contains(res.Body, chrome) {
			t.Errorf("reading contains page chrome %q", chrome)
		}
	}
	if res := c.get("/learn/" + courseSlug + "/readings/no-such-reading"); res.Status != http.StatusNotFound {
		t.Fatalf("unknown reading = %d, want 404", res.Status)
	}
	stranger := e.client()
	stranger.signup("Not Enrolled", "stranger@example.org", "s3cret-passphrase")
	if res := stranger.get("/learn/" + courseSlug + "/readings/" + readingSlug); res.Status != http.StatusSeeOther {
		t.Fatalf("not enrolled reader = %d, want a redirect to join", res.Status)
	}
}

func TestScheduledWeeksAreLockedUntilTheyOpen(t *testing.T) {
	e := newEnv(t)
	course, _ := testdb.Course(t, e.store, 3, models.Cohort{Pacing: models.PacingScheduled, StartsAt: testdb.Start})
	c := e.client()
	c.signup("Scheduled", "scheduled@example.org", "s3cret-passphrase")
	if res := c.postForm("/courses/"+course.Slug+"/enroll", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("enroll = %d", res.Status)
	}
	week2 := "/learn/" + course.Slug + "/readings/reading-2"
	res := c.get(week2)
	if res.Status != http.StatusForbidden || !strings.Contains(res.Body, "opens on Monday 9 March 2026") {
		t.Fatalf("week 2 before it opens = %d\n%s", res.Status, res.Body)
	}
	home := c.get("/learn/" + course.Slug)
	mustContain(t, home.Body, "Opens 9 March 2026", "Opens 16 March 2026")
	e.clock.Advance(7 * 24 * time.Hour)
	if res := c.get(week2); res.Status != http.StatusOK {
		t.Fatalf("week 2 after a week = %d", res.Status)
	}
	if res := c.get("/learn/" + course.Slug + "/readings/reading-3"); res.Status != http.StatusForbidden {
		t.Fatalf("week 3 after one week = %d, want 403", res.Status)
	}
	// Previous and next follow the syllabus; a locked week gets no link.
	page := c.get(week2).Body
	mustContain(t, page, `rel="prev" href="/learn/`+course.Slug+`/readings/reading-1"`)
	if strings.Contains(page, `rel="next"`) {
		t.Error("week 2's reader links to week 3, which is still locked")
	}
	mustContain(t, c.get("/learn/"+course.Slug+"/readings/reading-1").Body, `rel="next" href="/learn/`+course.Slug+`/readings/reading-2"`)
	// Another course's reading slug is not reachable through this course.
	if res := c.get("/learn/" + courseSlug + "/readings/reading-2"); res.Status == http.StatusOK {
		t.Fatal("a reading of another course was served")
	}
}

func TestProgressAPIValidation(t *testing.T) {
	e := newEnv(t)
	c := joinSeeded(t, e, "Validator")
	cases := []struct {
		name, path, body string
		status           int
		code             string
	}{
		{"percent too high", progressURL, `{"course":"` + courseSlug + `","percent":101,"position":"p-1","seconds":5}`, 422, "invalid_field"},
		{"percent negative", progressURL, `{"course":"` + courseSlug + `","percent":-1,"position":"p-1","seconds":5}`, 422, "invalid_field"},
		{"percent missing", progressURL, `{"course":"` + courseSlug + `","position":"p-1"}`, 422, "invalid_field"},
		{"percent a string", progressURL, `{"course":"` + courseSlug + `","percent":"50"}`, 422, "invalid_field"},
		{"bad position", progressURL, `{"course":"` + courseSlug + `","percent":5,"position":"12"}`, 422, "invalid_field"},
		{"position past the end", progressURL, `{"course":"` + courseSlug + `","percent":5,"position":"p-999"}`, 422, "invalid_field"},
		{"negative seconds", progressURL, `{"course":"` + courseSlug + `","percent":5,"seconds":-4}`, 422, "invalid_field"},
		{"course missing", progressURL, `{"percent":5}`, 422, "invalid_field"},
		{"unknown reading", "/api/v1/me/readings/nope/progress", `{"course":"` + courseSlug + `","percent":5}`, 404, "not_found"},
		{"unknown course", progressURL, `{"course":"nope","percent":5}`, 404, "not_found"},
		{"not json", progressURL, `percent=5`, 400, "bad_request"},
		{"two objects", progressURL, `{"course":"x","percent":1}{}`, 400, "bad_request"},
		{"empty body", progressURL, ``, 400, "bad_request"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := c.sendJSON(http.MethodPut, tc.path, tc.body)
			if res.Status != tc.status || res.errorCode(t) != tc.code {
				t.Fatalf("= %d %s, want %d %s", res.Status, res.Body, tc.status, tc.code)
			}
		})
	}
	stranger := e.client()
	stranger.signup("Not Enrolled", "stranger2@example.org", "s3cret-passphrase")
	res := stranger.sendJSON(http.MethodPut, progressURL, `{"course":"`+courseSlug+`","percent":5}`)
	if res.Status != http.StatusForbidden || res.errorCode(t) != "not_enrolled" {
		t.Fatalf("not enrolled = %d %s", res.Status, res.Body)
	}
	anon := e.client()
	if res := anon.sendJSON(http.MethodPut, progressURL, `{"course":"`+courseSlug+`","percent":5}`); res.Status != http.StatusUnauthorized {
		t.Fatalf("anonymous = %d, want 401", res.Status)
	}
}

func TestProgressNeverGoesBackwards(t *testing.T) {
	e := newEnv(t)
	c := joinSeeded(t, e, "Monotonic")
	send := func(percent int, pos string, seconds int) map[string]any {
		t.Helper()
		res := c.sendJSON(http.MethodPut, progressURL,
			fmt.Sprintf(`{"course":%q,"percent":%d,"position":%q,"seconds":%d}`, courseSlug, percent, pos, seconds))
		if res.Status != http.StatusOK {
			t.Fatalf("progress = %d %s", res.Status, res.Body)
		}
		return res.json(t)
	}
	send(10, "p-2", 5)
	e.clock.Advance(20 * time.Second)
	got := send(60, "p-6", 20)
	if got["percent"] != float64(60) || got["position"] != "p-6" {
		t.Fatalf("after 60%% = %v", got)
	}
	e.clock.Advance(20 * time.Second)
	got = send(30, "p-3", 10) // a late, stale update
	if got["percent"] != float64(60) || got["position"] != "p-6" {
		t.Fatalf("stale update lowered progress: %v", got)
	}
	// Seconds: 5 + 20 + 10, each within the real time elapsed.
	if got["seconds"] != float64(35) {
		t.Fatalf("seconds = %v, want 35", got["seconds"])
	}
	// A client cannot claim more time than has passed.
	e.clock.Advance(10 * time.Second)
	got = send(61, "p-6", 300)
	if got["seconds"] != float64(45) {
		t.Fatalf("inflated seconds accepted: %v, want 45", got["seconds"])
	}
	// The course home resumes at the furthest paragraph.
	home := c.get("/learn/" + courseSlug)
	mustContain(t, home.Body, "Continue reading", "/readings/"+readingSlug+"#p-6")
	prog := c.get("/api/v1/me/courses/" + courseSlug + "/progress").json(t)
	readings := prog["readings"].([]any)
	first := readings[0].(map[string]any)
	if first["percent"] != float64(61) || first["position"] != "p-6" || first["completed"] != false {
		t.Fatalf("progress API = %v", first)
	}
}

func TestCompletingTheCourseIssuesOneCertificate(t *testing.T) {
	e := newEnv(t)
	openSeededCertificates(t, e)
	c := joinSeeded(t, e, "Zoë Ñúñez-Øberg")
	// The seeded reading is completed by its knowledge check: the button
	// sends the student there.
	res := c.postForm("/learn/"+courseSlug+"/readings/"+readingSlug+"/complete", nil)
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != seededCheckPath {
		t.Fatalf("complete = %d → %q, want the check", res.Status, res.Header.Get("Location"))
	}
	passSeededCheck(t, e, c)
	passSeededCheck(t, e, c) // again: nothing more is issued
	home := c.get("/learn/" + courseSlug)
	mustContain(t, home.Body, "Course completed on", "Download certificate", "100 % complete")
	dash := c.get("/dashboard")
	mustContain(t, dash.Body, "100 % complete", "Download certificate")

	var certs []models.Certificate
	if err := e.store.DB().Find(&certs).Error; err != nil {
		t.Fatal(err)
	}
	if len(certs) != 1 {
		t.Fatalf("%d certificates, want 1", len(certs))
	}
	cert := certs[0]
	if cert.RecipientName != "Zoë Ñúñez-Øberg" || cert.CourseTitle != "Certificate Course in International Relations" {
		t.Fatalf("certificate = %+v", cert)
	}
	// Progress stays complete whatever comes later.
	late := c.sendJSON(http.MethodPut, progressURL, `{"course":"`+courseSlug+`","percent":3,"position":"p-1","seconds":1}`)
	if late.json(t)["completed"] != true || late.json(t)["percent"] != float64(100) {
		t.Fatalf("late update after completion = %s", late.Body)
	}
	enr := c.get("/api/v1/me/enrollments").json(t)["enrollments"].([]any)[0].(map[string]any)
	if enr["status"] != "completed" || enr["percent_complete"] != float64(100) || enr["certificate_code"] != cert.Code {
		t.Fatalf("my enrollments = %v", enr)
	}
}

func TestAutoCompletionNeedsEveryParagraphAndEnoughTime(t *testing.T) {
	e := newEnv(t)
	// Scroll evidence completes a reading without a check, in a course that
	// certifies.
	openSeededCertificates(t, e)
	removeSeededCheck(t, e)
	c := joinSeeded(t, e, "Skimmer")
	last := fmt.Sprintf("p-%d", seededParagraphs(t, e))
	res := c.sendJSON(http.MethodPut, progressURL, `{"course":"`+courseSlug+`","percent":100,"position":"`+last+`","seconds":20}`)
	if res.json(t)["completed"] != false {
		t.Fatal("a 20-second skim completed the reading")
	}
	for range 12 {
		e.clock.Advance(15 * time.Second)
		res = c.sendJSON(http.MethodPut, progressURL, `{"course":"`+courseSlug+`","percent":100,"position":"`+last+`","seconds":15}`)
	}
	got := res.json(t)
	if got["completed"] != true || got["course_completed"] != true || !strings.HasPrefix(got["certificate_url"].(string), "/certificates/") {
		t.Fatalf("after reading every paragraph for long enough: %v", got)
	}
}

func seededParagraphs(t *testing.T, e *env) int {
	t.Helper()
	course, _ := e.store.CourseBySlug(t.Context(), courseSlug)
	r, err := e.store.ReadingBySlug(t.Context(), course.ID, readingSlug)
	if err != nil {
		t.Fatal(err)
	}
	return r.ParagraphCount
}

func TestStudentsSeeOnlyTheirOwnProgress(t *testing.T) {
	e := newEnv(t)
	a := joinSeeded(t, e, "Student A")
	b := joinSeeded(t, e, "Student B")
	if res := a.sendJSON(http.MethodPut, progressURL, `{"course":"`+courseSlug+`","percent":80,"position":"p-7","seconds":10}`); res.Status != http.StatusOK || res.json(t)["percent"] != float64(80) {
		t.Fatalf("A's progress update = %d %s", res.Status, res.Body)
	}
	bp := b.get("/api/v1/me/courses/" + courseSlug + "/progress").json(t)
	if first := bp["readings"].([]any)[0].(map[string]any); first["percent"] != float64(0) {
		t.Fatalf("B sees A's progress: %v", first)
	}
	if strings.Contains(b.get("/learn/"+courseSlug).Body, "#p-7") {
		t.Fatal("B's course home resumes at A's paragraph")
	}
}

func TestWithdrawFromTheCourse(t *testing.T) {
	e := newEnv(t)
	c := joinSeeded(t, e, "Leaver")
	res := c.postForm("/courses/"+courseSlug+"/withdraw", nil)
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/dashboard" {
		t.Fatalf("withdraw = %d %q", res.Status, res.Header.Get("Location"))
	}
	if res := c.get("/learn/" + courseSlug); res.Status != http.StatusSeeOther {
		t.Fatalf("course home after withdrawing = %d, want a redirect to join", res.Status)
	}
	if res := c.postForm("/courses/"+courseSlug+"/withdraw", nil); res.Status != http.StatusForbidden {
		t.Fatalf("withdraw twice = %d, want 403 not enrolled", res.Status)
	}
}

// A reading added after a student completed the course can still be read
// and completed; it issues no second certificate and raises no error.
func TestReadingAddedAfterCompletionIssuesNoSecondCertificate(t *testing.T) {
	e := newEnv(t)
	c, code := completeSeeded(t, e, "Early Finisher")
	admin, _ := e.loginAs(models.RoleAdmin)
	created := admin.postForm("/admin/courses/"+courseSlug+"/readings",
		readingForm(1, "late-addition", "A late addition", testdb.Paragraphs(3)))
	if created.Status != http.StatusSeeOther {
		t.Fatalf("adding a reading = %d\n%s", created.Status, created.Body)
	}
	if res := c.get("/learn/" + courseSlug + "/readings/late-addition"); res.Status != http.StatusOK {
		t.Fatalf("the completed student opening the new reading = %d", res.Status)
	}
	e.clock.Advance(time.Hour) // past the reading's minimum reading time
	res := c.postForm("/learn/"+courseSlug+"/readings/late-addition/complete", nil)
	if res.Status != http.StatusSeeOther {
		t.Fatalf("completing the new reading = %d\n%s", res.Status, res.Body)
	}
	progress := c.sendJSON(http.MethodPut, "/api/v1/me/readings/late-addition/progress", `{"course":"`+courseSlug+`","percent":100,"position":"p-3","seconds":5}`)
	if progress.Status != http.StatusOK {
		t.Fatalf("progress on the new reading = %d %s", progress.Status, progress.Body)
	}
	var certs []models.Certificate
	if err := e.store.DB().Find(&certs).Error; err != nil {
		t.Fatal(err)
	}
	if len(certs) != 1 || certs[0].Code != code {
		t.Fatalf("%d certificates after completing a late reading, want only %s", len(certs), code)
	}
	var mails int64
	if err := e.store.DB().Model(&models.OutboxMessage{}).Where("kind = ?", models.MailCertificate).Count(&mails).Error; err != nil {
		t.Fatal(err)
	}
	if mails != 1 {
		t.Fatalf("%d certificate emails, want 1", mails)
	}
}
