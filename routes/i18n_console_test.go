package routes_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"courseportal/models"
	"courseportal/views/i18n"

	"golang.org/x/net/html"
)

// TestConsolePagesSpeakOnlyThroughTheCatalogue walks every console page in
// the pseudo-locale, as an administrator and as an instructor of the
// courses: the pages of the tour, forms refused with their messages, the
// flash after an action, the insight pages with their charts' titles and
// descriptions, the outbox and the error pages. It fails on any visible word
// outside ⟦…⟧ that is not the portal's stored text (names, titles, the
// audit log's entries, the emails as written).
func TestConsolePagesSpeakOnlyThroughTheCatalogue(t *testing.T) {
	e := newPseudoEnv(t)
	tour := newPageTourIn(t, e)
	var admin *client
	var paths []string
	class := ""
	for _, s := range tour.states {
		switch s.name {
		case "console":
			admin = s.who
		case "console-cohorts":
			class = strings.TrimSuffix(s.path, "/cohorts")
		}
		if strings.HasPrefix(s.path, "/admin") && s.form == nil {
			paths = append(paths, s.path)
		}
	}
	var courses []*models.Course
	if err := e.store.DB().Order("id").Find(&courses).Error; err != nil {
		t.Fatal(err)
	}
	instructor, _ := e.instructorOf(courses...)
	seeded := "/admin/courses/" + courseSlug
	paths = append(paths, "/admin/outbox?status=sent", "/admin/outbox?status=pending", "/admin/certificates?status=revoked",
		"/admin/users?q=nobody-matches", "/admin/courses/no-such-course", "/admin/audit?before=x",
		class+"/roster?days=0", class+"/roster?show=at-risk&limit=1", "/admin/no-such-page")

	for _, who := range []struct {
		name string
		c    *client
	}{{"administrator", admin}, {"instructor", instructor}} {
		t.Run(who.name, func(t *testing.T) {
			c := who.c
			c.cookies["lang"] = i18n.Pseudo
			w := consoleWalk{t: t, e: e, c: c}
			for _, p := range paths {
				w.check(p, c.get(p))
			}
			w.refusals(seeded, class)
			w.flashes(seeded, class)
		})
	}
}

// consoleWalk checks console pages as one person.
type consoleWalk struct {
	t *testing.T
	e *env
	c *client
}

// check fails on the words of a page that bypass the catalogue.
func (w consoleWalk) check(what string, res response) {
	w.t.Helper()
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		if res.Status != http.StatusSeeOther {
			w.t.Errorf("%s answered %d %s", what, res.Status, res.Header.Get("Content-Type"))
		}
		return
	}
	if !strings.Contains(res.Body, `<html lang="x-pseudo" dir="ltr">`) {
		w.t.Errorf("%s (%d) is not in the pseudo-locale", what, res.Status)
	}
	data := append(storedText(w.t, w.e), pageOpenings(w.t, res.Body)...)
	if leaked := untranslated(w.t, res.Body, data); len(leaked) > 0 {
		w.t.Errorf("%s (%d): words bypass the catalogue: %q", what, res.Status, strings.Join(leaked, " "))
	}
}

// follow checks the page a successful form leads to, with its flash.
func (w consoleWalk) follow(what string, res response) {
	w.t.Helper()
	if res.Status != http.StatusSeeOther {
		w.t.Errorf("%s = %d, want a redirect\n%s", what, res.Status, browserShorten(res.Body, 800))
		return
	}
	page := w.c.get(res.Header.Get("Location"))
	if !strings.Contains(page.Body, `class="flash flash-`) {
		w.t.Errorf("%s: no flash on %s", what, res.Header.Get("Location"))
	}
	w.check(what+" (flash)", page)
}

// refusals submits console forms that are refused, and checks the forms
// re-rendered with their messages, or the error page.
func (w consoleWalk) refusals(seeded, class string) {
	w.t.Helper()
	k := w.classCohort(class)
	reading := seeded + "/readings/" + readingSlug
	for _, r := range []struct {
		path string
		form url.Values
	}{
		{seeded, url.Values{"title": {""}, "contact_email": {"not an address"}, "contact_url": {"ftp://example.org"}}},
		{seeded + "/weeks/1", url.Values{"title": {""}}},
		{seeded + "/readings", url.Values{"week": {"99"}, "min_minutes": {"-1"}}},
		{reading, url.Values{"version": {"0"}, "week": {"1"}, "title": {"Renamed"}, "body_markdown": {"A paragraph."}, "action": {"save"}}},
		{reading + "/check", url.Values{"pass_percent": {"0"}, "max_attempts": {"0"}}},
		{class + "/cohorts", url.Values{"name": {""}, "starts_at": {"next week"}, "capacity": {"0"}, "pacing": {"slow"}}},
		{fmt.Sprintf("%s/cohorts/%d", class, k.ID), url.Values{"name": {k.Name}, "starts_at": {k.StartsAt.UTC().Format("2006-01-02T15:04")},
			"pacing": {k.Pacing}, "capacity": {"1"}}},
		{fmt.Sprintf("%s/enrollments/%d/move", class, w.enrollmentIn(k.ID)), url.Values{}},
		{class + "/readings/reading-1/move", url.Values{"direction": {"sideways"}}},
		{"/admin/users/1/role", url.Values{"role": {"emperor"}}},
		{"/admin/name-corrections/999999", url.Values{"decision": {"maybe"}}},
	} {
		w.check("refused "+r.path, w.c.postForm(r.path, r.form))
	}
}

// flashes takes actions that succeed and checks the page they lead to.
func (w consoleWalk) flashes(seeded, class string) {
	w.t.Helper()
	k := w.classCohort(class)
	w.follow("week saved", w.c.postForm(seeded+"/weeks/1", url.Values{"title": {"Week one"}, "summary": {""}}))
	w.follow("reading published", w.c.postForm(class+"/readings/reading-1/publish", url.Values{"published": {"1"}}))
	w.follow("reminders", w.c.postForm(fmt.Sprintf("%s/cohorts/%d/remind", class, k.ID), url.Values{"days": {"1"}}))
	w.follow("nudge", w.c.postForm(fmt.Sprintf("%s/cohorts/%d/insight/remind", class, k.ID), url.Values{"days": {"1"}}))
	for _, shown := range []int{0, 1, 2} {
		q := fmt.Sprintf("&reminded=%d&optedout=%d&already=%d&unconfirmed=%d", shown, shown, shown, shown)
		w.check("reminder flash", w.c.get(class+"/roster?show=at-risk"+q))
	}
}

// classCohort is the first cohort of the tour's class.
func (w consoleWalk) classCohort(class string) *models.Cohort {
	w.t.Helper()
	var k models.Cohort
	slug := strings.TrimPrefix(class, "/admin/courses/")
	err := w.e.store.DB().Where("course_id = (SELECT id FROM courses WHERE slug = ?)", slug).Order("id").Take(&k).Error
	if err != nil {
		w.t.Fatal(err)
	}
	return &k
}

// enrollmentIn is an active enrollment of the cohort.
func (w consoleWalk) enrollmentIn(cohortID int64) int64 {
	w.t.Helper()
	var id int64
	err := w.e.store.DB().Model(&models.Enrollment{}).Where("cohort_id = ? AND status = ?", cohortID, models.StatusActive).
		Order("id").Limit(1).Pluck("id", &id).Error
	if err != nil || id == 0 {
		w.t.Fatalf("no active enrollment in cohort %d: %v", cohortID, err)
	}
	return id
}

// storedText is the portal's own text that console pages show as it is
// stored: people's names and addresses, course and cohort text, readings'
// titles and sources, knowledge checks, certificates, name corrections,
// the audit log's entries and the emails as written.
func storedText(t *testing.T, e *env) []string {
	t.Helper()
	columns := map[string][]string{
		"users":            {"full_name", "email"},
		"courses":          {"title", "subtitle", "description", "provider", "contact_email", "contact_url", "contact_phone"},
		"weeks":            {"title", "summary"},
		"readings":         {"title", "author", "source_name", "source_url", "disclaimer", "credits"},
		"cohorts":          {"name"},
		"check_questions":  {"prompt"},
		"check_options":    {"body", "feedback"},
		"certificates":     {"recipient_name", "course_title", "cohort_name", "revoked_reason"},
		"name_corrections": {"old_name", "full_name", "reason"},
		"audit_log":        {"action", "target", "detail"},
		"outbox":           {"to_name", "to_email", "subject", "last_error"},
	}
	var out []string
	for table, cols := range columns {
		for _, col := range cols {
			var values []string
			if err := e.store.DB().Table(table).Where(col+" <> ''").Pluck(col, &values).Error; err != nil {
				t.Fatalf("%s.%s: %v", table, col, err)
			}
			for _, v := range values {
				if len(v) > 1 {
					out = append(out, v)
				}
				if u, err := url.Parse(v); err == nil && u.Host != "" {
					out = append(out, u.Host) // the footer shows a link's host
				}
			}
		}
	}
	return out
}

// pageOpenings are the first words of a reading's paragraphs, as the
// insight page lists them: the course's text, which the drop-off chart's
// points repeat.
func pageOpenings(t *testing.T, page string) []string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && strings.Contains(" "+attr(n, "class")+" ", " insight-opening ") && n.FirstChild != nil {
			out = append(out, n.FirstChild.Data)
		}
		for child := n.FirstChild; child != nil; child = child.NextSibling {
			walk(child)
		}
	}
	walk(doc)
	return out
}
