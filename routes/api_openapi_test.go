package routes_test

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"courseportal/models"
	"courseportal/models/testdb"
)

// TestOpenAPIDescribesEveryAnswer holds real answers of every /api/v1
// endpoint, successes and the main refusals, to the published OpenAPI 3.1
// description (kin-openapi's openapi3filter), so the description stays
// true: an undescribed endpoint, status or field fails it, and so does a
// route under /api/v1 the description leaves out.
func TestOpenAPIDescribesEveryAnswer(t *testing.T) {
	e := newEnv(t)
	spec := loadAPISpec(t, e)
	ctx := context.Background()
	admin := testdb.User(t, e.store, models.RoleAdmin)
	visitor := e.client()
	wantStatus := func(res response, want int) {
		t.Helper()
		if res.Status != want {
			t.Fatalf("= %d, want %d:\n%s", res.Status, want, res.Body)
		}
	}

	// Signing in for a token, and the refusals.
	u := testdb.User(t, e.store, models.RoleStudent)
	signIn := func(body string) response {
		return spec.call(visitor, http.MethodPost, "/api/v1/sessions", body)
	}
	res := signIn(fmt.Sprintf(`{"email": %q, "password": %q}`, u.Email, testdb.Password))
	wantStatus(res, http.StatusCreated)
	student := &client{e: e, cookies: map[string]string{}, bearer: res.json(t)["token"].(string)}
	wantStatus(signIn(fmt.Sprintf(`{"email": %q, "password": "not the password"}`, u.Email)), http.StatusUnauthorized)
	wantStatus(signIn(`{"email": "a@example.org", "password": 12}`), http.StatusUnprocessableEntity)
	wantStatus(signIn(`[]`), http.StatusBadRequest)
	wantStatus(spec.call(visitor, http.MethodPost, "/api/v1/sessions", `{}`, contentType("text/plain")), http.StatusUnsupportedMediaType)
	disabled := testdb.User(t, e.store, models.RoleStudent)
	if err := e.store.SetDisabled(ctx, admin, disabled.ID, true); err != nil {
		t.Fatal(err)
	}
	wantStatus(signIn(fmt.Sprintf(`{"email": %q, "password": %q}`, disabled.Email, testdb.Password)), http.StatusForbidden)

	// The catalogue, public; a bad token is refused even there.
	wantStatus(spec.call(visitor, http.MethodGet, "/api/v1/courses", ""), http.StatusOK)
	stranger := &client{e: e, cookies: map[string]string{}, bearer: "not-a-token"}
	wantStatus(spec.call(stranger, http.MethodGet, "/api/v1/courses", ""), http.StatusUnauthorized)
	wantStatus(spec.call(visitor, http.MethodGet, "/api/v1/courses/"+courseSlug, ""), http.StatusOK)
	wantStatus(spec.call(visitor, http.MethodGet, "/api/v1/courses/no-such-course", ""), http.StatusNotFound)

	// Enrolling: a seat, again, the waitlist, closed, unknown, signed out,
	// and a session cookie without its CSRF token.
	enroll := func(c *client, slug string, edit ...func(*http.Request)) response {
		return spec.call(c, http.MethodPost, "/api/v1/courses/"+slug+"/enrollments", "", edit...)
	}
	wantStatus(enroll(student, courseSlug), http.StatusCreated)
	wantStatus(enroll(student, courseSlug), http.StatusOK)
	small, _ := testdb.Course(t, e.store, 1, models.Cohort{Capacity: testdb.Capacity(1)})
	wantStatus(enroll(e.login(testdb.User(t, e.store, models.RoleStudent)), small.Slug), http.StatusCreated)
	wantStatus(enroll(student, small.Slug), http.StatusAccepted)
	closedAt := testdb.Start.Add(-time.Hour)
	closed, _ := testdb.Course(t, e.store, 1, models.Cohort{StartsAt: testdb.Start.Add(-48 * time.Hour), EnrollClosesAt: &closedAt})
	wantStatus(enroll(student, closed.Slug), http.StatusConflict)
	wantStatus(enroll(student, "no-such-course"), http.StatusNotFound)
	wantStatus(enroll(visitor, courseSlug), http.StatusUnauthorized)
	browser := e.login(testdb.User(t, e.store, models.RoleStudent))
	wantStatus(enroll(browser, courseSlug, withoutHeader("X-CSRF-Token")), http.StatusForbidden)
	wantStatus(enroll(browser, courseSlug), http.StatusCreated) // the cookie and the token together

	// The caller's enrollments and progress.
	wantStatus(spec.call(student, http.MethodGet, "/api/v1/me/enrollments", ""), http.StatusOK)
	wantStatus(spec.call(browser, http.MethodGet, "/api/v1/me/enrollments", ""), http.StatusOK)
	wantStatus(spec.call(visitor, http.MethodGet, "/api/v1/me/enrollments", ""), http.StatusUnauthorized)
	progress := func(c *client, slug string) response {
		return spec.call(c, http.MethodGet, "/api/v1/me/courses/"+slug+"/progress", "")
	}
	other, _ := testdb.Course(t, e.store, 1, models.Cohort{})
	wantStatus(progress(student, other.Slug), http.StatusForbidden)
	wantStatus(progress(student, "no-such-course"), http.StatusNotFound)
	wantStatus(progress(visitor, courseSlug), http.StatusUnauthorized)

	report := func(c *client, reading, body string, edit ...func(*http.Request)) response {
		return spec.call(c, http.MethodPut, "/api/v1/me/readings/"+reading+"/progress", body, edit...)
	}
	seen := `{"course": "` + courseSlug + `", "percent": 40, "position": "p-3", "seconds": 30}`
	wantStatus(report(student, readingSlug, seen), http.StatusOK)
	wantStatus(report(browser, readingSlug, seen), http.StatusOK)
	wantStatus(report(student, readingSlug, `{"course": "`+courseSlug+`"}`), http.StatusUnprocessableEntity)
	wantStatus(report(student, readingSlug, `{"course": "`+courseSlug+`", "percent": 140}`), http.StatusUnprocessableEntity)
	wantStatus(report(student, readingSlug, `{"course": `), http.StatusBadRequest)
	wantStatus(report(student, readingSlug, seen, contentType("text/plain")), http.StatusUnsupportedMediaType)
	wantStatus(report(student, "no-such-reading", seen), http.StatusNotFound)
	wantStatus(report(student, other.Weeks[0].Readings[0].Slug,
		`{"course": "`+other.Slug+`", "percent": 10}`), http.StatusForbidden)
	wantStatus(report(visitor, readingSlug, seen), http.StatusUnauthorized)
	wantStatus(progress(student, courseSlug), http.StatusOK)

	// Knowledge checks: the seeded reading's, one of a single attempt, and
	// a reading without one.
	checkPath := func(slug, reading string) string {
		return "/api/v1/me/courses/" + slug + "/readings/" + reading + "/check"
	}
	seeded := checkPath(courseSlug, readingSlug)
	wantStatus(spec.call(student, http.MethodGet, seeded, ""), http.StatusOK)
	wantStatus(spec.call(visitor, http.MethodGet, seeded, ""), http.StatusUnauthorized)
	wantStatus(spec.call(student, http.MethodGet, checkPath(other.Slug, other.Weeks[0].Readings[0].Slug), ""), http.StatusForbidden)
	wantStatus(spec.call(student, http.MethodGet, checkPath(small.Slug, small.Weeks[0].Readings[0].Slug), ""), http.StatusForbidden) // waitlisted
	quiz, _ := testdb.Course(t, e.store, 1, models.Cohort{})
	wantStatus(enroll(student, quiz.Slug), http.StatusCreated)
	quizReading := &quiz.Weeks[0].Readings[0]
	quizPath := checkPath(quiz.Slug, quizReading.Slug)
	wantStatus(spec.call(student, http.MethodGet, quizPath, ""), http.StatusNotFound)
	once := oneQuestionCheck()
	once.MaxAttempts = testdb.Capacity(1)
	saved, err := e.store.SaveCheck(ctx, admin.ID, quiz, quizReading, once)
	if err != nil {
		t.Fatal(err)
	}
	attempt := func(c *client, path, body string) response {
		return spec.call(c, http.MethodPost, path+"/attempts", body)
	}
	wantStatus(spec.call(student, http.MethodGet, quizPath, ""), http.StatusOK)
	wrongOption := firstWrong(saved.Questions[0])
	wrong := fmt.Sprintf(`{"answers": {"%s": ["%s"]}}`, saved.Questions[0].IDString(), wrongOption.IDString())
	wantStatus(attempt(student, quizPath, `{"answers": {"x": ["1"]}}`), http.StatusUnprocessableEntity)
	wantStatus(attempt(student, quizPath, wrong), http.StatusCreated)
	wantStatus(attempt(student, quizPath, wrong), http.StatusConflict)
	wantStatus(attempt(student, checkPath(quiz.Slug, "no-such-reading"), wrong), http.StatusNotFound)
	wantStatus(attempt(visitor, quizPath, wrong), http.StatusUnauthorized)

	// Passing the seeded check completes the seeded course: a certificate.
	openSeededCertificates(t, e)
	check := seededCheck(t, e)
	answers := []string{}
	for _, q := range check.Questions {
		right := rightOption(q)
		answers = append(answers, fmt.Sprintf("%q: [%q]", q.IDString(), right.IDString()))
	}
	wantStatus(attempt(student, seeded, `{"answers": {`+strings.Join(answers, ", ")+`}}`), http.StatusCreated)
	mine := spec.call(student, http.MethodGet, "/api/v1/me/courses/"+courseSlug+"/progress", "").json(t)
	code, _ := mine["enrollment"].(map[string]any)["certificate_code"].(string)
	if code == "" {
		t.Fatalf("no certificate after passing the seeded check: %v", mine)
	}
	wantStatus(spec.call(visitor, http.MethodGet, "/api/v1/certificates/"+code, ""), http.StatusOK)
	if _, err := e.store.RevokeCertificate(ctx, code, admin.ID, "Issued by mistake"); err != nil {
		t.Fatal(err)
	}
	revoked := spec.call(visitor, http.MethodGet, "/api/v1/certificates/"+code, "")
	if revoked.Status != http.StatusOK || revoked.json(t)["status"] != "revoked" {
		t.Fatalf("revoked certificate = %d %s", revoked.Status, revoked.Body)
	}
	wantStatus(spec.call(visitor, http.MethodGet, "/api/v1/certificates/AAAAA-BBBBB-CCCCC", ""), http.StatusNotFound)

	spec.covered()
	spec.describesEveryRoute(e.app)
}

// contentType sets the request's Content-Type.
func contentType(value string) func(*http.Request) {
	return func(r *http.Request) { r.Header.Set("Content-Type", value) }
}

// withoutHeader removes a header from the request.
func withoutHeader(name string) func(*http.Request) {
	return func(r *http.Request) { r.Header.Del(name) }
}

// TestOpenAPIDescribesUnavailable holds the 503 of a database that cannot
// take a write (SQLite's lock held past the busy timeout) to the
// description: the error object and the Retry-After header.
func TestOpenAPIDescribesUnavailable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "locked.db")
	e := newEnvAt(t, "sqlite:"+path, &models.FixedClock{T: testdb.Start})
	shortBusyTimeout(t, e.store.DB())
	spec := loadAPISpec(t, e)
	u := testdb.User(t, e.store, models.RoleStudent)
	token, err := e.store.CreateSession(context.Background(), u.ID, "api client")
	if err != nil {
		t.Fatal(err)
	}
	student := &client{e: e, cookies: map[string]string{}, bearer: token, sheddable: true}

	locker, _ := testdb.OpenDB(t, "sqlite:"+path)
	lock := locker.Begin()
	if err := lock.Exec("UPDATE courses SET title = title").Error; err != nil {
		t.Fatal(err)
	}
	defer lock.Rollback()
	for _, res := range []response{
		spec.call(student, http.MethodPost, "/api/v1/sessions", `{"email": "`+u.Email+`", "password": "not the password"}`),
		spec.call(student, http.MethodPost, "/api/v1/courses/"+courseSlug+"/enrollments", ""),
	} {
		if res.Status != http.StatusServiceUnavailable {
			t.Fatalf("a write while the database is locked = %d, want 503:\n%s", res.Status, res.Body)
		}
	}
}
