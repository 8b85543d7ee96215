package routes_test

import (
	"context"
	"strings"
	"testing"

	"courseportal/models"
	"courseportal/models/mail"
	"courseportal/models/testdb"

	"github.com/chromedp/chromedp"
)

// TestBrowserInsightAndNudge has an instructor open a reading's insight
// (screenshots at 320, 390 and 1280 px, light and dark), focus a paragraph's
// column to read its first words, then nudge the quiet students of the
// cohort and find the reminders in the SMTP sink.
func TestBrowserInsightAndNudge(t *testing.T) {
	t.Parallel()
	ie := newInsightEnv(t)
	_, instructor := ie.e.instructorOf(ie.class.Course)
	b := newChromeBrowser(t, ie.e.serve())
	shots := browserScreenshotDir(t)
	staff := b.person()
	staff.logIn(instructor.Email)
	staff.open(ie.readingPath(""))
	staff.do("wait for the drop-off chart", chromedp.WaitVisible(chromedp.CSS("svg.chart-columns")))
	staff.see("Where readers stop", "opened it and never scrolled", "The power-sharing proposal", "Median reading time per section")

	// Keyboard focus on the third paragraph's column shows its first words.
	shown := browserEval[string](staff, `(function () {
		document.querySelectorAll('svg.chart-columns g.chart-point')[2].focus();
		var g = document.activeElement; var note = g && g.querySelector('.chart-note');
		return note && getComputedStyle(note).visibility === 'visible' ? note.textContent : ''; })()`)
	if !strings.HasPrefix(shown, "p-3: 60 % — Three word") {
		t.Errorf("the focused column's note = %q, want p-3's share and first words", shown)
	}
	staff.screenshotsInBothSchemes(shots, "insight-reading")

	staff.open(ie.cohortPath("?days=5"))
	staff.see("From joining to the certificate", "Who needs a nudge", "ada", "Not yet")
	staff.screenshotsInBothSchemes(shots, "insight-cohort")
	staff.follow(`"Send them the reminder"`, `//button[normalize-space(.)="Send them the reminder"]`)
	staff.see("Queued 4 reminders")
	staff.dontSee("Not yet")

	sink := testdb.NewSMTPSink(t)
	sender, err := mail.SenderFromURL(sink.URL(), "Course Team <team@courses.test>")
	if err != nil {
		t.Fatal(err)
	}
	worker := mail.NewWorker(ie.e.store, sender, testdb.Quiet)
	worker.BaseURL = "http://portal.test"
	if _, err := worker.SendDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	reached := map[string]bool{}
	for _, msg := range sink.Messages() {
		for _, name := range []string{"ada", "cyd", "dee", "eve", "ben"} {
			if strings.Contains(msg.Header.Get("To"), ie.class.Students[name].Email) &&
				strings.HasPrefix(msg.Header.Get("Subject"), "A reminder from") {
				reached[name] = true
			}
		}
	}
	if !reached["ada"] || !reached["cyd"] || !reached["dee"] || !reached["eve"] || reached["ben"] {
		t.Errorf("reminders reached %v, want ada, cyd, dee and eve, not ben", reached)
	}
	if n := len(testdb.Outbox(t, ie.e.store, models.MailReminder)); n != 4 {
		t.Errorf("%d reminders in the outbox, want 4", n)
	}
}
