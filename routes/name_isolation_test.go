package routes_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"courseportal/models"
)

// A right-to-left name is isolated wherever it stands beside other text, so
// it never reorders its neighbours; mailto links carry the address escaped.
func TestNamesAreIsolatedAndMailtoEscaped(t *testing.T) {
	e := newEnv(t)
	const name, email = "احمد رحیمی", "ahmad?cc=boss@example.org"
	openSeededCertificates(t, e)
	student := e.client()
	res := student.postForm("/join/"+courseSlug, url.Values{"full_name": {name}, "email": {email}, "password": {"s3cret-passphrase"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("join = %d\n%s", res.Status, res.Body)
	}
	passSeededCheck(t, e, student)
	var cert models.Certificate
	if err := e.store.DB().Take(&cert).Error; err != nil {
		t.Fatalf("no certificate: %v", err)
	}
	u, err := e.store.UserByEmail(t.Context(), email)
	if err != nil {
		t.Fatal(err)
	}
	var enrollment models.Enrollment
	if err := e.store.DB().Take(&enrollment, cert.EnrollmentID).Error; err != nil {
		t.Fatal(err)
	}
	isolated := "<bdi>" + name + "</bdi>"
	admin, _ := e.loginAs(models.RoleAdmin)
	pages := []struct {
		who  *client
		path string
	}{
		{student, "/dashboard"},
		{admin, "/admin/courses/" + courseSlug + "/cohorts/" + strconv.FormatInt(enrollment.CohortID, 10)},
		{e.client(), "/certificates/" + cert.Code},
		{admin, "/admin/courses/" + courseSlug + "/roster"},
		{admin, "/admin/users"},
		{admin, "/admin/users/" + strconv.FormatInt(u.ID, 10)},
		{admin, "/admin/certificates"},
		{admin, "/admin/outbox"},
	}
	for _, p := range pages {
		res := p.who.get(p.path)
		if res.Status != http.StatusOK {
			t.Errorf("%s = %d", p.path, res.Status)
			continue
		}
		if !strings.Contains(res.Body, isolated) {
			t.Errorf("%s shows the name without isolating it", p.path)
		}
		// In attributes and the title, where markup cannot go, the name is
		// wrapped in first-strong isolate marks.
		inAttributes := "\u2068" + name + "\u2069"
		if n, isolatedN := strings.Count(res.Body, name), strings.Count(res.Body, isolated)+strings.Count(res.Body, inAttributes); n != isolatedN {
			t.Errorf("%s shows the name %d times, isolated %d times", p.path, n, isolatedN)
		}
	}
	roster := admin.get("/admin/courses/" + courseSlug + "/roster")
	if strings.Contains(roster.Body, "mailto:ahmad?cc") || !strings.Contains(roster.Body, `href="mailto:ahmad%3Fcc=boss@example.org"`) {
		t.Errorf("the roster's mailto link does not escape the address")
	}
}
