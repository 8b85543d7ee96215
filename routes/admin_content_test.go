package routes_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"courseportal/models"
	"courseportal/models/testdb"
)

// weekOrder lists the slugs of a week's readings in the order students see.
func weekOrder(t *testing.T, e *env, course *models.Course, week int) []string {
	t.Helper()
	outline, err := e.store.CourseOutline(context.Background(), course.Slug, true)
	if err != nil {
		t.Fatal(err)
	}
	var slugs []string
	for _, r := range outline.Weeks[week-1].Readings {
		slugs = append(slugs, r.Slug)
	}
	return slugs
}

func TestAdminReorderReadings(t *testing.T) {
	e := newEnv(t)
	course, _ := testdb.Course(t, e.store, 1, models.Cohort{})
	admin, _ := e.loginAs(models.RoleAdmin)
	base := "/admin/courses/" + course.Slug + "/readings"
	for _, slug := range []string{"second", "third"} {
		mustRedirect(t, admin.postForm(base, readingForm(1, slug, strings.ToUpper(slug), testdb.Paragraphs(2))), base)
	}
	if got := strings.Join(weekOrder(t, e, course, 1), " "); got != "reading-1 second third" {
		t.Fatalf("order after adding = %s", got)
	}
	steps := []struct {
		slug, direction, flash, want string
	}{
		{"third", "up", "Reading moved.", "reading-1 third second"},
		{"third", "up", "Reading moved.", "third reading-1 second"},
		{"third", "up", "already at that end", "third reading-1 second"},
		{"second", "down", "already at that end", "third reading-1 second"},
		{"third", "down", "Reading moved.", "reading-1 third second"},
	}
	for _, s := range steps {
		res := admin.postForm(base+"/"+s.slug+"/move", url.Values{"direction": {s.direction}})
		mustRedirect(t, res, base+"#reading-"+s.slug)
		if got := strings.Join(weekOrder(t, e, course, 1), " "); got != s.want {
			t.Fatalf("move %s %s: order = %s, want %s", s.slug, s.direction, got, s.want)
		}
		mustContain(t, admin.get(res.Header.Get("Location")).Body, s.flash)
	}
	if res := admin.postForm(base+"/third/move", url.Values{"direction": {"sideways"}}); res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad direction = %d, want 422", res.Status)
	}
	// The readings page lists them in that order, with the buttons.
	page := admin.get(base)
	if i, j := strings.Index(page.Body, `id="reading-third"`), strings.Index(page.Body, `id="reading-second"`); i < 0 || j < i {
		t.Fatal("the readings page does not follow the new order")
	}
	mustContain(t, page.Body, `name="direction" value="up"`, "Make optional", "Unpublish", `name="_csrf"`)
}

func TestAdminEditReadingKeepsProgress(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	course, _ := testdb.Course(t, e.store, 2, models.Cohort{})
	student, _ := e.enroll(course)
	a, err := e.store.ReadingAccess(ctx, student.ID, course.Slug, "reading-2")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.RecordProgress(ctx, a, models.ProgressUpdate{Percent: 40, Position: "p-4", Seconds: 20}); err != nil {
		t.Fatal(err)
	}
	var before []models.ReadingProgress
	if err := e.store.DB().Order("reading_id").Find(&before).Error; err != nil {
		t.Fatal(err)
	}

	admin, _ := e.loginAs(models.RoleAdmin)
	path := "/admin/courses/" + course.Slug + "/readings/reading-2"
	edit := admin.get(path)
	mustContain(t, edit.Body, `name="version" value="1"`, "Version 1", "1 student has opened it", "keep their progress",
		`data-preview-url="/admin/courses/`+course.Slug+`/preview"`, "/static/js/admin.", `class="preview reader"`)
	form := readingForm(2, "reading-2", "Reading two, revised", testdb.Paragraphs(12))
	form.Set("version", "1")
	mustRedirect(t, admin.postForm(path, form), path)

	r, err := e.store.ReadingBySlug(ctx, course.ID, "reading-2")
	if err != nil || r.Version != 2 || r.Title != "Reading two, revised" || r.ParagraphCount != 12 {
		t.Fatalf("saved reading = %+v, %v", r, err)
	}
	var after []models.ReadingProgress
	if err := e.store.DB().Order("reading_id").Find(&after).Error; err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before) || len(after) == 0 || after[0] != before[0] {
		t.Fatalf("progress changed by an edit:\nbefore %+v\nafter  %+v", before, after)
	}
	// Saving from the old version is refused, then allowed knowingly.
	form.Set("title", "A stale edit")
	res := admin.postForm(path, form)
	if res.Status != http.StatusConflict || !strings.Contains(res.Body, "Someone else saved this reading") {
		t.Fatalf("stale save = %d", res.Status)
	}
	mustContain(t, res.Body, `name="version" value="2"`, "A stale edit")
	form.Set("version", "2")
	mustRedirect(t, admin.postForm(path, form), path)
	if actions := strings.Join(e.auditActions(), " "); actions != "reading.update reading.update" {
		t.Fatalf("audit = %s", actions)
	}
}

func TestAdminAddingARequiredReadingKeepsCompletions(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	course, _ := testdb.Course(t, e.store, 1, models.Cohort{})
	done, _ := e.enroll(course)
	code := e.complete(done, course)
	if code == "" {
		t.Fatal("no certificate issued")
	}
	pending, pendingEnrollment := e.enroll(course)
	admin, _ := e.loginAs(models.RoleAdmin)
	late := readingForm(1, "late-addition", "A late addition", testdb.Paragraphs(3))
	late.Set("min_minutes", "0")
	mustRedirect(t, admin.postForm("/admin/courses/"+course.Slug+"/readings", late), "/admin/courses/")

	// The completed enrollment and its certificate stay as they are.
	view, err := e.store.LearnerCourse(ctx, done.ID, course.Slug)
	if err != nil || view.Enrollment.Status != models.StatusCompleted || view.Certificate == nil || view.Certificate.Revoked() {
		t.Fatalf("completed student after the addition: %+v, %v", view.Enrollment, err)
	}
	mustContain(t, e.client().get("/certificates/"+code).Body, "Valid certificate")
	// The others now need the new reading too.
	view, err = e.store.LearnerCourse(ctx, pending.ID, course.Slug)
	if err != nil || view.RequiredCount != 2 {
		t.Fatalf("required readings for the others = %d, %v", view.RequiredCount, err)
	}
	a, _ := e.store.ReadingAccess(ctx, pending.ID, course.Slug, "reading-1")
	if res, err := e.store.CompleteReading(ctx, a); err != nil || res.CourseCompleted {
		t.Fatalf("completing the old reading alone completed the course: %+v, %v", res, err)
	}
	if e.complete(pending, course) == "" || e.enrollment(pendingEnrollment.ID).Status != models.StatusCompleted {
		t.Fatal("completing every reading did not complete the course")
	}
}

func TestAdminPreviewSanitises(t *testing.T) {
	e := newEnv(t)
	course, _ := testdb.Course(t, e.store, 1, models.Cohort{})
	instructor, _ := e.instructorOf(course)
	evil := "## Heading\n\nHello <script>alert(1)</script> <img src=x onerror=\"alert(2)\"> [link](javascript:alert(3))\n\n<iframe src=\"https://evil.example\"></iframe>"
	res := instructor.postForm("/admin/courses/"+course.Slug+"/preview", url.Values{"body_markdown": {evil}})
	if res.Status != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("preview = %d %s", res.Status, res.Header.Get("Content-Type"))
	}
	mustContain(t, res.Body, `<h2 id="heading">`, `<p id="p-1">Hello`)
	for _, bad := range []string{"<script", "onerror", "javascript:", "<iframe"} {
		if strings.Contains(res.Body, bad) {
			t.Errorf("preview kept %q:\n%s", bad, res.Body)
		}
	}
	if strings.Contains(res.Body, "<html") {
		t.Fatal("the preview is a whole page, not a fragment")
	}
	// Through the header, as the script sends it.
	req := instructor.sendJSON(http.MethodPost, "/admin/courses/"+course.Slug+"/preview", "")
	if req.Status != http.StatusUnsupportedMediaType {
		t.Fatalf("JSON preview = %d, want 415", req.Status)
	}
	// Without JavaScript, the Preview button re-renders the form.
	form := readingForm(1, "draft", "Draft", evil)
	form.Set("action", "preview")
	page := instructor.postForm("/admin/courses/"+course.Slug+"/readings", form)
	if page.Status != http.StatusOK {
		t.Fatalf("preview button = %d", page.Status)
	}
	// The source stays in the textarea, escaped; the preview is sanitised.
	mustContain(t, page.Body, "&lt;script&gt;alert(1)&lt;/script&gt;")
	_, preview, _ := strings.Cut(page.Body, `id="reading-preview"`)
	preview, _, _ = strings.Cut(preview, "</div>")
	mustContain(t, preview, `<p id="p-1">Hello`)
	for _, bad := range []string{"<script", "onerror", "javascript:", "<iframe"} {
		if strings.Contains(preview, bad) {
			t.Errorf("the preview on the page kept %q", bad)
		}
	}
	if _, err := e.store.ReadingBySlug(context.Background(), course.ID, "draft"); err == nil {
		t.Fatal("the Preview button saved the reading")
	}
}

func TestAdminDeleteReading(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	course, _ := testdb.Course(t, e.store, 1, models.Cohort{})
	student, _ := e.enroll(course)
	e.complete(student, course)
	admin, _ := e.loginAs(models.RoleAdmin)
	base := "/admin/courses/" + course.Slug + "/readings/"
	res := admin.postForm(base+"reading-1/delete", nil)
	if res.Status != http.StatusConflict {
		t.Fatalf("delete with progress = %d, want 409", res.Status)
	}
	mustContain(t, res.Body, "cannot be deleted", "1 student has already started", "Unpublish instead", base+"reading-1/publish")
	if _, err := e.store.ReadingBySlug(ctx, course.ID, "reading-1"); err != nil {
		t.Fatal("the reading with progress was deleted")
	}
	mustRedirect(t, admin.postForm(base+"reading-1/publish", url.Values{"published": {"0"}}), base[:len(base)-1])
	if r, _ := e.store.ReadingBySlug(ctx, course.ID, "reading-1"); r.Published {
		t.Fatal("not unpublished")
	}
	mustRedirect(t, admin.postForm(base[:len(base)-1], readingForm(1, "unread", "Unread", testdb.Paragraphs(1))), base[:len(base)-1])
	mustRedirect(t, admin.postForm(base+"unread/delete", nil), base[:len(base)-1])
	if _, err := e.store.ReadingBySlug(ctx, course.ID, "unread"); err == nil {
		t.Fatal("the unread reading was not deleted")
	}
	if res := admin.postForm(base+"unread/delete", nil); res.Status != http.StatusNotFound {
		t.Fatalf("deleting twice = %d, want 404", res.Status)
	}
	if got := strings.Join(e.auditActions(), " "); got != "reading.unpublish reading.create reading.delete" {
		t.Fatalf("audit = %s", got)
	}
}

func TestAdminReadingValidation(t *testing.T) {
	e := newEnv(t)
	course, _ := testdb.Course(t, e.store, 2, models.Cohort{})
	admin, _ := e.loginAs(models.RoleAdmin)
	path := "/admin/courses/" + course.Slug + "/readings"
	cases := []struct {
		name   string
		change func(url.Values)
		status int
		want   string
	}{
		{"no title", func(v url.Values) { v.Set("title", " ") }, 422, "The title is required."},
		{"bad slug", func(v url.Values) { v.Set("slug", "Not A Slug!") }, 422, "Use lowercase letters"},
		{"reserved slug", func(v url.Values) { v.Set("slug", "new") }, 422, "is reserved"},
		{"taken slug", func(v url.Values) { v.Set("slug", "reading-1") }, 422, "already uses this slug"},
		{"no week", func(v url.Values) { v.Del("week") }, 422, "Choose the week"},
		{"unknown week", func(v url.Values) { v.Set("week", "9") }, 422, "Choose one of the course"},
		{"empty text", func(v url.Values) { v.Set("body_markdown", "   ") }, 422, "The text is required."},
		{"bad source", func(v url.Values) { v.Set("source_url", "javascript:alert(1)") }, 422, "full web address"},
		{"slug from title", func(v url.Values) { v.Del("slug"); v.Set("title", "Week 2: Theories of IR") }, 303, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			form := readingForm(2, "fine-slug", "Fine", testdb.Paragraphs(2))
			tc.change(form)
			res := admin.postForm(path, form)
			if res.Status != tc.status || !strings.Contains(res.Body, tc.want) {
				t.Fatalf("= %d, want %d with %q\n%.2000s", res.Status, tc.status, tc.want, res.Body)
			}
			if tc.status == 422 {
				mustContain(t, res.Body, `class="field has-error"`, `name="_csrf"`)
			}
		})
	}
	if _, err := e.store.ReadingBySlug(context.Background(), course.ID, "week-2-theories-of-ir"); err != nil {
		t.Fatal("no slug was made from the title")
	}
}

func TestAdminCourseAndWeekEdits(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	course, _ := testdb.Course(t, e.store, 2, models.Cohort{})
	instructor, _ := e.instructorOf(course)
	path := "/admin/courses/" + course.Slug
	mustContain(t, instructor.get(path).Body, `value="`+course.Title+`"`, "Save course")

	bad := url.Values{"title": {""}, "contact_email": {"not an email"}, "contact_url": {"ftp://x"}}
	res := instructor.postForm(path, bad)
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("invalid course = %d, want 422", res.Status)
	}
	mustContain(t, res.Body, "The title is required.", "Enter a valid email address", "full web address")

	good := url.Values{"title": {"Renamed course"}, "subtitle": {"A better subtitle"}, "description": {"Long text\r\nwith lines"},
		"provider": {"The Provider"}, "contact_email": {"Team@Example.org"}, "contact_url": {"https://example.org"},
		"contact_phone": {"(+91) 120 4565994"}, "published": {"1"}}
	mustRedirect(t, instructor.postForm(path, good), path)
	saved, _ := e.store.CourseBySlug(ctx, course.Slug)
	if saved.Title != "Renamed course" || saved.ContactEmail != "team@example.org" || saved.Description != "Long text\nwith lines" || !saved.Published {
		t.Fatalf("saved course = %+v", saved)
	}
	mustContain(t, instructor.get(path).Body, "Course saved.")

	week := path + "/weeks/2"
	if res := instructor.postForm(week, url.Values{"title": {""}}); res.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, "The week&#39;s title is required.") {
		t.Fatalf("empty week title = %d", res.Status)
	}
	mustRedirect(t, instructor.postForm(week, url.Values{"title": {"Theories"}, "summary": {"Realism and the rest."}}), path+"/readings#week-2")
	if res := instructor.postForm(path+"/weeks/9", url.Values{"title": {"Nine"}}); res.Status != http.StatusNotFound {
		t.Fatalf("unknown week = %d, want 404", res.Status)
	}
	outline, _ := e.store.CourseOutline(ctx, course.Slug, true)
	if outline.Weeks[1].Title != "Theories" || outline.Weeks[1].Summary != "Realism and the rest." {
		t.Fatalf("week 2 = %+v", outline.Weeks[1])
	}
	var entries []models.AuditEntry
	if err := e.store.DB().Order("id").Find(&entries).Error; err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || entries[0].Action != "course.update" || !strings.Contains(entries[0].Detail, "title") ||
		entries[1].Action != "week.update" || entries[0].ActorID == nil {
		t.Fatalf("audit = %+v", entries)
	}
}
