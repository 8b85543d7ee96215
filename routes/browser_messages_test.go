package routes_test

import (
	"net/url"
	"testing"
	"time"

	"courseportal/models"
	"courseportal/models/testdb"

	"github.com/chromedp/chromedp"
)

// submitExpecting clicks a submit button whose answer is a page with the
// given status (a form refused with 409, say) and waits for it.
func (tb *browserTab) submitExpecting(what string, sel chromedp.Search, status int64) {
	tb.t.Helper()
	tb.do("find "+what, chromedp.WaitVisible(sel))
	res, err := chromedp.RunResponse(tb.ctx, chromedp.Click(sel))
	if err != nil {
		tb.fatalf("click %s: %v", what, err)
	}
	if res == nil || res.Status != status {
		tb.fatalf("click %s: answered %v, want %d", what, res, status)
	}
}

// openExpecting navigates to a path whose answer is a page with the given
// status (a 403 that explains itself, say).
func (tb *browserTab) openExpecting(path string, status int64) {
	tb.t.Helper()
	res, err := chromedp.Run(tb.ctx, chromedp.NavigateResponse(tb.b.base+path))
	if err != nil {
		tb.fatalf("open %s: %v", path, err)
	}
	if res == nil || res.Status != status {
		tb.fatalf("open %s: answered %v, want %d", path, res, status)
	}
	tb.do("wait for the page", chromedp.WaitReady(chromedp.CSS("main")))
}

// TestBrowserMessages walks the pages whose words say what happened and
// what to do next, in Chromium, with screenshots at 320, 390 and 1280 px in
// light and dark.
func TestBrowserMessages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := newChromeBrowser(t, e.serve())
	shots := browserScreenshotDir(t)
	joinSeeded(t, e, "Taken Person")

	// An empty join form reports every field at once; the summary takes
	// focus, and each of its links leads to its field.
	p := b.person()
	p.open("/join/" + courseSlug)
	p.submitExpecting("the join button", `//form//button[@type="submit"]`, 422)
	p.do("wait for the summary", chromedp.WaitVisible(chromedp.ID("error-summary")))
	if got := browserEval[string](p, `document.activeElement ? document.activeElement.id : ""`); got != "error-summary" {
		p.fatalf("after an invalid submit the focus is on %q, want the error summary", got)
	}
	p.see("There are 3 problems", "Please enter your full name.", "Please enter your email address.", "Please choose a password.")
	p.screenshotsInBothSchemes(shots, "join-errors")
	p.do("follow the summary's email link", chromedp.Click(`//div[@id="error-summary"]//a[@href="#email"]`))
	if got := browserEval[string](p, `document.activeElement ? document.activeElement.id : ""`); got != "email" {
		p.fatalf("the summary's email link put the focus on %q", got)
	}

	// The footer's pages: the accessibility statement and the privacy page.
	for _, path := range []string{"/accessibility", "/privacy"} {
		p.open(path)
		p.see("Contact the course team", "team@thekootneeti.com")
		p.screenshotsInBothSchemes(shots, path[1:])
	}

	// A taken email on the join form links to login with the address and the course.
	p.open("/join/" + courseSlug)
	p.fillJoinForm("Someone Else", "taken.person@example.org", "s3cret-passphrase")
	p.submitExpecting("the join button", `//form//button[@type="submit"]`, 409)
	p.see("An account with this email address already exists. Log in instead.")
	p.screenshotsInBothSchemes(shots, "join-email-taken")
	p.follow("the log-in link", `//p[@class="field-error"]/a[normalize-space(.)="Log in"]`)
	want := "/login?" + url.Values{"email": {"taken.person@example.org"}, "next": {"/learn/" + courseSlug}}.Encode()
	if got := p.path(); got != want {
		p.fatalf("log-in link led to %s, want %s", got, want)
	}
	if got := p.attr("#email", "value"); got != "taken.person@example.org" {
		p.fatalf("login email = %q", got)
	}
	p.see("Log in to continue to your course home for the Certificate Course in International Relations.")
	p.screenshotsInBothSchemes(shots, "login-continue")

	// A full cohort offers the waitlist, on the course page and the join page.
	smallCohort(t, e, 1, time.Now().Add(24*time.Hour))
	joinSeeded(t, e, "Seat Holder")
	p.open("/courses/" + courseSlug)
	p.see("Join the waitlist", "0 seats left")
	p.dontSee("Join today")
	p.screenshotsInBothSchemes(shots, "course-full")
	p.open("/join/" + courseSlug)
	p.see("This cohort is full", "Join the waitlist")
	p.screenshotsInBothSchemes(shots, "join-full")

	// Waitlisted, a reading explains the wait and gives the position.
	p.fillJoinForm("Wendy Waiting", "wendy@example.org", "s3cret-passphrase")
	p.follow("the waitlist button", `//form//button[normalize-space(.)="Join the waitlist"]`)
	p.openExpecting("/learn/"+courseSlug+"/readings/"+readingSlug, 403)
	p.see("You are number 1 on the waitlist", "Back to the course")
	p.screenshotsInBothSchemes(shots, "reading-waitlisted")

	// A reading of a week that is not open yet says when it opens.
	class := testdb.NewClass(t, e.store, e.clock, models.PacingScheduled)
	student := class.Enroll(t, "Lena Locked")
	q := b.person()
	q.open("/login")
	q.do("fill the login form", chromedp.SendKeys(chromedp.ID("email"), student.Email),
		chromedp.SendKeys(chromedp.ID("password"), testdb.Password))
	q.follow("the login button", `//form//button[normalize-space(.)="Log in"]`)
	q.openExpecting("/learn/"+class.Course.Slug+"/readings/reading-2", 403)
	q.see("Week 2 opens on Monday 9 March 2026", "at 09:00 UTC", "Back to the course")
	q.screenshotsInBothSchemes(shots, "reading-locked")
	q.follow("the way back", `//a[normalize-space(.)="Back to the course"]`)
	if got := q.path(); got != "/learn/"+class.Course.Slug {
		q.fatalf("back to the course led to %s", got)
	}
}
