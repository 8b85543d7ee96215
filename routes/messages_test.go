package routes_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"courseportal/models"
	"courseportal/models/testdb"
)

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
