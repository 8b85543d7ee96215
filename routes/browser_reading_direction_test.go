package routes_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// A reading in Dari opens right to left in the English interface, and the
// reader's paragraph tracking records where the student got to as in any
// other reading.
func TestBrowserRightToLeftReadingRecordsProgress(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	mustRedirect(t, addSeededReading(t, e, "dari-reading", "خوانش دری", dariParagraphs(16), "fa-AF"), "/admin/courses/")
	b := newChromeBrowser(t, e.serve())
	shots := browserScreenshotDir(t)
	p := b.person()
	p.open(brJoinPath)
	p.fillJoinForm("Farid Ahmadi", "farid.ahmadi@example.org", brPassphrase)
	p.follow("the join form's submit button", `//form//button[normalize-space(.)="Join today"]`)

	p.open("/learn/" + courseSlug + "/readings/dari-reading")
	if dir, lang := p.attr("#reading", "dir"), p.attr("#reading", "lang"); dir != "rtl" || lang != "fa-AF" {
		t.Errorf(`the reading's article has dir=%q lang=%q, want rtl and fa-AF`, dir, lang)
	}
	if got := browserEval[string](p, `getComputedStyle(document.getElementById('p-1')).direction + ' ' +
		document.documentElement.lang + ' ' + getComputedStyle(document.querySelector('.site-nav')).direction`); got != "rtl en ltr" {
		t.Errorf("paragraph direction, page language, navigation direction = %q, want the text rtl in an English, ltr interface", got)
	}
	// A paragraph's short last line sits at the right edge of the column.
	if gap := browserEval[float64](p, `(function () {
		var text = document.createRange(); text.selectNodeContents(document.getElementById('p-1'));
		var rects = Array.prototype.slice.call(text.getClientRects());
		var last = Math.max.apply(null, rects.map(function (r) { return r.top; }));
		var right = Math.max.apply(null, rects.filter(function (r) { return r.top > last - 2; }).map(function (r) { return r.right; }));
		return document.getElementById('reading').getBoundingClientRect().right - right;
	})()`); gap < -1 || gap > 2 {
		t.Errorf("the last line of a Dari paragraph ends %.1f px from the column's right edge, want it flush right", gap)
	}
	p.screenshots(shots, "reader-rtl")
	p.do("scroll to paragraph 9",
		chromedp.Evaluate[chromedp.Void](`document.getElementById('p-9').scrollIntoView({block: 'center'})`))
	saved := p.waitForSavedProgress(e, 8, 25*time.Second)
	if saved.Percent <= 0 || saved.Percent >= 100 {
		t.Errorf("saved percent = %d after reading to the middle, want between 0 and 100", saved.Percent)
	}

	// The course's instructor sees the language in the reading's editor.
	course, err := e.store.CourseBySlug(context.Background(), courseSlug)
	if err != nil {
		t.Fatal(err)
	}
	_, instructor := e.instructorOf(course)
	staff := b.person()
	staff.logIn(instructor.Email)
	staff.open("/admin/courses/" + courseSlug + "/readings/dari-reading")
	if lang := staff.attr("#language", "value"); lang != "fa-AF" {
		t.Errorf("the editor's language field holds %q, want fa-AF", lang)
	}
	staff.see("Language of the text", "right to left")
	staff.do("show the language field", chromedp.Evaluate[chromedp.Void](`document.getElementById('language').scrollIntoView({block: 'center'})`))
	staff.screenshotsInBothSchemes(shots, "reading-editor-language")
}
