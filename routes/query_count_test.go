package routes_test

import (
	"net/http"
	"testing"

	"courseportal/models"
	"courseportal/models/testdb"
)

// queriesFor counts the statements one request runs.
func queriesFor(t *testing.T, counter *models.QueryCounter, c *client, path string) int64 {
	t.Helper()
	before := counter.Count()
	if res := c.get(path); res.Status != http.StatusOK {
		t.Fatalf("GET %s = %d", path, res.Status)
	}
	return counter.Count() - before
}

func TestPagesRunAFixedNumberOfQueries(t *testing.T) {
	e := newEnv(t)
	counter := &models.QueryCounter{}
	if err := e.store.DB().Use(counter); err != nil {
		t.Fatal(err)
	}
	c := joinSeeded(t, e, "Counted Student")
	reader := "/learn/" + courseSlug + "/readings/" + readingSlug
	// The first view notes the opening (two statements) and renders the
	// article: on PostgreSQL after the one statement of every view, on
	// SQLite after the session, the access and the syllabus apart (and the
	// session's first touch).
	wantFirst := int64(3)
	if e.store.Dialect() == models.SQLite {
		wantFirst = 6
	}
	if n := queriesFor(t, counter, c, reader); n != wantFirst {
		t.Errorf("the reader's first view ran %d queries, want %d on %s", n, wantFirst, e.store.Dialect())
	}
	// One statement on PostgreSQL (session, access, progress and neighbours
	// together); on SQLite, whose driver parses every statement it runs,
	// the session, the access and the syllabus apart.
	wantReader := int64(1)
	if e.store.Dialect() == models.SQLite {
		wantReader = 3
	}
	if n := queriesFor(t, counter, c, reader); n != wantReader {
		t.Errorf("reader page ran %d queries, want %d on %s", n, wantReader, e.store.Dialect())
	}
	// A progress report: one statement on PostgreSQL (session, access,
	// activity and the write together); on SQLite the session, the access
	// check and the write's short transaction.
	c.csrf() // read from a page, before counting
	before := counter.Count()
	if res := c.sendJSON(http.MethodPut, progressURL, `{"course":"`+courseSlug+`","percent":5,"position":"p-1","seconds":3}`); res.Status != http.StatusOK {
		t.Fatalf("progress = %d %s", res.Status, res.Body)
	}
	want := int64(1)
	if e.store.Dialect() == models.SQLite {
		want = 4
	}
	if n := counter.Count() - before; n != want {
		t.Errorf("progress report ran %d statements, want %d on %s", n, want, e.store.Dialect())
	}
	oneCourse := queriesFor(t, counter, c, "/dashboard")
	home := queriesFor(t, counter, c, "/learn/"+courseSlug)

	// Two more courses must not add queries to the dashboard.
	for range 2 {
		course, _ := testdb.Course(t, e.store, 3, models.Cohort{})
		if res := c.postForm("/courses/"+course.Slug+"/enroll", nil); res.Status != http.StatusSeeOther {
			t.Fatalf("enroll = %d", res.Status)
		}
	}
	if threeCourses := queriesFor(t, counter, c, "/dashboard"); threeCourses != oneCourse {
		t.Errorf("dashboard ran %d queries with three courses, %d with one: a query per course", threeCourses, oneCourse)
	}
	if home > 5 {
		t.Errorf("course home ran %d queries, want at most 5", home)
	}
	t.Logf("queries: dashboard %d, course home %d", oneCourse, home)
}
