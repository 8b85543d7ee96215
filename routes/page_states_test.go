package routes_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"courseportal/models"
	"courseportal/models/testdb"
)

// pageState is one page as someone sees it: the checks that look at every
// page (the HTML checker, the accessibility scan, reflow) walk a list of them.
type pageState struct {
	name   string     // short and unique: messages and screenshot files use it
	who    *client    // whose cookies ask for it
	path   string     // what is asked for
	form   url.Values // when set, the page answers this form, posted to path
	status int        // the status the page answers with
}

// pageTour is a portal with a person in every situation the pages show, and
// the list of page states they see, in an order whose posts change nothing
// the later states rely on.
type pageTour struct {
	e      *env
	states []pageState
}

// newPageTour builds the portal: the seeded course with a graduate whose
// name correction waits, a student who has just joined and one on the
// waitlist of a full cohort; a scheduled class of five on day 15 with
// knowledge checks and reminders sent, and a second cohort, full, with a
// waitlist; a class that started today, whose later weeks are locked; and
// staff at the console.
func newPageTour(t *testing.T) *pageTour {
	t.Helper()
	return newPageTourIn(t, newEnv(t))
}

// newPageTourIn builds the tour's portal in an environment, such as one
// that speaks the pseudo-locale.
func newPageTourIn(t *testing.T, e *env) *pageTour {
	t.Helper()
	ctx := context.Background()
	openSeededCertificates(t, e)
	tour := &pageTour{e: e}

	class := testdb.NewClass(t, e.store, e.clock, models.PacingScheduled)
	class.SeedFive(t)
	class.SeedChecks(t)
	// A second, full cohort with a waitlist: the cohort pages offer moves.
	autumn := &models.Cohort{CourseID: class.Course.ID, Name: "Autumn cohort", StartsAt: e.store.Now().Add(7 * testdb.Day),
		Capacity: testdb.Capacity(1), Pacing: models.PacingScheduled}
	if err := e.store.CreateCohort(ctx, autumn); err != nil {
		t.Fatal(err)
	}
	fatima := class.Enroll(t, "Fatima Zahra Benali-Ouedraogo")
	// Long addresses are common, and must not push a table out of its frame.
	if err := e.store.DB().Model(fatima).Update("email", "fatima.zahra.benali-ouedraogo@etudiant.universite-exemple.org").Error; err != nil {
		t.Fatal(err)
	}
	class.Enroll(t, "Gustavo Henrique dos Santos Pereira")
	deeCode := certificateOf(t, e, class.Students["dee"].Email)

	locked, _ := testdb.Course(t, e.store, 3, models.Cohort{Pacing: models.PacingScheduled, StartsAt: e.store.Now()})
	lenaUser := testdb.User(t, e.store, models.RoleStudent)
	if _, err := e.store.Enroll(ctx, lenaUser.ID, locked); err != nil {
		t.Fatal(err)
	}
	lena := e.login(lenaUser)
	// A minimum reading time, so that "Mark as complete" at once is refused.
	if err := e.store.DB().Model(&models.Reading{}).Where("course_id = ? AND slug = ?", locked.ID, "reading-1").
		Update("min_minutes", 5).Error; err != nil {
		t.Fatal(err)
	}

	farid, faridCode := completeSeeded(t, e, "Farid Ahmadi")
	mustRedirect(t, farid.postForm("/certificates/"+faridCode+"/name-correction", url.Values{
		"full_name": {"فرید احمدی"}, "reason": {"My name in Dari script, as on my passport."}}), "/certificates/")
	nadia := joinSeeded(t, e, "Nadia Rahimi")
	smallCohort(t, e, 1, time.Now().Add(24*time.Hour)) // newer than the seeded cohort, which starts at install time
	joinSeeded(t, e, "Seat Holder")
	wendy := joinSeeded(t, e, "Wendy Waiting")

	admin := testdb.User(t, e.store, models.RoleAdmin)
	staff := e.login(admin)
	// Past the window of the sign-in's confirmation: a sensitive action asks
	// for the password or a code again.
	e.clock.Advance(models.ConfirmationWindow + time.Minute)
	if _, err := e.store.RevokeCertificate(ctx, deeCode, admin.ID, "Issued by mistake."); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.RemindCohort(ctx, admin, class.Course, class.Cohort.ID, 7, "http://portal.test"); err != nil {
		t.Fatal(err)
	}
	reminder := testdb.Outbox(t, e.store, models.MailReminder)
	if len(reminder) == 0 {
		t.Fatal("no reminder was queued")
	}
	unsubscribe := regexp.MustCompile(`/unsubscribe/[A-Za-z0-9_.~-]+`).FindString(reminder[0].ListUnsubscribe)
	visitor := e.client()
	if res := visitor.postForm("/password/forgot", url.Values{"email": {"nadia.rahimi@example.org"}}); res.Status >= 400 {
		t.Fatalf("forgot password = %d", res.Status)
	}
	reset := tour.resetLink(t, "nadia.rahimi@example.org")
	halfSignedIn := e.client()
	second := testdb.User(t, e.store, models.RoleAdmin)
	if res := halfSignedIn.postForm("/login", url.Values{"email": {second.Email}, "password": {testdb.Password}}); res.Header.Get("Location") != "/login/mfa" {
		t.Fatalf("an administrator's sign-in = %d → %q, want the second factor", res.Status, res.Header.Get("Location"))
	}
	var correction models.NameCorrection
	if err := e.store.DB().Take(&correction).Error; err != nil {
		t.Fatal(err)
	}

	seeded := "/learn/" + courseSlug
	reader := seeded + "/readings/" + readingSlug
	console := "/admin/courses/" + courseSlug
	classConsole := "/admin/courses/" + class.Course.Slug
	ok := http.StatusOK
	tour.states = []pageState{
		{name: "home", who: visitor, path: "/", status: ok},
		{name: "course", who: visitor, path: "/courses/" + courseSlug, status: ok},
		{name: "join", who: visitor, path: "/join/" + courseSlug, status: ok},
		{name: "signup", who: visitor, path: "/signup", status: ok},
		{name: "login", who: visitor, path: "/login", status: ok},
		{name: "login-next", who: visitor, path: "/login?next=" + url.QueryEscape(seeded), status: ok},
		{name: "password-forgot", who: visitor, path: "/password/forgot", status: ok},
		{name: "password-reset", who: visitor, path: reset, status: ok},
		{name: "verify", who: visitor, path: "/verify", status: ok},
		{name: "verify-unknown", who: visitor, path: "/verify?code=hello", status: http.StatusUnprocessableEntity},
		{name: "certificate", who: visitor, path: "/certificates/" + faridCode, status: ok},
		{name: "certificate-revoked", who: visitor, path: "/certificates/" + deeCode, status: ok},
		{name: "certificate-unknown", who: visitor, path: "/certificates/ABCD-EFGH-JKMN", status: http.StatusNotFound},
		{name: "unsubscribe", who: visitor, path: unsubscribe, status: ok},
		{name: "verify-email-expired", who: visitor, path: "/verify-email/expired-link", status: http.StatusGone},
		{name: "offline", who: visitor, path: "/offline", status: ok},
		{name: "accessibility", who: visitor, path: "/accessibility", status: ok},
		{name: "privacy", who: visitor, path: "/privacy", status: ok},
		{name: "not-found", who: visitor, path: "/no-such-page", status: http.StatusNotFound},
		{name: "login-mfa", who: halfSignedIn, path: "/login/mfa", status: ok},
		{name: "join-errors", who: visitor, path: "/join/" + courseSlug, form: url.Values{"full_name": {""}}, status: http.StatusUnprocessableEntity},
		{name: "signup-errors", who: visitor, path: "/signup", form: url.Values{"email": {"not an address"}}, status: http.StatusUnprocessableEntity},
		{name: "login-error", who: visitor, path: "/login", form: url.Values{"email": {"nobody@example.org"}, "password": {"wrong password"}}, status: http.StatusUnauthorized},

		{name: "dashboard", who: farid, path: "/dashboard", status: ok},
		{name: "course-home-completed", who: farid, path: seeded, status: ok},
		{name: "certificate-own", who: farid, path: "/certificates/" + faridCode, status: ok},
		{name: "course-home", who: nadia, path: seeded, status: ok},
		{name: "reader", who: nadia, path: reader, status: ok},
		{name: "check", who: nadia, path: seededCheckPath, status: ok},
		{name: "check-failed", who: nadia, path: seededCheckPath, form: checkForm(seededCheck(t, e), false), status: ok},
		{name: "account", who: nadia, path: "/account", status: ok},
		{name: "account-mfa", who: nadia, path: "/account/mfa", status: ok},
		{name: "student-not-found", who: nadia, path: "/learn/no-such-course", status: http.StatusNotFound},
		{name: "dashboard-waitlisted", who: wendy, path: "/dashboard", status: ok},
		{name: "course-home-waitlisted", who: wendy, path: seeded, status: ok},
		{name: "reading-waitlisted", who: wendy, path: reader, status: http.StatusForbidden},
		{name: "course-home-locked", who: lena, path: "/learn/" + locked.Slug, status: ok},
		{name: "reading-locked", who: lena, path: "/learn/" + locked.Slug + "/readings/reading-2", status: http.StatusForbidden},
		{name: "reader-short", who: lena, path: "/learn/" + locked.Slug + "/readings/reading-1", status: ok},
		{name: "too-soon", who: lena, path: "/learn/" + locked.Slug + "/readings/reading-1/complete", form: url.Values{}, status: http.StatusConflict},

		{name: "console", who: staff, path: "/admin/", status: ok},
		{name: "console-course", who: staff, path: console, status: ok},
		{name: "console-readings", who: staff, path: console + "/readings", status: ok},
		{name: "console-reading", who: staff, path: console + "/readings/" + readingSlug, status: ok},
		{name: "console-reading-new", who: staff, path: console + "/readings/new", status: ok},
		{name: "console-check", who: staff, path: console + "/readings/" + readingSlug + "/check", status: ok},
		{name: "console-reading-insight", who: staff, path: classConsole + "/readings/reading-1/insight", status: ok},
		{name: "console-check-preview", who: staff, path: console + "/readings/" + readingSlug + "/check/preview", status: ok},
		{name: "console-cohorts", who: staff, path: classConsole + "/cohorts", status: ok},
		{name: "console-cohort-new", who: staff, path: classConsole + "/cohorts/new", status: ok},
		{name: "console-cohort", who: staff, path: fmt.Sprintf("%s/cohorts/%d", classConsole, class.Cohort.ID), status: ok},
		{name: "console-cohort-insight", who: staff, path: fmt.Sprintf("%s/cohorts/%d/insight", classConsole, class.Cohort.ID), status: ok},
		{name: "console-cohort-waitlist", who: staff, path: fmt.Sprintf("%s/cohorts/%d", classConsole, autumn.ID), status: ok},
		{name: "console-roster", who: staff, path: classConsole + "/roster", status: ok},
		{name: "console-users", who: staff, path: "/admin/users", status: ok},
		{name: "console-user", who: staff, path: fmt.Sprintf("/admin/users/%d", e.userOf("farid.ahmadi@example.org").ID), status: ok},
		{name: "console-outbox", who: staff, path: "/admin/outbox", status: ok},
		{name: "console-outbox-message", who: staff, path: fmt.Sprintf("/admin/outbox/%d", reminder[0].ID), status: ok},
		{name: "console-audit", who: staff, path: "/admin/audit", status: ok},
		{name: "console-certificates", who: staff, path: "/admin/certificates", status: ok},
		{name: "console-name-corrections", who: staff, path: "/admin/name-corrections", status: ok},
		{name: "console-reading-delete", who: staff, path: classConsole + "/readings/reading-1/delete", form: url.Values{}, status: http.StatusConflict},
		{name: "console-confirm", who: staff, path: fmt.Sprintf("/admin/name-corrections/%d", correction.ID),
			form: url.Values{"decision": {"approve"}}, status: http.StatusForbidden},
	}
	tour.states = append(tour.states, inDari(tour.states)...)
	return tour
}

// inDari is every page a visitor or student reads, again in Dari: the checks
// must pass right to left too. Forms are left out, so nothing changes, and
// the states come last, after the cookie ?lang= gives a visitor.
func inDari(states []pageState) []pageState {
	var dari []pageState
	for _, s := range states {
		if s.form != nil || strings.HasPrefix(s.path, "/admin") {
			continue
		}
		sep := "?"
		if strings.Contains(s.path, "?") {
			sep = "&"
		}
		s.name += "-fa"
		s.path += sep + "lang=fa-AF"
		dari = append(dari, s)
	}
	return dari
}

// resetLink is the path of the newest password reset link mailed to address.
func (tour *pageTour) resetLink(t *testing.T, address string) string {
	t.Helper()
	var bodies []string
	err := tour.e.store.DB().Model(&models.OutboxEntry{}).Where("to_email = ? AND kind = ?", address, models.MailPasswordReset).
		Order("id DESC").Limit(1).Pluck("body_text", &bodies).Error
	if err != nil || len(bodies) != 1 {
		t.Fatalf("no password reset mail to %s: %v", address, err)
	}
	link := mailLink.FindStringSubmatch(bodies[0])
	if link == nil {
		t.Fatalf("password reset mail without a link:\n%s", bodies[0])
	}
	return link[1]
}

// fetch asks for the page as its person, as the in-process client, and
// checks the status.
func (s pageState) fetch(t *testing.T) response {
	t.Helper()
	var res response
	if s.form != nil {
		res = s.who.postForm(s.path, s.form)
	} else {
		res = s.who.get(s.path)
	}
	if res.Status != s.status {
		t.Fatalf("%s: %s answered %d, want %d\n%s", s.name, s.path, res.Status, s.status, browserShorten(res.Body, 1500))
	}
	return res
}
