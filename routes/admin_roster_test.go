package routes_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"courseportal/models"
	"courseportal/models/testdb"
)

// rosterClass is testdb's standard class of five with an instructor and an
// administrator, on day 15 of a scheduled cohort (every week open):
//
//	ada  completed readings 1 and 2 today        (enrolled, behind but active)
//	ben  read half of reading 1 on day 0         (at risk)
//	cyd  never opened a reading                  (not started, at risk)
//	dee  completed the course                    (certificate)
//	eve  withdrew
type rosterClass struct {
	*testdb.Class
	e          *env
	instructor *models.User
	admin      *models.User
}

func newRosterClass(t *testing.T) *rosterClass {
	t.Helper()
	e := newEnv(t)
	r := &rosterClass{Class: testdb.NewClass(t, e.store, e.clock, models.PacingScheduled), e: e}
	r.instructor = testdb.User(t, e.store, models.RoleInstructor)
	r.admin = testdb.User(t, e.store, models.RoleAdmin)
	if err := e.store.AssignInstructor(context.Background(), r.Course.ID, r.instructor.ID); err != nil {
		t.Fatal(err)
	}
	r.SeedFive(t)
	return r
}

func (r *rosterClass) url(rest string) string { return "/admin/courses/" + r.Course.Slug + rest }

// rosterNames lists the students of a roster page, in order.
var rosterNameCell = regexp.MustCompile(`<td><strong><bdi>([^<]*)</bdi></strong>`)

func rosterNames(body string) []string {
	var names []string
	for _, m := range rosterNameCell.FindAllStringSubmatch(body, -1) {
		names = append(names, html.UnescapeString(m[1]))
	}
	return names
}

var nextLink = regexp.MustCompile(`<a href="([^"]+)" rel="next">`)

func TestRosterPage(t *testing.T) {
	r := newRosterClass(t)
	c := r.e.login(r.instructor)
	res := c.get(r.url("/roster"))
	if res.Status != http.StatusOK {
		t.Fatalf("roster = %d\n%s", res.Status, res.Body)
	}
	if got := strings.Join(rosterNames(res.Body), ","); got != "ada,ben,cyd,dee" {
		t.Fatalf("roster lists %s", got)
	}
	var code string
	if err := r.e.store.DB().Table("certificates").Select("code").Where("user_id = ?", r.Students["dee"].ID).Scan(&code).Error; err != nil {
		t.Fatal(err)
	}
	mustContain(t, res.Body, "66&nbsp;%", "16&nbsp;%", "100&nbsp;%", "2&nbsp;of&nbsp;3", code, "/certificates/"+code, "At risk", "Not started",
		"3 enrolled", "2 students", "Remind 2 at-risk students", `name="_csrf"`, r.url("/roster.csv"),
		r.url(fmt.Sprintf("/students/%d/progress.csv", r.Students["ada"].ID)), "17 Mar 2026")

	cases := map[string]string{
		"?show=at-risk":                                      "ben,cyd",
		"?show=not-started":                                  "cyd",
		"?show=completed":                                    "dee",
		"?status=withdrawn":                                  "eve",
		"?status=all&sort=percent&dir=desc":                  "dee,ada,ben,eve,cyd", // ties: newest enrollment first
		"?show=at-risk&days=30":                              "",
		"?sort=last_activity&dir=desc":                       "dee,ada,ben,cyd", // ties: newest enrollment first
		fmt.Sprintf("?cohort=%d&status=active", r.Cohort.ID): "ada,ben,cyd",
	}
	for q, want := range cases {
		res := c.get(r.url("/roster" + q))
		if got := strings.Join(rosterNames(res.Body), ","); res.Status != http.StatusOK || got != want {
			t.Errorf("roster%s = %d %q, want %q", q, res.Status, got, want)
		}
	}
}

func TestRosterPagesFollowTheNextLink(t *testing.T) {
	r := newRosterClass(t)
	for i := range 7 {
		r.Enroll(t, fmt.Sprintf("zed %d", i))
	}
	c := r.e.login(r.admin)
	var all []string
	next := r.url("/roster?limit=3&sort=name")
	for pages := 0; next != ""; pages++ {
		if pages > 5 {
			t.Fatal("paging does not end")
		}
		res := c.get(next)
		if res.Status != http.StatusOK {
			t.Fatalf("%s = %d", next, res.Status)
		}
		all = append(all, rosterNames(res.Body)...)
		next = ""
		if m := nextLink.FindStringSubmatch(res.Body); m != nil {
			next = html.UnescapeString(m[1])
		}
	}
	if got := strings.Join(all, ","); got != "ada,ben,cyd,dee,zed 0,zed 1,zed 2,zed 3,zed 4,zed 5,zed 6" {
		t.Fatalf("pages list %s", got)
	}
}

func TestRosterRejectsBadInput(t *testing.T) {
	r := newRosterClass(t)
	c := r.e.login(r.instructor)
	cases := map[string]int{
		"?cohort=abc":           http.StatusBadRequest,
		"?days=soon":            http.StatusBadRequest,
		"?limit=-3":             http.StatusBadRequest,
		"?days=0":               http.StatusUnprocessableEntity,
		"?days=400":             http.StatusUnprocessableEntity,
		"?limit=5000":           http.StatusUnprocessableEntity,
		"?sort=password_hash":   http.StatusUnprocessableEntity,
		"?sort=name%3BDROP":     http.StatusUnprocessableEntity,
		"?dir=sideways":         http.StatusUnprocessableEntity,
		"?status=expelled":      http.StatusUnprocessableEntity,
		"?show=sleepy":          http.StatusUnprocessableEntity,
		"?after=garbage~cursor": http.StatusUnprocessableEntity,
		"?cohort=999999":        http.StatusUnprocessableEntity,
		"?after=a&before=b":     http.StatusUnprocessableEntity,
	}
	for q, want := range cases {
		for _, path := range []string{"/roster", "/roster.csv"} {
			if path == "/roster.csv" && strings.Contains(q, "after=") {
				continue // the export has no pages: it ignores cursors
			}
			if res := c.get(r.url(path + q)); res.Status != want {
				t.Errorf("%s%s = %d, want %d\n%s", path, q, res.Status, want, res.Body)
			}
		}
	}
	req := c.get(r.url("/roster?sort=secret"))
	mustContain(t, req.Body, "Sort must be one of")
}

func TestRosterAuthorization(t *testing.T) {
	r := newRosterClass(t)
	other, _ := testdb.Course(t, r.e.store, 1, models.Cohort{})
	outsider := testdb.User(t, r.e.store, models.RoleInstructor)
	if err := r.e.store.AssignInstructor(context.Background(), other.ID, outsider.ID); err != nil {
		t.Fatal(err)
	}
	student := r.e.login(r.Students["ada"])
	stranger := r.e.login(outsider)
	anonymous := r.e.client()
	gets := []string{r.url("/roster"), r.url("/roster.csv"), r.url(fmt.Sprintf("/students/%d/progress.csv", r.Students["ben"].ID))}
	for _, path := range gets {
		if res := anonymous.get(path); res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login?next=") {
			t.Errorf("anonymous %s = %d %s", path, res.Status, res.Header.Get("Location"))
		}
		for who, c := range map[string]*client{"student": student, "instructor of another course": stranger} {
			if res := c.get(path); res.Status != http.StatusForbidden {
				t.Errorf("%s: %s = %d, want 403", who, path, res.Status)
			}
		}
	}
	remind := r.url(fmt.Sprintf("/cohorts/%d/remind", r.Cohort.ID))
	for who, c := range map[string]*client{"student": student, "instructor of another course": stranger} {
		if res := c.postForm(remind, nil); res.Status != http.StatusForbidden {
			t.Errorf("%s: POST remind = %d, want 403", who, res.Status)
		}
	}
	if res := anonymous.postForm(remind, nil); res.Status != http.StatusSeeOther {
		t.Errorf("anonymous POST remind = %d", res.Status)
	}
	if res := student.get("/admin/outbox"); res.Status != http.StatusForbidden {
		t.Errorf("student outbox = %d", res.Status)
	}
	if res := anonymous.get("/admin/outbox"); res.Status != http.StatusSeeOther {
		t.Errorf("anonymous outbox = %d", res.Status)
	}
	if res := r.e.login(r.admin).get(r.url("/roster")); res.Status != http.StatusOK {
		t.Errorf("admin roster = %d", res.Status)
	}
	if res := r.e.login(r.admin).get("/admin/courses/no-such-course/roster"); res.Status != http.StatusNotFound {
		t.Errorf("unknown course = %d", res.Status)
	}
	if len(testdb.Outbox(t, r.e.store, models.MailReminder)) != 0 {
		t.Error("a refused request queued reminders")
	}
}

func TestRemindAtRiskStudents(t *testing.T) {
	r := newRosterClass(t)
	if err := r.e.store.DB().Model(r.Students["cyd"]).Update("reminders_opt_out", true).Error; err != nil {
		t.Fatal(err)
	}
	c := r.e.login(r.instructor)
	remind := r.url(fmt.Sprintf("/cohorts/%d/remind", r.Cohort.ID))
	if res := c.postForm(remind, url.Values{"_csrf": {"forged"}}); res.Status != http.StatusForbidden {
		t.Fatalf("remind with a bad CSRF token = %d", res.Status)
	}
	res := c.postForm(remind, url.Values{"days": {"7"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("remind = %d\n%s", res.Status, res.Body)
	}
	page := c.get(res.Header.Get("Location"))
	mustContain(t, page.Body, "Queued 1 reminder.", "1 student has turned reminders off.")
	if got := strings.Join(rosterNames(page.Body), ","); got != "ben,cyd" {
		t.Errorf("after reminding, the page lists %s", got)
	}
	sent := testdb.Outbox(t, r.e.store, models.MailReminder)
	if len(sent) != 1 || sent[0].ToEmail != r.Students["ben"].Email || !strings.Contains(sent[0].BodyText, "http://portal.test/learn/"+r.Course.Slug) ||
		!strings.HasPrefix(sent[0].ListUnsubscribe, "http://portal.test/unsubscribe/") {
		t.Fatalf("reminders = %+v", sent)
	}
	// Again today: deduplicated.
	res = c.postForm(remind, nil)
	mustContain(t, c.get(res.Header.Get("Location")).Body, "No reminder was queued. 1 student was already reminded today.")
	var audit []models.AuditEntry
	if err := r.e.store.DB().Where("action = ? AND actor_id = ?", "reminders.queue", r.instructor.ID).Find(&audit).Error; err != nil {
		t.Fatal(err)
	}
	if len(audit) != 2 {
		t.Fatalf("%d audit entries, want 2", len(audit))
	}
	for _, bad := range []url.Values{{"days": {"x"}}, {"days": {"0"}}} {
		if res := c.postForm(remind, bad); res.Status != http.StatusBadRequest && res.Status != http.StatusUnprocessableEntity {
			t.Errorf("remind with %v = %d", bad, res.Status)
		}
	}
	if res := c.postForm(r.url("/cohorts/999999/remind"), nil); res.Status != http.StatusNotFound {
		t.Errorf("remind an unknown cohort = %d", res.Status)
	}
}
