package routes_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"courseportal/models"
	"courseportal/models/testdb"
)

// Who may use a console route.
const (
	allowStaff  = "staff"  // instructors (of any course) and admins
	allowCourse = "course" // admins and the instructors of the course
	allowAdmin  = "admin"  // admins only
	// allowScoped: staff, but each sees only their courses' items, so an
	// instructor of another course is told 403 or 404.
	allowScoped = "scoped"
)

// authzFixture is the world the matrix runs in: course A (taught by
// instructor A), course B (taught by instructor B), and course C (taught by
// instructor A) whose certificates the revoke route uses.
type authzFixture struct {
	e        *env
	a, b, cc *models.Course
	cohortA  *models.Cohort
	spareA   *models.Cohort
	actorID  int64
	seq      int
}

func (f *authzFixture) next() int { f.seq++; return f.seq }

// reading adds a fresh reading to course A's week 1.
func (f *authzFixture) reading() *models.Reading {
	f.e.t.Helper()
	n := f.next()
	r, err := f.e.store.CreateReading(context.Background(), f.actorID, f.a, models.ReadingInput{WeekNumber: 1,
		Slug: fmt.Sprintf("matrix-%d", n), Title: fmt.Sprintf("Matrix %d", n), BodyMarkdown: testdb.Paragraphs(2)})
	if err != nil {
		f.e.t.Fatal(err)
	}
	return r
}

func (f *authzFixture) readingPath(suffix string) string {
	return "/admin/courses/" + f.a.Slug + "/readings/" + f.reading().Slug + suffix
}

// matrixCheckJSON is a one-question check for the matrix's readings.
const matrixCheckJSON = `{"pass_percent": 50, "max_attempts": null, "show_answers_after_fail": false, "questions": [
  {"prompt": "Which paragraph comes first?", "kind": "single", "paragraph": "p-1", "options": [
    {"text": "The first", "correct": true, "feedback": "Yes."}, {"text": "The second", "correct": false, "feedback": "No."}]}]}`

// checkPath adds a reading with a check to course A and returns the path of
// its check with suffix.
func (f *authzFixture) checkPath(suffix string) string {
	f.e.t.Helper()
	r := f.reading()
	if _, err := f.e.store.SaveCheck(context.Background(), f.actorID, f.a, r, oneQuestionCheck()); err != nil {
		f.e.t.Fatal(err)
	}
	return "/admin/courses/" + f.a.Slug + "/readings/" + r.Slug + "/check" + suffix
}

func (f *authzFixture) enrollmentPath(action string) string {
	_, en := f.e.enroll(f.a)
	return fmt.Sprintf("/admin/courses/%s/enrollments/%d/%s", f.a.Slug, en.ID, action)
}

func (f *authzFixture) userPath(role, suffix string) string {
	u := testdb.User(f.e.t, f.e.store, role)
	return fmt.Sprintf("/admin/users/%d%s", u.ID, suffix)
}

// authzRoute is one route of the console and who may use it. request builds
// a fresh, valid request, so an allowed caller succeeds.
type authzRoute struct {
	method, pattern string
	allow           string
	request         func(f *authzFixture) (path string, form url.Values)
}

func get(path func(f *authzFixture) string) func(f *authzFixture) (string, url.Values) {
	return func(f *authzFixture) (string, url.Values) { return path(f), nil }
}

func post(path func(f *authzFixture) string, form func(f *authzFixture) url.Values) func(f *authzFixture) (string, url.Values) {
	return func(f *authzFixture) (string, url.Values) {
		if form == nil {
			return path(f), url.Values{}
		}
		return path(f), form(f)
	}
}

func fixed(s string) func(f *authzFixture) string { return func(*authzFixture) string { return s } }

func inA(suffix string) func(f *authzFixture) string {
	return func(f *authzFixture) string { return "/admin/courses/" + f.a.Slug + suffix }
}

func values(pairs ...string) func(f *authzFixture) url.Values {
	return func(*authzFixture) url.Values {
		v := url.Values{}
		for i := 0; i < len(pairs); i += 2 {
			v.Set(pairs[i], pairs[i+1])
		}
		return v
	}
}

// adminRoutes is every /admin route and who may use it. A route registered
// without a row here fails TestAdminAuthorizationMatrix.
var adminRoutes = []authzRoute{
	{"GET", "/admin/", allowStaff, get(fixed("/admin/"))},
	{"GET", "/admin/certificates", allowStaff, get(fixed("/admin/certificates"))},
	{"POST", "/admin/certificates/:code/revoke", allowCourse, post(func(f *authzFixture) string {
		u, _ := f.e.enroll(f.cc)
		return "/admin/certificates/" + f.e.complete(u, f.cc) + "/revoke"
	}, values("reason", "Issued in error."))},
	{"GET", "/admin/name-corrections", allowStaff, get(fixed("/admin/name-corrections"))},
	{"POST", "/admin/name-corrections/:id", allowScoped, post(func(f *authzFixture) string {
		u, _ := f.e.enroll(f.cc)
		cert, err := f.e.store.CertificateByCode(context.Background(), f.e.complete(u, f.cc))
		if err != nil {
			f.e.t.Fatal(err)
		}
		nc, err := f.e.store.RequestNameCorrection(context.Background(), u, cert, "Corrected Name", "Misspelt.")
		if err != nil {
			f.e.t.Fatal(err)
		}
		return fmt.Sprintf("/admin/name-corrections/%d", nc.ID)
	}, values("decision", "approve"))},
	{"GET", "/admin/courses/:slug", allowCourse, get(inA(""))},
	{"POST", "/admin/courses/:slug", allowCourse, post(inA(""), func(f *authzFixture) url.Values {
		return url.Values{"title": {f.a.Title}, "subtitle": {"Edited"}, "provider": {"Provider"}, "published": {"1"}}
	})},
	{"POST", "/admin/courses/:slug/preview", allowCourse, post(inA("/preview"), values("body_markdown", "Hello *world*"))},
	{"GET", "/admin/courses/:slug/readings", allowCourse, get(inA("/readings"))},
	{"POST", "/admin/courses/:slug/weeks/:number", allowCourse, post(inA("/weeks/1"), values("title", "Week one", "summary", "S"))},
	{"GET", "/admin/courses/:slug/readings/new", allowCourse, get(inA("/readings/new?week=1"))},
	{"POST", "/admin/courses/:slug/readings", allowCourse, post(inA("/readings"), func(f *authzFixture) url.Values {
		n := f.next()
		return readingForm(1, fmt.Sprintf("created-%d", n), "Created", testdb.Paragraphs(1))
	})},
	{"GET", "/admin/courses/:slug/readings/:reading", allowCourse, get(func(f *authzFixture) string { return f.readingPath("") })},
	{"POST", "/admin/courses/:slug/readings/:reading", allowCourse, func(f *authzFixture) (string, url.Values) {
		r := f.reading()
		form := readingForm(1, r.Slug, "Edited", testdb.Paragraphs(3))
		form.Set("version", "1")
		return "/admin/courses/" + f.a.Slug + "/readings/" + r.Slug, form
	}},
	{"POST", "/admin/courses/:slug/readings/:reading/move", allowCourse, post(func(f *authzFixture) string { return f.readingPath("/move") }, values("direction", "up"))},
	{"POST", "/admin/courses/:slug/readings/:reading/publish", allowCourse, post(func(f *authzFixture) string { return f.readingPath("/publish") }, values("published", "0"))},
	{"POST", "/admin/courses/:slug/readings/:reading/require", allowCourse, post(func(f *authzFixture) string { return f.readingPath("/require") }, values("required", "0"))},
	{"POST", "/admin/courses/:slug/readings/:reading/delete", allowCourse, post(func(f *authzFixture) string { return f.readingPath("/delete") }, nil)},
	{"GET", "/admin/courses/:slug/cohorts", allowCourse, get(inA("/cohorts"))},
	{"GET", "/admin/courses/:slug/cohorts/new", allowCourse, get(inA("/cohorts/new"))},
	{"POST", "/admin/courses/:slug/cohorts", allowCourse, post(inA("/cohorts"),
		values("name", "Matrix cohort", "starts_at", "2026-04-06T09:00", "pacing", "scheduled", "capacity", "20"))},
	{"GET", "/admin/courses/:slug/cohorts/:id", allowCourse, get(func(f *authzFixture) string {
		return fmt.Sprintf("/admin/courses/%s/cohorts/%d", f.a.Slug, f.cohortA.ID)
	})},
	{"POST", "/admin/courses/:slug/cohorts/:id", allowCourse, post(func(f *authzFixture) string {
		return fmt.Sprintf("/admin/courses/%s/cohorts/%d", f.a.Slug, f.spareA.ID)
	}, values("name", "Spare cohort", "starts_at", "2026-01-05T09:00", "pacing", "self-paced"))},
	{"POST", "/admin/courses/:slug/enrollments/:id/move", allowCourse, post(func(f *authzFixture) string { return f.enrollmentPath("move") },
		func(f *authzFixture) url.Values { return url.Values{"cohort_id": {fmt.Sprint(f.spareA.ID)}} })},
	{"POST", "/admin/courses/:slug/enrollments/:id/remove", allowCourse, post(func(f *authzFixture) string { return f.enrollmentPath("remove") }, nil)},
	{"GET", "/admin/users", allowAdmin, get(fixed("/admin/users?q=person"))},
	{"GET", "/admin/users/:id", allowAdmin, get(func(f *authzFixture) string { return f.userPath(models.RoleStudent, "") })},
	{"POST", "/admin/users/:id/role", allowAdmin, post(func(f *authzFixture) string { return f.userPath(models.RoleStudent, "/role") }, values("role", "instructor"))},
	{"POST", "/admin/users/:id/disable", allowAdmin, post(func(f *authzFixture) string { return f.userPath(models.RoleStudent, "/disable") }, nil)},
	{"POST", "/admin/users/:id/enable", allowAdmin, post(func(f *authzFixture) string { return f.userPath(models.RoleStudent, "/enable") }, nil)},
	{"POST", "/admin/users/:id/password-reset", allowAdmin, post(func(f *authzFixture) string {
		return f.userPath(models.RoleStudent, "/password-reset")
	}, nil)},
	{"POST", "/admin/users/:id/courses", allowAdmin, post(func(f *authzFixture) string { return f.userPath(models.RoleInstructor, "/courses") },
		func(f *authzFixture) url.Values { return url.Values{"course": {f.a.Slug}} })},
	{"POST", "/admin/users/:id/courses/:course/remove", allowAdmin, post(func(f *authzFixture) string {
		return f.userPath(models.RoleInstructor, "/courses/"+f.a.Slug+"/remove")
	}, nil)},
	{"GET", "/admin/audit", allowAdmin, get(fixed("/admin/audit"))},
	{"GET", "/admin/courses/:slug/readings/:reading/check", allowCourse, get(func(f *authzFixture) string {
		return f.checkPath("")
	})},
	{"POST", "/admin/courses/:slug/readings/:reading/check", allowCourse, post(func(f *authzFixture) string {
		return f.readingPath("/check")
	}, values("pass_percent", "50", "q0.kind", "single", "q0.prompt", "Which?", "q0.paragraph", "p-1",
		"q0.o0.text", "This", "q0.o0.correct", "1", "q0.o1.text", "That"))},
	{"GET", "/admin/courses/:slug/readings/:reading/check/preview", allowCourse, get(func(f *authzFixture) string {
		return f.checkPath("/preview")
	})},
	{"GET", "/admin/courses/:slug/readings/:reading/check.json", allowCourse, get(func(f *authzFixture) string {
		return f.checkPath(".json")
	})},
	{"PUT", "/admin/courses/:slug/readings/:reading/check.json", allowCourse, func(f *authzFixture) (string, url.Values) {
		return f.readingPath("/check.json"), url.Values{"json": {matrixCheckJSON}}
	}},
	{"POST", "/admin/courses/:slug/readings/:reading/check/delete", allowCourse, post(func(f *authzFixture) string {
		return f.checkPath("/delete")
	}, nil)},
	// Roster, reminders and outbox.
	{"GET", "/admin/courses/:slug/roster", allowCourse, get(inA("/roster"))},
	{"GET", "/admin/courses/:slug/roster.csv", allowCourse, get(inA("/roster.csv"))},
	{"GET", "/admin/courses/:slug/students/:id/progress.csv", allowCourse, get(func(f *authzFixture) string {
		u, _ := f.e.enroll(f.a)
		return fmt.Sprintf("/admin/courses/%s/students/%d/progress.csv", f.a.Slug, u.ID)
	})},
	{"POST", "/admin/courses/:slug/cohorts/:id/remind", allowCourse, post(func(f *authzFixture) string {
		return fmt.Sprintf("/admin/courses/%s/cohorts/%d/remind", f.a.Slug, f.cohortA.ID)
	}, values("days", "7"))},
	// Insight: the nudge list names students, so course staff only.
	{"GET", "/admin/courses/:slug/readings/:reading/insight", allowCourse, get(func(f *authzFixture) string {
		return f.readingPath("/insight")
	})},
	{"GET", "/admin/courses/:slug/cohorts/:id/insight", allowCourse, get(func(f *authzFixture) string {
		return fmt.Sprintf("/admin/courses/%s/cohorts/%d/insight", f.a.Slug, f.cohortA.ID)
	})},
	{"POST", "/admin/courses/:slug/cohorts/:id/insight/remind", allowCourse, post(func(f *authzFixture) string {
		return fmt.Sprintf("/admin/courses/%s/cohorts/%d/insight/remind", f.a.Slug, f.cohortA.ID)
	}, values("days", "7"))},
	{"GET", "/admin/outbox", allowStaff, get(fixed("/admin/outbox"))},
	{"GET", "/admin/outbox/:id", allowScoped, get(func(f *authzFixture) string {
		f.e.enroll(f.a) // queues a welcome message about course A
		var id int64
		if err := f.e.store.DB().Raw("SELECT MAX(id) FROM outbox").Scan(&id).Error; err != nil {
			f.e.t.Fatal(err)
		}
		return fmt.Sprintf("/admin/outbox/%d", id)
	})},
}

func TestAdminAuthorizationMatrix(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	f := &authzFixture{e: e}
	f.a, f.cohortA = testdb.Course(t, e.store, 2, models.Cohort{Capacity: testdb.Capacity(500)})
	f.b, _ = testdb.Course(t, e.store, 1, models.Cohort{})
	f.cc, _ = testdb.Course(t, e.store, 1, models.Cohort{})
	f.spareA = &models.Cohort{CourseID: f.a.ID, Name: "Spare", StartsAt: testdb.Start.Add(-7 * 24 * time.Hour), Pacing: models.PacingSelfPaced}
	if err := e.store.CreateCohort(ctx, f.spareA); err != nil {
		t.Fatal(err)
	}

	registered := map[string]bool{}
	for _, r := range e.app.GetRoutes(true) {
		if strings.HasPrefix(r.Path, "/admin") && r.Method != http.MethodHead {
			registered[r.Method+" "+r.Path] = true
		}
	}
	expected := map[string]bool{}
	for _, r := range adminRoutes {
		expected[r.method+" "+r.pattern] = true
		if !registered[r.method+" "+r.pattern] {
			t.Errorf("%s %s is in the matrix but not registered", r.method, r.pattern)
		}
	}
	for route := range registered {
		if !expected[route] {
			t.Errorf("%s is registered but has no row in adminRoutes: say who may use it", route)
		}
	}

	student, _ := e.loginAs(models.RoleStudent)
	if _, err := e.store.Enroll(ctx, currentUserID(t, e, student), f.a); err != nil {
		t.Fatal(err)
	}
	instructorA, _ := e.instructorOf(f.a, f.cc)
	instructorB, _ := e.instructorOf(f.b)
	admin, adminUser := e.loginAs(models.RoleAdmin)
	f.actorID = adminUser.ID
	callers := []struct {
		name   string
		client *client
		may    map[string]bool
	}{
		{"anonymous", e.client(), map[string]bool{}},
		{"student", student, map[string]bool{}},
		{"instructor of the course", instructorA, map[string]bool{allowStaff: true, allowCourse: true, allowScoped: true}},
		{"instructor of another course", instructorB, map[string]bool{allowStaff: true}},
		{"admin", admin, map[string]bool{allowStaff: true, allowCourse: true, allowAdmin: true, allowScoped: true}},
	}
	// One shared world, so no subtests: the fixtures fail through e.t.
	for _, r := range adminRoutes {
		for _, caller := range callers {
			path, form := r.request(f)
			var res response
			switch r.method {
			case http.MethodGet:
				res = caller.client.get(path)
			case http.MethodPut:
				res = caller.client.sendJSON(r.method, path, form.Get("json"))
			default:
				res = caller.client.postForm(path, form)
			}
			location := res.Header.Get("Location")
			switch {
			case caller.name == "anonymous" && strings.HasSuffix(path, ".json"):
				if res.Status != http.StatusUnauthorized {
					t.Errorf("%s %s as %s = %d, want 401", r.method, path, caller.name, res.Status)
				}
			case caller.name == "anonymous":
				if res.Status != http.StatusSeeOther || !strings.HasPrefix(location, "/login") {
					t.Errorf("%s %s as %s = %d → %q, want 303 to /login", r.method, path, caller.name, res.Status, location)
				}
			case r.allow == allowScoped && caller.name == "instructor of another course":
				if res.Status != http.StatusForbidden && res.Status != http.StatusNotFound {
					t.Errorf("%s %s as %s = %d, want 403 or 404", r.method, path, caller.name, res.Status)
				}
			case !caller.may[r.allow]:
				if res.Status != http.StatusForbidden {
					t.Errorf("%s %s as %s = %d, want 403", r.method, path, caller.name, res.Status)
				}
			default:
				if res.Status < 200 || res.Status >= 400 || strings.HasPrefix(location, "/login") {
					t.Errorf("%s %s as %s = %d → %q, want 2xx or 3xx\n%.600s", r.method, path, caller.name, res.Status, location, res.Body)
				}
				if form := postFormWithoutCSRF(res.Body); form != "" {
					t.Errorf("%s %s has a form without its CSRF field: %s", r.method, path, form)
				}
			}
		}
	}
}

var postForm = regexp.MustCompile(`(?s)<form[^>]*method="post".*?</form>`)

// postFormWithoutCSRF returns the opening of the first POST form of a page
// that lacks the hidden _csrf field.
func postFormWithoutCSRF(body string) string {
	for _, form := range postForm.FindAllString(body, -1) {
		if !strings.Contains(form, `name="_csrf"`) {
			opening, _, _ := strings.Cut(form, ">")
			return opening + ">"
		}
	}
	return ""
}

// currentUserID reads who a client is signed in as, from the dashboard's
// session.
func currentUserID(t *testing.T, e *env, c *client) int64 {
	t.Helper()
	u, _, err := e.store.UserBySession(context.Background(), c.cookies["session"])
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}
