package routes_test

import (
	"net/http"
	"net/url"
	"sync"
	"testing"

	"courseportal/models"
	"courseportal/models/testdb"
)

func TestNoOpenRedirectAfterLogin(t *testing.T) {
	e := newEnv(t)
	e.client().signup("Redirected", "redirected@example.org", "s3cret-passphrase")
	c := e.client()
	for _, next := range []string{"/\t/evil.example", "/\n/evil.example", "//evil.example", "/\\evil.example",
		"https://evil.example/", "/%09/evil.example"} {
		res := c.postForm("/login", url.Values{"email": {"redirected@example.org"}, "password": {"s3cret-passphrase"}, "next": {next}})
		if loc := res.Header.Get("Location"); loc != "/dashboard" && loc != "/%09/evil.example" {
			t.Errorf("login with next=%q redirects to %q", next, loc)
		}
		// Signed in, the login page redirects at once: same rule.
		if loc := c.get("/login?next=" + url.QueryEscape(next)).Header.Get("Location"); loc != "/dashboard" && loc != "/%09/evil.example" {
			t.Errorf("GET /login?next=%q redirects to %q", next, loc)
		}
	}
}

func TestDraftCoursesTakeNoEnrollments(t *testing.T) {
	e := newEnv(t)
	course, _ := testdb.Course(t, e.store, 1, models.Cohort{})
	e.store.DB().Model(&models.Course{}).Where("id = ?", course.ID).Update("published", false)
	c := e.client()
	c.signup("Early Bird", "early@example.org", "s3cret-passphrase")
	if res := c.postForm("/courses/"+course.Slug+"/enroll", nil); res.Status != http.StatusNotFound {
		t.Errorf("enrolling in a draft course = %d, want 404", res.Status)
	}
	if res := c.sendJSON(http.MethodPost, "/api/v1/courses/"+course.Slug+"/enrollments", ""); res.Status != http.StatusNotFound {
		t.Errorf("API enrolling in a draft course = %d, want 404", res.Status)
	}
	var n int64
	e.store.DB().Model(&models.Enrollment{}).Where("course_id = ?", course.ID).Count(&n)
	if n != 0 {
		t.Fatalf("%d enrollments in a draft course", n)
	}
}

func TestParallelGuessesDoNotBeatTheThrottle(t *testing.T) {
	e := newEnv(t)
	e.client().signup("Guarded", "guarded@example.org", "s3cret-passphrase")
	var mu sync.Mutex
	statuses := map[int]int{}
	var wg sync.WaitGroup
	for i := range 25 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := e.client().postForm("/login", url.Values{"email": {"guarded@example.org"}, "password": {"guess-" + string(rune('a'+i))}})
			mu.Lock()
			statuses[res.Status]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if statuses[http.StatusUnauthorized] > models.LoginFailureLimit {
		t.Fatalf("%d passwords were checked in parallel, the limit is %d (statuses %v)",
			statuses[http.StatusUnauthorized], models.LoginFailureLimit, statuses)
	}
	if statuses[http.StatusUnauthorized]+statuses[http.StatusTooManyRequests] != 25 {
		t.Fatalf("statuses = %v", statuses)
	}
	res := e.client().postForm("/login", url.Values{"email": {"guarded@example.org"}, "password": {"s3cret-passphrase"}})
	if statuses[http.StatusUnauthorized] == models.LoginFailureLimit && res.Status != http.StatusTooManyRequests {
		t.Fatalf("after %d failures the right password = %d, want 429", models.LoginFailureLimit, res.Status)
	}
}
