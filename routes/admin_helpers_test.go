package routes_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"courseportal/models"
	"courseportal/models/testdb"
)

// loginAs signs a new person of the role in through the login form.
func (e *env) loginAs(role string) (*client, *models.User) {
	e.t.Helper()
	u := testdb.User(e.t, e.store, role)
	return e.login(u), u
}

// instructorOf signs in a new instructor who teaches the courses.
func (e *env) instructorOf(courses ...*models.Course) (*client, *models.User) {
	e.t.Helper()
	c, u := e.loginAs(models.RoleInstructor)
	for _, course := range courses {
		if err := e.store.AssignInstructor(context.Background(), course.ID, u.ID); err != nil {
			e.t.Fatal(err)
		}
	}
	return c, u
}

// enroll puts a new student into the course's open cohort.
func (e *env) enroll(course *models.Course) (*models.User, *models.Enrollment) {
	e.t.Helper()
	u := testdb.User(e.t, e.store, models.RoleStudent)
	res, err := e.store.Enroll(context.Background(), u.ID, course)
	if err != nil {
		e.t.Fatalf("enroll: %v", err)
	}
	return u, &res.Enrollment
}

// complete marks every published reading of the course complete for the
// student and returns their certificate's code, if the course completed.
func (e *env) complete(u *models.User, course *models.Course) string {
	e.t.Helper()
	ctx := context.Background()
	outline, err := e.store.CourseOutline(ctx, course.Slug, false)
	if err != nil {
		e.t.Fatal(err)
	}
	code := ""
	for _, w := range outline.Weeks {
		for _, r := range w.Readings {
			a, err := e.store.ReadingAccess(ctx, u.ID, course.Slug, r.Slug)
			if err != nil {
				e.t.Fatalf("access to %s: %v", r.Slug, err)
			}
			res, err := e.store.CompleteReading(ctx, a)
			if err != nil {
				e.t.Fatalf("complete %s: %v", r.Slug, err)
			}
			if res.CertificateCode != "" {
				code = res.CertificateCode
			}
		}
	}
	return code
}

// enrollment reloads an enrollment.
func (e *env) enrollment(id int64) models.Enrollment {
	e.t.Helper()
	var en models.Enrollment
	if err := e.store.DB().Take(&en, id).Error; err != nil {
		e.t.Fatal(err)
	}
	return en
}

// cohort reloads a cohort.
func (e *env) cohort(id int64) *models.Cohort {
	e.t.Helper()
	k, err := e.store.CohortByID(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return k
}

// auditActions lists the audit log's actions, oldest first.
func (e *env) auditActions() []string {
	e.t.Helper()
	var actions []string
	if err := e.store.DB().Model(&models.AuditEntry{}).Order("id").Pluck("action", &actions).Error; err != nil {
		e.t.Fatal(err)
	}
	return actions
}

// mustRedirect checks a 303 to a location starting with prefix.
func mustRedirect(t *testing.T, res response, prefix string) {
	t.Helper()
	if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), prefix) {
		t.Fatalf("= %d → %q, want 303 to %s…\n%s", res.Status, res.Header.Get("Location"), prefix, res.Body)
	}
}

// readingForm is a complete reading editor submission.
func readingForm(week int, slug, title, body string) url.Values {
	return url.Values{"week": {strconv.Itoa(week)}, "slug": {slug}, "title": {title}, "body_markdown": {body},
		"required": {"1"}, "published": {"1"}}
}
