package routes_test

import (
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"courseportal/models"
	"courseportal/models/testdb"
	"courseportal/views/i18n"
)

// updateMarkup rewrites the insight pages' recorded markup from what the
// pages write now: go test ./routes -run TestInsightPagesKeepTheirMarkup -update-markup.
var updateMarkup = flag.Bool("update-markup", false, "record the insight pages' markup in testdata")

// TestInsightPagesKeepTheirMarkup renders the insight pages of the insight
// class (with a check, before and after a nudge, and a class of two) in
// English and in the pseudo-locale, and compares their content, from the
// breadcrumb to the last section, with the markup recorded in testdata:
// the charts and tables are written by hand for speed, and must say
// exactly what the templates said.
func TestInsightPagesKeepTheirMarkup(t *testing.T) {
	for _, lang := range []string{"en", i18n.Pseudo} {
		t.Run(lang, func(t *testing.T) {
			var e *env
			if lang == i18n.Pseudo {
				e = newPseudoEnv(t)
			} else {
				e = newEnv(t)
			}
			class := testdb.NewClass(t, e.store, e.clock, models.PacingSelfPaced)
			reading := class.SeedInsight(t)
			check := class.AddCheck(t, 1)
			class.Attempt(t, "ada", 1, check, 2)
			class.Attempt(t, "ben", 1, check, 1)
			// Tags on the nudge list: eve turned reminders off, cyd has not
			// confirmed her address (and is not reminded).
			for sql, name := range map[string]string{"UPDATE users SET reminders_opt_out = ? WHERE id = ?": "eve",
				"UPDATE users SET email_verified_at = NULL WHERE ? AND id = ?": "cyd"} {
				if err := e.store.DB().Exec(sql, true, class.Students[name].ID).Error; err != nil {
					t.Fatal(err)
				}
			}
			small := testdb.NewClass(t, e.store, e.clock, models.PacingSelfPaced)
			small.Enroll(t, "fay")
			small.Enroll(t, "gus")
			small.Read(t, "fay", 1, 50)
			instructor, _ := e.instructorOf(class.Course, small.Course)
			instructor.cookies["lang"] = lang
			course := "/admin/courses/" + class.Course.Slug
			cohort := fmt.Sprintf("%s/cohorts/%d/insight", course, class.Cohort.ID)
			pages := map[string]string{
				"reading":       course + "/readings/" + reading.Slug + "/insight",
				"reading-small": fmt.Sprintf("/admin/courses/%s/readings/reading-1/insight?cohort=%d", small.Course.Slug, small.Cohort.ID),
				"cohort":        cohort + "?days=5",
			}
			got := map[string]string{}
			for name, path := range pages {
				got[name] = insightMarkup(t, instructor.get(path), class, small)
			}
			sent := instructor.postForm(cohort+"/remind", url.Values{"days": {"5"}})
			if sent.Status != http.StatusSeeOther {
				t.Fatalf("nudge = %d", sent.Status)
			}
			got["cohort-reminded"] = insightMarkup(t, instructor.get(cohort+"?days=5"), class, small)
			for name, markup := range got {
				file := filepath.Join("testdata", "insight", lang+"-"+name+".html")
				if *updateMarkup {
					if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(file, []byte(markup), 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(file)
				if err != nil {
					t.Fatal(err)
				}
				if markup != string(want) {
					t.Errorf("%s differs from %s:\n%s", name, file, firstDifference(string(want), markup))
				}
			}
		})
	}
}

var (
	insightEmails = regexp.MustCompile(`person\d+@example\.org`)
	insightCSRF   = regexp.MustCompile(`name="_csrf" value="[^"]*"`)
)

// insightMarkup is a page's content from its breadcrumb to its last
// section, with what changes from run to run (the course's slug, ids,
// addresses, the CSRF token) put in words.
func insightMarkup(t *testing.T, res response, classes ...*testdb.Class) string {
	t.Helper()
	if res.Status != http.StatusOK {
		t.Fatalf("insight = %d\n%.500s", res.Status, res.Body)
	}
	body, _, _ := strings.Cut(res.Body, `<footer`)
	start := strings.Index(body, `<nav class="small"`)
	end := strings.LastIndex(body, "</section>")
	if start < 0 || end < start {
		t.Fatalf("no insight content in\n%.500s", res.Body)
	}
	out := body[start : end+len("</section>")]
	for _, class := range classes {
		id := strconv.FormatInt(class.Cohort.ID, 10)
		out = strings.ReplaceAll(out, class.Course.Slug, "COURSE")
		out = strings.ReplaceAll(out, "cohorts/"+id+"/", "cohorts/COHORT/")
		out = strings.ReplaceAll(out, "cohort="+id+"\"", "cohort=COHORT\"")
		out = strings.ReplaceAll(out, "cohort="+id+"&", "cohort=COHORT&")
		out = strings.ReplaceAll(out, `value="`+id+`"`, `value="COHORT"`)
	}
	out = insightEmails.ReplaceAllString(out, "EMAIL")
	return insightCSRF.ReplaceAllString(out, `name="_csrf" value="TOKEN"`) + "\n"
}

// firstDifference shows where got first departs from want.
func firstDifference(want, got string) string {
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	from := max(0, i-200)
	return fmt.Sprintf("want …%s\ngot  …%s", want[from:min(len(want), i+200)], got[from:min(len(got), i+200)])
}
