package routes_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"courseportal/models"
	"courseportal/models/testdb"
)

// getAcceptingJSON asks for a page as a script would, with Accept: application/json.
func (c *client) getAcceptingJSON(path string) response {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Accept", "application/json")
	return c.do(req)
}

// smallCohort opens a newer scheduled cohort of the seeded course with the
// given seats; it takes over enrollment.
func smallCohort(t *testing.T, e *env, seats int, starts time.Time) *models.Cohort {
	t.Helper()
	course, err := e.store.CourseBySlug(t.Context(), courseSlug)
	if err != nil {
		t.Fatal(err)
	}
	cohort := &models.Cohort{CourseID: course.ID, Name: "Small cohort", StartsAt: starts,
		Capacity: testdb.Capacity(seats), Pacing: models.PacingScheduled}
	if err := e.store.CreateCohort(t.Context(), cohort); err != nil {
		t.Fatal(err)
	}
	return cohort
}

// joinButtons are the words of the join buttons on the course and join pages.
func joinButtons(t *testing.T, c *client) (coursePage, joinPage string) {
	t.Helper()
	course := c.get("/courses/" + courseSlug)
	join := c.get("/join/" + courseSlug)
	if course.Status != http.StatusOK || join.Status != http.StatusOK {
		t.Fatalf("course page = %d, join page = %d", course.Status, join.Status)
	}
	return course.Body, join.Body
}

func TestFullCohortOffersTheWaitlist(t *testing.T) {
	e := newEnv(t)
	smallCohort(t, e, 1, time.Now().Add(24*time.Hour))
	visitor := e.client()
	course, join := joinButtons(t, visitor)
	mustContain(t, course, ">Join today</a>", "1 seat left.")
	mustContain(t, join, ">Join today</button>")

	joinSeeded(t, e, "First Person")
	signedIn := e.login(testdb.User(t, e.store, models.RoleStudent))
	for who, c := range map[string]*client{"visitor": visitor, "signed-in": signedIn} {
		course, join := joinButtons(t, c)
		mustContain(t, course, ">Join the waitlist</a>", "0 seats left.")
		mustContain(t, join, ">Join the waitlist</button>", "This cohort is full")
		if strings.Contains(course+join, "Join today") || strings.Contains(join, "Confirm and join") {
			t.Errorf("%s: a full cohort still offers to join today", who)
		}
	}
}

// TestLockedReadingExplainsWhenItOpens checks the page of a reading whose
// week is not open yet: 403, the date and time, back to the course; JSON
// keeps reading_locked.
func TestLockedReadingExplainsWhenItOpens(t *testing.T) {
	e := newEnv(t)
	class := testdb.NewClass(t, e.store, e.clock, models.PacingScheduled)
	c := e.login(class.Enroll(t, "Lena Locked"))
	path := "/learn/" + class.Course.Slug + "/readings/reading-2"
	for _, p := range []string{path, path + "/check"} {
		res := c.get(p)
		if res.Status != http.StatusForbidden {
			t.Fatalf("locked %s = %d, want 403", p, res.Status)
		}
		mustContain(t, res.Body, "<title>Week 2 is not open yet",
			`Week 2 opens on <time datetime="2026-03-09T09:00:00Z">Monday 9 March 2026</time>`,
			"“Reading 2” belongs to week 2, Week 2. It opens on Monday 9 March 2026 at 09:00 UTC.",
			`href="/learn/`+class.Course.Slug+`">Back to the course</a>`)
		if strings.Contains(res.Body, "Forbidden") {
			t.Errorf("locked %s is titled Forbidden", p)
		}
	}
	done := c.postForm(path+"/complete", nil)
	if done.Status != http.StatusForbidden || !strings.Contains(done.Body, "Week 2 opens on") {
		t.Fatalf("completing a locked reading = %d", done.Status)
	}
	api := c.getAcceptingJSON(path)
	if api.Status != http.StatusForbidden || api.errorCode(t) != "reading_locked" {
		t.Fatalf("locked reading as JSON = %d %s", api.Status, api.Body)
	}
	// A week later it opens.
	e.clock.Advance(7 * testdb.Day)
	if res := c.get(path); res.Status != http.StatusOK {
		t.Fatalf("reading once its week opened = %d", res.Status)
	}
}

// TestWaitlistedReadingGivesThePosition checks the page of a reading opened
// while waitlisted: 403, the position, back to the course; JSON keeps
// not_active.
func TestWaitlistedReadingGivesThePosition(t *testing.T) {
	e := newEnv(t)
	smallCohort(t, e, 1, time.Now().Add(24*time.Hour))
	joinSeeded(t, e, "First Person")
	joinSeeded(t, e, "Second Person")
	third := joinSeeded(t, e, "Third Person")
	path := "/learn/" + courseSlug + "/readings/" + readingSlug
	res := third.get(path)
	if res.Status != http.StatusForbidden {
		t.Fatalf("waitlisted reader = %d, want 403", res.Status)
	}
	mustContain(t, res.Body, "<title>On the waitlist", "You are number 2 on the waitlist",
		"opens as soon as you have a seat in Small cohort.", `href="/learn/`+courseSlug+`">Back to the course</a>`)
	if strings.Contains(res.Body, "Forbidden") {
		t.Error("the waitlisted reading page is titled Forbidden")
	}
	api := third.getAcceptingJSON(path)
	if api.Status != http.StatusForbidden || api.errorCode(t) != "not_active" {
		t.Fatalf("waitlisted reading as JSON = %d %s", api.Status, api.Body)
	}
}
