package routes_test

// Real-browser tests of the journeys of PRODUCT.md: headless Chromium driven
// through chromedp against the app on a loopback port. They skip when no
// chromium binary is installed, unless REQUIRE_BROWSER=1. Run them alone with
//
//	go test ./routes/ -run Browser -v
//
// The helpers are in browser_helpers_test.go.

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"courseportal/models"
	"courseportal/models/testdb"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

const (
	brCourseHome  = "/learn/" + courseSlug
	brReaderPath  = "/learn/" + courseSlug + "/readings/" + readingSlug
	brJoinPath    = "/join/" + courseSlug
	brPassphrase  = "s3cret-passphrase"
	brCourseTitle = "Certificate Course in International Relations"
)

// Journeys 1 and 2 with JavaScript: join from the landing page, read (the
// script saves progress while the middle of the article is on screen), leave,
// come back, "Continue reading" lands on the saved paragraph, take the
// reading's knowledge check (fail once, follow the feedback to the paragraph
// that explains it, pass), and the certificate is offered. Screenshots of the
// landing page, the join form, the course home, the reader and the check are
// kept at phone and laptop widths.
func TestBrowserJoinReadResumeAndComplete(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	openSeededCertificates(t, e)
	b := newChromeBrowser(t, e.serve())
	shots := browserScreenshotDir(t)
	p := b.person()

	// Journey 1: landing page → "Join today" → one form → course home.
	p.open("/")
	p.see(brCourseTitle, "Join today", "See the syllabus")
	p.screenshots(shots, "1-landing")
	p.follow(`the "Join today" button`, `//a[normalize-space(.)="Join today"]`)
	if got := p.path(); got != brJoinPath {
		p.fatalf(`"Join today" led to %s, want %s`, got, brJoinPath)
	}
	p.see("Join the "+brCourseTitle, "Full name", "Email address", "Password", "indicates required")
	p.screenshots(shots, "2-join")
	p.fillJoinForm("Farid Ahmadi", "farid.ahmadi@example.org", brPassphrase)
	p.follow("the join form's submit button", `//form//button[normalize-space(.)="Join today"]`)
	if got := p.path(); got != brCourseHome {
		p.fatalf("after joining the browser is on %s, want the course home %s", got, brCourseHome)
	}
	p.see("You are enrolled", "Enrolled", brCourseTitle, "Week 1", "Week 6", "Start reading",
		"0 % complete", "Log out", "My courses")
	p.dontSee("Sign up")
	p.screenshots(shots, "3-course-home")

	// Journey 2: open week 1's reading and read the middle of it.
	p.follow(`"Start reading"`, `//a[@id="continue-reading" and normalize-space(.)="Start reading"]`)
	if got := p.path(); got != brReaderPath {
		p.fatalf(`"Start reading" led to %s, want %s`, got, brReaderPath)
	}
	p.see("Take the knowledge check", "Source: The Kootneeti", "min read")
	if n := browserEval[int](p, `document.querySelectorAll('#reading p[id^="p-"]').length`); n != 8 {
		t.Errorf("the reader shows %d numbered paragraphs, want the seed's 8", n)
	}
	p.screenshots(shots, "4-reader")
	p.do("scroll to the middle paragraph",
		chromedp.Evaluate[chromedp.Void](`document.getElementById('p-5').scrollIntoView({block: 'center'})`))
	// The script sends at most every 10 s; the first report comes ~10 s after
	// the page loaded. Keep p-5 on screen until the database has it.
	saved := p.waitForSavedProgress(e, 4, 25*time.Second)
	if saved.Percent <= 0 || saved.Percent >= 100 {
		t.Errorf("saved percent = %d after reading the middle only, want between 0 and 100", saved.Percent)
	}
	// The page's own progress bar shows what the server acknowledged.
	if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](
		fmt.Sprintf(`document.getElementById('reading-progress').value >= %d`, saved.Percent),
		chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Errorf("the reader's progress bar did not reach the saved %d %%: %v", saved.Percent, err)
	}

	// Leave (the page's hide flush may still report), then come back.
	p.open("/dashboard")
	p.see("My courses", brCourseTitle, "Continue reading")
	time.Sleep(300 * time.Millisecond) // let a keepalive report from the page we left land
	rows := browserSavedProgress(t, e)
	if len(rows) != 1 || rows[0].Furthest < saved.Furthest {
		t.Fatalf("progress after leaving the reader = %+v, want one row with furthest >= %d", rows, saved.Furthest)
	}
	furthest := rows[0].Furthest
	anchor := fmt.Sprintf("p-%d", furthest)
	p.open(brCourseHome)
	p.see("Continue reading", "Pick up where you stopped in")
	href := p.attr("#continue-reading", "href")
	if want := brReaderPath + "#" + anchor; !strings.HasSuffix(href, want) {
		t.Fatalf(`"Continue reading" links to %q, want it to end with %q (the saved paragraph)`, href, want)
	}
	p.follow(`"Continue reading"`, `//a[@id="continue-reading" and normalize-space(.)="Continue reading"]`)
	if got := browserEval[string](p, `location.pathname + location.hash`); got != brReaderPath+"#"+anchor {
		t.Fatalf(`"Continue reading" landed on %s, want %s`, got, brReaderPath+"#"+anchor)
	}
	inView := fmt.Sprintf(`(function () {
		var r = document.getElementById(%q).getBoundingClientRect();
		return r.top >= -1 && r.top < window.innerHeight && r.bottom > 0;
	})()`, anchor)
	if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](inView,
		chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		rect := browserEval[string](p, fmt.Sprintf(`JSON.stringify(document.getElementById(%q).getBoundingClientRect())+' innerHeight='+innerHeight+' scrollY='+scrollY`, anchor))
		t.Fatalf("after resuming, %s is not in the viewport: %s (%v)", anchor, rect, err)
	}
	// reader.js briefly marks the paragraph resumed at.
	if !browserEval[bool](p, fmt.Sprintf(`document.getElementById(%q).classList.contains('highlight-target')`, anchor)) {
		t.Errorf("the resumed paragraph %s is not highlighted", anchor)
	}

	// Passing the knowledge check finishes the only required reading, so the
	// course.
	p.failThenPassSeededCheck(e, shots)
	p.see("Completed", "Course completed on", "Download certificate", "100 % complete")
	p.screenshots(shots, "8-course-home-completed")
	if pdf := p.attr("#download-certificate", "href"); !strings.HasPrefix(pdf, "/certificates/") || !strings.HasSuffix(pdf, "/pdf") {
		t.Errorf("Download certificate links to %q", pdf)
	}
	p.open("/dashboard")
	p.see("100 %", "Download certificate", "Completed")
	var certs int64
	if err := e.store.DB().Model(&models.Certificate{}).Count(&certs).Error; err != nil {
		t.Fatal(err)
	}
	if certs != 1 {
		t.Errorf("%d certificates issued, want 1", certs)
	}
}

// Journey 1 and 2 without JavaScript: the forms and the knowledge check are
// plain HTML and work on their own.
func TestBrowserJourneyWithoutJavaScript(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	openSeededCertificates(t, e)
	b := newChromeBrowser(t, e.serve())
	p := b.person()
	p.do("disable JavaScript", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled,
			emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	}))

	p.open("/")
	p.follow(`the "Join today" button`, `//a[normalize-space(.)="Join today"]`)
	p.fillJoinForm("Nadia Rahimi", "nadia.rahimi@example.org", brPassphrase)
	p.follow("the join form's submit button", `//form//button[normalize-space(.)="Join today"]`)
	if got := p.path(); got != brCourseHome {
		p.fatalf("after joining without JavaScript the browser is on %s, want %s", got, brCourseHome)
	}
	p.see("You are enrolled", "Enrolled", "Start reading")

	p.follow(`"Start reading"`, `//a[@id="continue-reading" and normalize-space(.)="Start reading"]`)
	if got := p.path(); got != brReaderPath {
		p.fatalf(`"Start reading" led to %s, want %s`, got, brReaderPath)
	}
	p.see("Take the knowledge check")
	// The page's scripts really are off: reader.js, deferred, marks the
	// paragraph of a #p-N link before the document finishes loading. A fresh
	// load (the query makes it one) that reached readyState "complete" and
	// carries the script shows no mark.
	p.do("open the reader through a #p-N link", chromedp.Navigate(b.base+brReaderPath+"?via=link#p-2"))
	for deadline := time.Now().Add(10 * time.Second); browserEval[string](p, `document.readyState`) != "complete"; {
		if time.Now().After(deadline) {
			t.Fatal("the reader page did not finish loading")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !browserEval[bool](p, `document.querySelector('script[src*="reader"]') !== null && document.getElementById('p-2') !== null`) {
		t.Fatal("the reader page lacks reader.js or paragraph p-2: this test would not test the no-JS path")
	}
	if browserEval[bool](p, `document.getElementById('p-2').classList.contains('highlight-target')`) {
		t.Fatal("reader.js ran although JavaScript is disabled: this test would not test the no-JS path")
	}

	p.open(brReaderPath)
	p.failThenPassSeededCheck(e, "")
	p.see("Completed", "Course completed on", "Download certificate", "100 % complete")
	p.dontSee("Start reading", "Continue reading")

	p.open(brReaderPath)
	p.see("Completed", "Download certificate")
	p.dontSee("Mark as complete", "Take the knowledge check")

	p.open("/dashboard")
	p.see("100 %", "Download certificate")
	if rows := browserSavedProgress(t, e); len(rows) != 1 || rows[0].Percent != 100 {
		t.Errorf("progress rows = %+v, want one complete row", rows)
	}
}

// Journey 1 when the cohort is full: the second person is told, on the join
// form and on the course home, that they are on the waitlist.
func TestBrowserFullCohortWaitlists(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	course, err := e.store.CourseBySlug(t.Context(), courseSlug)
	if err != nil {
		t.Fatal(err)
	}
	// A newer cohort with one seat takes over enrollment.
	if err := e.store.CreateCohort(t.Context(), &models.Cohort{CourseID: course.ID, Name: "Small cohort",
		StartsAt: time.Now().Add(24 * time.Hour), Capacity: testdb.Capacity(1), Pacing: models.PacingScheduled}); err != nil {
		t.Fatal(err)
	}
	b := newChromeBrowser(t, e.serve())

	first := b.person()
	first.open("/")
	first.follow(`the "Join today" button`, `//a[normalize-space(.)="Join today"]`)
	first.see("You are joining Small cohort")
	first.dontSee("This cohort is full")
	first.fillJoinForm("Person A", "person.a@example.org", brPassphrase)
	first.follow("the join form's submit button", `//form//button[normalize-space(.)="Join today"]`)
	if got := first.path(); got != brCourseHome {
		first.fatalf("A is on %s after joining, want %s", got, brCourseHome)
	}
	first.see("You are enrolled", "Small cohort")
	first.dontSee("You are number")

	second := b.person() // another browser context: not signed in as A
	second.open("/")
	second.follow(`the "Join today" button`, `//a[normalize-space(.)="Join today"]`)
	second.dontSee("You are signed in as")
	second.see("This cohort is full: you will be placed on the waitlist")
	second.fillJoinForm("Person B", "person.b@example.org", brPassphrase)
	second.follow("the join form's waitlist button", `//form//button[normalize-space(.)="Join the waitlist"]`)
	if got := second.path(); got != brCourseHome {
		second.fatalf("B is on %s after joining, want %s", got, brCourseHome)
	}
	second.see("You are number 1 on the waitlist", "Waitlisted", "you are on the waitlist", "Leave the waitlist")
	second.dontSee("Start reading", "You are enrolled")
}
