package routes_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"courseportal/models"
)

const seededCheckPath = "/learn/" + courseSlug + "/readings/" + readingSlug + "/check"

// seededCheck loads the seeded reading's check with its answer key.
func seededCheck(t testing.TB, e *env) *models.Check {
	t.Helper()
	course, err := e.store.CourseBySlug(t.Context(), courseSlug)
	if err != nil {
		t.Fatal(err)
	}
	r, err := e.store.ReadingBySlug(t.Context(), course.ID, readingSlug)
	if err != nil {
		t.Fatal(err)
	}
	check, err := e.store.CheckOf(t.Context(), r.ID)
	if err != nil {
		t.Fatalf("seeded check: %v", err)
	}
	return check
}

// openSeededCertificates lets the seeded course certify although weeks 2 to
// 6 have no readings yet, as its staff would.
func openSeededCertificates(t testing.TB, e *env) {
	t.Helper()
	course, err := e.store.CourseBySlug(t.Context(), courseSlug)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.OpenCertificates(t.Context(), 0, course); err != nil {
		t.Fatalf("open certificates: %v", err)
	}
}

// checkForm answers every question of a check, rightly or (right=false) with
// the first wrong option.
func checkForm(check *models.Check, right bool) url.Values {
	form := url.Values{}
	for _, q := range check.Questions {
		for _, o := range q.Options {
			if o.Correct == right {
				form.Add("q-"+q.IDString(), o.IDString())
				if q.Kind == models.KindSingle || !right {
					break
				}
			}
		}
	}
	return form
}

// passSeededCheck submits the right answers through the form.
func passSeededCheck(t testing.TB, e *env, c *client) response {
	t.Helper()
	res := c.postForm(seededCheckPath, checkForm(seededCheck(t, e), true))
	if res.Status != http.StatusOK || !strings.Contains(res.Body, "100 % — passed") {
		t.Fatalf("passing the seeded check = %d\n%s", res.Status, res.Body)
	}
	return res
}

// removeSeededCheck deletes the seeded reading's check through the console.
func removeSeededCheck(t testing.TB, e *env) {
	t.Helper()
	admin, _ := e.loginAs(models.RoleAdmin)
	res := admin.postForm("/admin/courses/"+courseSlug+"/readings/"+readingSlug+"/check/delete", nil)
	if res.Status != http.StatusSeeOther {
		t.Fatalf("delete the seeded check = %d\n%s", res.Status, res.Body)
	}
}

// oneQuestionCheck is a check of one question on the first paragraph.
func oneQuestionCheck() *models.Check {
	return &models.Check{PassPercent: 50, Questions: []models.Question{{Prompt: "Which paragraph comes first?",
		Kind: models.KindSingle, Paragraph: 1, Options: []models.Option{
			{Body: "The first", Correct: true, Feedback: "Yes."}, {Body: "The second", Feedback: "No."}}}}}
}

// firstWrong is a question's first wrong option.
func firstWrong(q models.Question) models.Option {
	for _, o := range q.Options {
		if !o.Correct {
			return o
		}
	}
	return models.Option{}
}

// rightOption is a question's first right option.
func rightOption(q models.Question) models.Option {
	for _, o := range q.Options {
		if o.Correct {
			return o
		}
	}
	return models.Option{}
}
