package routes_test

import (
	"fmt"
	"time"

	"courseportal/models"

	"github.com/chromedp/chromedp"
)

// chooseAnswers ticks, for every question of the check, its right option or
// (right=false) its first wrong one.
func (tb *browserTab) chooseAnswers(check *models.Check, right bool) {
	tb.t.Helper()
	for _, q := range check.Questions {
		for _, o := range q.Options {
			if o.Correct == right {
				tb.do("choose an answer to "+q.Prompt,
					chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name="q-%d"][value="%d"]`, q.ID, o.ID))))
				break
			}
		}
	}
}

// failThenPassSeededCheck takes the seeded reading's check from the reader
// page: fails it once, follows the feedback's link to the paragraph that
// explains the first question, passes it, and returns to the course home.
// shots, when not empty, keeps screenshots of the check's pages.
func (tb *browserTab) failThenPassSeededCheck(e *env, shots string) {
	tb.t.Helper()
	check := seededCheck(tb.t, e)
	tb.follow(`"Take the knowledge check"`, `//a[@id="take-check"]`)
	if got := tb.path(); got != seededCheckPath {
		tb.fatalf(`"Take the knowledge check" led to %s, want %s`, got, seededCheckPath)
	}
	tb.see("Check your understanding", "Pass mark 80 %", "Question 1", check.Questions[0].Prompt)
	if shots != "" {
		tb.screenshots(shots, "5-check")
	}
	tb.chooseAnswers(check, false)
	tb.follow(`"Submit answers"`, `//button[normalize-space(.)="Submit answers"]`)
	tb.see("0 % — not passed yet", "Wrong", firstWrong(check.Questions[0]).Feedback)
	tb.dontSee("Right answer:")
	if shots != "" {
		tb.screenshots(shots, "6-check-failed")
	}

	anchor := check.Questions[0].Anchor()
	tb.follow("the first question's link to its paragraph",
		chromedp.Search(fmt.Sprintf(`//a[contains(@href, "#%s") and contains(., "Read the paragraph")]`, anchor)))
	if got := browserEval[string](tb, `location.pathname + location.hash`); got != brReaderPath+"#"+anchor {
		tb.fatalf("the feedback link landed on %s, want %s", got, brReaderPath+"#"+anchor)
	}
	inView := fmt.Sprintf(`(function () {
		var r = document.getElementById(%q).getBoundingClientRect();
		return r.top >= -1 && r.top < window.innerHeight && r.bottom > 0;
	})()`, anchor)
	if _, err := chromedp.Run(tb.ctx, chromedp.Poll[bool](inView,
		chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		tb.fatalf("the cited paragraph %s is not in view: %v", anchor, err)
	}
	tb.see("On 18th March, Moscow plans to hold a conference")

	tb.follow(`"Take the knowledge check"`, `//a[@id="take-check"]`)
	tb.chooseAnswers(check, true)
	tb.follow(`"Submit answers"`, `//button[normalize-space(.)="Submit answers"]`)
	tb.see("100 % — passed", "You completed the course", "Right")
	if shots != "" {
		tb.screenshots(shots, "7-check-passed")
	}
	tb.follow(`"Back to the course"`, `//a[normalize-space(.)="Back to the course"]`)
	if got := tb.path(); got != brCourseHome {
		tb.fatalf(`"Back to the course" led to %s, want %s`, got, brCourseHome)
	}
}
