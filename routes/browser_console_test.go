package routes_test

import (
	"strings"
	"testing"

	"courseportal/models"
	"courseportal/models/testdb"

	"github.com/chromedp/chromedp"
)

// The console journey: an instructor signs in, adds week 2's reading, and a
// student of the course sees it and can open it.
func TestBrowserInstructorAddsAReadingStudentsSee(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	course, err := e.store.CourseBySlug(t.Context(), courseSlug)
	if err != nil {
		t.Fatal(err)
	}
	instructor := testdb.User(t, e.store, models.RoleInstructor)
	if err := e.store.AssignInstructor(t.Context(), course.ID, instructor.ID); err != nil {
		t.Fatal(err)
	}
	b := newChromeBrowser(t, e.serve())

	student := b.person()
	student.open("/join/" + courseSlug)
	student.fillJoinForm("Week Two Student", "week.two@example.org", brPassphrase)
	student.follow("the join form's submit button", `//form//button[normalize-space(.)="Join today"]`)
	student.see("You are enrolled", "have not assigned readings for this week yet")

	staff := b.person()
	staff.logIn(instructor.Email)
	staff.open("/admin/courses/" + courseSlug + "/readings/new")
	// Tick "Published" before typing the text: the live preview that typing
	// starts moves the form around under a mouse click.
	staff.do("open the editor", chromedp.WaitVisible(chromedp.ID("title")))
	if !browserEval[bool](staff, `document.getElementById('published').checked`) {
		staff.do("publish it", chromedp.Click(chromedp.ID("published")))
	}
	if !browserEval[bool](staff, `document.getElementById('published').checked`) {
		staff.fatalf("the Published box did not tick")
	}
	staff.do("write the week 2 reading",
		chromedp.SendKeys(chromedp.ID("title"), "Realism and Its Critics"),
		chromedp.SetValue(chromedp.ID("week"), "2"),
		chromedp.SendKeys(chromedp.ID("body_markdown"), "## Power politics\n\nStates seek security in an anarchic system.\n\nCritics answer that ideas and institutions matter too."),
		chromedp.SendKeys(chromedp.ID("source_name"), "Course team"),
	)
	staff.follow("the add button", `//button[@name="action" and @value="save"]`)
	if got, _, _ := strings.Cut(staff.path(), "#"); got != "/admin/courses/"+courseSlug+"/readings" {
		staff.fatalf("saving the reading led to %s:\n%s", got, browserShorten(staff.text(), 1500))
	}
	staff.see("Realism and Its Critics")
	var saved models.Reading
	if err := e.store.DB().Where("title = ?", "Realism and Its Critics").Take(&saved).Error; err != nil ||
		!saved.Published || saved.WeekID != course2WeekID(t, e, course.ID) {
		t.Fatalf("saved reading: published=%v week=%d required=%v err=%v; want published in week 2", saved.Published, saved.WeekID, saved.Required, err)
	}

	student.open("/learn/" + courseSlug)
	student.see("Realism and Its Critics")
	student.follow("the new reading", `//a[normalize-space(.)="Realism and Its Critics"]`)
	student.see("Power politics", "States seek security in an anarchic system", "Source: Course team", "Mark as complete")
}

func course2WeekID(t *testing.T, e *env, courseID int64) int64 {
	t.Helper()
	var w models.Week
	if err := e.store.DB().Where("course_id = ? AND number = ?", courseID, 2).Take(&w).Error; err != nil {
		t.Fatal(err)
	}
	return w.ID
}
