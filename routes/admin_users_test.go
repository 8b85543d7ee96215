package routes_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"courseportal/models"
	"courseportal/models/testdb"
)

func TestAdminDisablingEndsSessionsAtOnce(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.loginAs(models.RoleAdmin)
	student, u := e.loginAs(models.RoleStudent)
	phone := e.login(u) // a second session of the same person
	for _, c := range []*client{student, phone} {
		if res := c.get("/dashboard"); res.Status != http.StatusOK {
			t.Fatalf("dashboard before = %d", res.Status)
		}
	}
	path := fmt.Sprintf("/admin/users/%d", u.ID)
	mustContain(t, admin.get(path).Body, "Active sessions</dt><dd>2", "Disable account")
	mustRedirect(t, admin.postForm(path+"/disable", nil), path)
	for _, c := range []*client{student, phone} {
		if res := c.get("/dashboard"); res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
			t.Fatalf("dashboard right after disabling = %d %q, want a redirect to log in", res.Status, res.Header.Get("Location"))
		}
	}
	var sessions int64
	if err := e.store.DB().Model(&models.Session{}).Where("user_id = ?", u.ID).Count(&sessions).Error; err != nil {
		t.Fatal(err)
	}
	if sessions != 0 {
		t.Fatalf("%d sessions left", sessions)
	}
	again := e.client().postForm("/login", url.Values{"email": {u.Email}, "password": {testdb.Password}})
	if again.Status != http.StatusForbidden || !strings.Contains(again.Body, "This account is disabled") {
		t.Fatalf("login while disabled = %d", again.Status)
	}
	mustContain(t, admin.get(path).Body, "Disabled", "Enable account", "Account disabled and signed out everywhere.")
	mustRedirect(t, admin.postForm(path+"/enable", nil), path)
	e.login(u)
	if got := strings.Join(e.auditActions(), " "); got != "user.disable user.enable" {
		t.Fatalf("audit = %s", got)
	}
}

func TestAdminCannotDisableOrDemoteThemselves(t *testing.T) {
	e := newEnv(t)
	admin, me := e.loginAs(models.RoleAdmin)
	path := fmt.Sprintf("/admin/users/%d", me.ID)
	page := admin.get(path)
	mustContain(t, page.Body, "You cannot disable your own account.", "You cannot change your own role")
	res := admin.postForm(path+"/disable", nil)
	if res.Status != http.StatusConflict || !strings.Contains(res.Body, "You cannot disable your own account; another administrator can.") {
		t.Fatalf("self-disable = %d", res.Status)
	}
	for _, role := range []string{models.RoleInstructor, models.RoleStudent} {
		res := admin.postForm(path+"/role", url.Values{"role": {role}})
		if res.Status != http.StatusConflict || !strings.Contains(res.Body, "You cannot remove your own administrator role") {
			t.Fatalf("self-demotion to %s = %d", role, res.Status)
		}
	}
	if u, _ := e.store.UserByID(context.Background(), me.ID); u.Role != models.RoleAdmin || u.DisabledAt != nil {
		t.Fatalf("admin after refused changes = %+v", u)
	}
	if res := admin.get("/dashboard"); res.Status != http.StatusOK {
		t.Fatal("the admin was signed out")
	}
	if got := e.auditActions(); len(got) != 0 {
		t.Fatalf("refusals were audited: %v", got)
	}
	// Another admin can.
	other, _ := e.loginAs(models.RoleAdmin)
	mustRedirect(t, other.postForm(path+"/role", url.Values{"role": {models.RoleInstructor}}), path)
	if res := admin.get("/admin/users"); res.Status != http.StatusForbidden {
		t.Fatalf("demoted admin on the people list = %d, want 403", res.Status)
	}
}

func TestAdminRolesAndCourseAssignments(t *testing.T) {
	e := newEnv(t)
	course, _ := testdb.Course(t, e.store, 1, models.Cohort{})
	admin, _ := e.loginAs(models.RoleAdmin)
	person, u := e.loginAs(models.RoleStudent)
	path := fmt.Sprintf("/admin/users/%d", u.ID)
	coursePage := "/admin/courses/" + course.Slug

	res := admin.postForm(path+"/courses", url.Values{"course": {course.Slug}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "make "+u.FullName+" an instructor first") {
		t.Fatalf("assigning a student = %d", res.Status)
	}
	if res := admin.postForm(path+"/role", url.Values{"role": {"superuser"}}); res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("unknown role = %d, want 422", res.Status)
	}
	mustRedirect(t, admin.postForm(path+"/role", url.Values{"role": {models.RoleInstructor}}), path)
	if res := person.get(coursePage); res.Status != http.StatusForbidden {
		t.Fatalf("unassigned instructor = %d, want 403", res.Status)
	}
	if res := admin.postForm(path+"/courses", url.Values{"course": {"no-such-course"}}); res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("unknown course = %d, want 422", res.Status)
	}
	mustRedirect(t, admin.postForm(path+"/courses", url.Values{"course": {course.Slug}}), path)
	if res := person.get(coursePage); res.Status != http.StatusOK {
		t.Fatalf("assigned instructor = %d, want 200", res.Status)
	}
	mustContain(t, person.get("/admin/").Body, course.Title)
	mustContain(t, admin.get(path).Body, course.Title, "Unassign")
	mustRedirect(t, admin.postForm(path+"/courses/"+course.Slug+"/remove", nil), path)
	if res := person.get(coursePage); res.Status != http.StatusForbidden {
		t.Fatalf("unassigned again = %d, want 403", res.Status)
	}
	if got := strings.Join(e.auditActions(), " "); got != "user.role instructor.assign instructor.unassign" {
		t.Fatalf("audit = %s", got)
	}
	if res := admin.get("/admin/users/999999"); res.Status != http.StatusNotFound {
		t.Fatalf("unknown user = %d", res.Status)
	}
}

func TestAdminPeopleSearch(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.loginAs(models.RoleAdmin)
	ctx := context.Background()
	for _, name := range []string{"Zoë Ahmadi", "Sure 100% Person", "Under_Score", "Plain Name"} {
		email := strings.ToLower(strings.NewReplacer(" ", ".", "%", "", "ë", "e", "_", "").Replace(name)) + "@search.example"
		if _, err := e.store.CreateUser(ctx, models.NewAccount{FullName: name, Email: email, Password: "long-passphrase"}); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		query string
		want  []string
		not   []string
	}{
		{"zoë", []string{"Zoë Ahmadi"}, []string{"Plain Name"}},
		{"AHMADI", []string{"Zoë Ahmadi"}, nil},
		{"%", []string{"Sure 100% Person"}, []string{"Plain Name", "Under_Score"}},
		{"_", []string{"Under_Score"}, []string{"Plain Name"}},
		{"plain.name@", []string{"Plain Name"}, []string{"Zoë Ahmadi"}},
		{"' OR 1=1 --", nil, []string{"Plain Name"}},
	}
	for _, tc := range cases {
		res := admin.get("/admin/users?q=" + url.QueryEscape(tc.query))
		if res.Status != http.StatusOK {
			t.Fatalf("search %q = %d", tc.query, res.Status)
		}
		for _, w := range tc.want {
			if !strings.Contains(res.Body, w) {
				t.Errorf("search %q lacks %q", tc.query, w)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(res.Body, ">"+n+"<") {
				t.Errorf("search %q shows %q", tc.query, n)
			}
		}
	}
	// Pages of 25, by name.
	for i := range 30 {
		testdb.User(t, e.store, models.RoleStudent).FullName = fmt.Sprint(i)
	}
	first := admin.get("/admin/users?role=student")
	mustContain(t, first.Body, "Page 1 of 2", "Next →", "page=2&amp;role=student")
	second := admin.get("/admin/users?role=student&page=2")
	mustContain(t, second.Body, "Page 2 of 2", "← Previous")
	if strings.Count(second.Body, `class="btn btn-secondary btn-sm" href="/admin/users/`) != 34-25 {
		t.Fatalf("second page has %d people, want %d", strings.Count(second.Body, `href="/admin/users/`), 34-25)
	}
	if res := admin.get("/admin/users?role=root&page=-4"); res.Status != http.StatusOK {
		t.Fatalf("odd query = %d", res.Status)
	}
}
