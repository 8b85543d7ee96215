package routes_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"courseportal/models"
	"courseportal/models/testdb"
)

// Every id in a path that is not a stored row's is a 404, whatever its size:
// beyond int32 (PostgreSQL's integer), beyond int64, negative or zero.
func TestOutOfRangePathIDsAreNotFound(t *testing.T) {
	e := newEnv(t)
	course, _ := testdb.Course(t, e.store, 2, models.Cohort{})
	admin, _ := e.loginAs(models.RoleAdmin)
	slug := "/admin/courses/" + course.Slug
	routes := []struct{ method, path string }{
		{http.MethodPost, slug + "/weeks/ID"},
		{http.MethodGet, slug + "/cohorts/ID"},
		{http.MethodPost, slug + "/cohorts/ID"},
		{http.MethodPost, slug + "/cohorts/ID/remind"},
		{http.MethodPost, slug + "/enrollments/ID/move"},
		{http.MethodPost, slug + "/enrollments/ID/remove"},
		{http.MethodGet, slug + "/students/ID/progress.csv"},
		{http.MethodGet, "/admin/users/ID"},
		{http.MethodPost, "/admin/users/ID/role"},
		{http.MethodPost, "/admin/users/ID/disable"},
		{http.MethodPost, "/admin/users/ID/enable"},
		{http.MethodPost, "/admin/users/ID/courses"},
		{http.MethodPost, "/admin/users/ID/courses/" + course.Slug + "/remove"},
		{http.MethodGet, "/admin/outbox/ID"},
		{http.MethodPost, "/admin/name-corrections/ID"},
		{http.MethodGet, "/credentials/status/ID"},
	}
	form := url.Values{"title": {"Week"}, "summary": {"S"}, "name": {"Cohort"}, "capacity": {"10"},
		"role": {models.RoleInstructor}, "course": {course.Slug}, "cohort": {"1"}, "days": {"7"}, "decision": {"refuse"}}
	for _, id := range []string{"9999999999", "99999999999999999999", "-1", "0"} {
		for _, r := range routes {
			path := strings.Replace(r.path, "ID", id, 1)
			var res response
			if r.method == http.MethodGet {
				res = admin.get(path)
			} else {
				res = admin.postForm(path, form)
			}
			if res.Status != http.StatusNotFound {
				t.Errorf("%s %s = %d, want 404", r.method, path, res.Status)
			}
		}
	}
}
