package routes_test

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserRosterShowsCheckScores opens the roster of a class that took
// knowledge checks, as its instructor, and keeps screenshots at 320, 390 and
// 1280 px, light and dark.
func TestBrowserRosterShowsCheckScores(t *testing.T) {
	t.Parallel()
	r := newRosterClass(t)
	r.SeedChecks(t)
	b := newChromeBrowser(t, r.e.serve())
	shots := browserScreenshotDir(t)
	staff := b.person()
	staff.logIn(r.instructor.Email)
	staff.open(r.url("/roster"))
	// Wait for the table itself: under load the page may still be replacing
	// the one before it when its text is first read.
	staff.do("wait for the check scores", chromedp.WaitVisible(chromedp.CSS("ul.check-scores")))
	staff.see("Week 2 check", "50 %", "2 attempts", "passed", "not taken")
	staff.screenshotsInBothSchemes(shots, "roster-checks")
}
