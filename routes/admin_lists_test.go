package routes_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"courseportal/models"
	"courseportal/models/testdb"
)

func TestAdminOverviewCounts(t *testing.T) {
	e := newEnv(t)
	course, _ := testdb.Course(t, e.store, 1, models.Cohort{Capacity: testdb.Capacity(2)})
	other, _ := testdb.Course(t, e.store, 1, models.Cohort{})
	first, _ := e.enroll(course)
	e.enroll(course)
	e.enroll(course)
	e.complete(first, course)
	instructor, _ := e.instructorOf(course)
	page := instructor.get("/admin/")
	if page.Status != http.StatusOK {
		t.Fatalf("overview = %d", page.Status)
	}
	mustContain(t, page.Body, "Your courses", course.Title, "<strong>1</strong> enrolled", "<strong>1</strong> waitlisted",
		"<strong>1</strong> completed", "/admin/courses/"+course.Slug+"/roster", "/admin/courses/"+course.Slug+"/readings")
	if strings.Contains(page.Body, other.Title) {
		t.Fatal("an instructor sees a course they do not teach")
	}
	admin, _ := e.loginAs(models.RoleAdmin)
	mustContain(t, admin.get("/admin").Body, "All courses", course.Title, other.Title, "Certificate Course in International Relations")
	lonely, _ := e.loginAs(models.RoleInstructor)
	mustContain(t, lonely.get("/admin/").Body, "You do not teach a course yet")
}

var auditRow = regexp.MustCompile(`<span class="tag">week\.update</span>`)

func TestAdminAuditLogPagesByKeyset(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	course, _ := testdb.Course(t, e.store, 1, models.Cohort{})
	admin, me := e.loginAs(models.RoleAdmin)
	for i := 1; i <= 60; i++ {
		if err := e.store.UpdateWeek(ctx, me.ID, course, 1, fmt.Sprintf("Title %d", i), ""); err != nil {
			t.Fatal(err)
		}
	}
	first := admin.get("/admin/audit")
	if n := len(auditRow.FindAllString(first.Body, -1)); n != 50 {
		t.Fatalf("first page has %d entries, want 50", n)
	}
	mustContain(t, first.Body, "Title 60", me.FullName, "week:"+course.Slug+"/1")
	if strings.Contains(first.Body, "“Title 10”") || strings.Index(first.Body, "Title 60") > strings.Index(first.Body, "Title 59") {
		t.Fatal("the first page is not the newest entries, newest first")
	}
	next := regexp.MustCompile(`href="(/admin/audit\?before=\d+)"`).FindStringSubmatch(first.Body)
	if next == nil {
		t.Fatal("no link to older entries")
	}
	// A new entry arriving meanwhile does not shift the next page.
	if err := e.store.UpdateWeek(ctx, me.ID, course, 1, "Title 61", ""); err != nil {
		t.Fatal(err)
	}
	second := admin.get(next[1])
	if n := len(auditRow.FindAllString(second.Body, -1)); n != 10 {
		t.Fatalf("second page has %d entries, want 10", n)
	}
	mustContain(t, second.Body, "“Title 10”", "“Title 1”", "← Newest")
	if strings.Contains(second.Body, "Title 11”") || strings.Contains(second.Body, "Older entries") {
		t.Fatal("the second page overlaps the first or offers more")
	}
	if res := admin.get("/admin/audit?before=abc"); res.Status != http.StatusBadRequest {
		t.Fatalf("bad cursor = %d, want 400", res.Status)
	}
}

func TestAdminCertificateList(t *testing.T) {
	e := newEnv(t)
	mine, _ := testdb.Course(t, e.store, 1, models.Cohort{})
	theirs, _ := testdb.Course(t, e.store, 1, models.Cohort{})
	var codes []string
	for _, course := range []*models.Course{mine, mine, theirs} {
		u, _ := e.enroll(course)
		codes = append(codes, e.complete(u, course))
	}
	admin, me := e.loginAs(models.RoleAdmin)
	if _, err := e.store.RevokeCertificate(context.Background(), codes[1], me.ID, "Plagiarism"); err != nil {
		t.Fatal(err)
	}
	instructor, _ := e.instructorOf(mine)
	page := instructor.get("/admin/certificates")
	mustContain(t, page.Body, codes[0], codes[1], `href="/certificates/`+codes[0]+`"`, "Valid", "Revoked", mine.Title)
	if strings.Contains(page.Body, codes[2]) {
		t.Fatal("an instructor sees another course's certificate")
	}
	all := admin.get("/admin/certificates")
	mustContain(t, all.Body, codes[0], codes[1], codes[2])
	revoked := admin.get("/admin/certificates?status=revoked")
	if !strings.Contains(revoked.Body, codes[1]) || strings.Contains(revoked.Body, codes[0]) {
		t.Fatal("the status filter does not work")
	}
	byCode := admin.get("/admin/certificates?q=" + strings.ToLower(strings.ReplaceAll(codes[2], "-", "")[:8]))
	if !strings.Contains(byCode.Body, codes[2]) || strings.Contains(byCode.Body, codes[0]) {
		t.Fatal("searching by code does not work")
	}
	// The public page offers the revoke form to the course's instructor.
	mustContain(t, instructor.get("/certificates/"+codes[0]).Body, "Revoke this certificate")
}
