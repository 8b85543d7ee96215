package routes_test

import (
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"courseportal/models"
	"courseportal/models/testdb"
)

// insightEnv is the class of testdb's SeedInsight behind the application,
// with an instructor of its course signed in.
type insightEnv struct {
	e          *env
	class      *testdb.Class
	reading    *models.Reading
	instructor *client
}

func newInsightEnv(t *testing.T) *insightEnv {
	t.Helper()
	e := newEnv(t)
	class := testdb.NewClass(t, e.store, e.clock, models.PacingSelfPaced)
	reading := class.SeedInsight(t)
	instructor, _ := e.instructorOf(class.Course)
	return &insightEnv{e: e, class: class, reading: reading, instructor: instructor}
}

func (ie *insightEnv) readingPath(query string) string {
	return "/admin/courses/" + ie.class.Course.Slug + "/readings/" + ie.reading.Slug + "/insight" + query
}

func (ie *insightEnv) cohortPath(query string) string {
	return fmt.Sprintf("/admin/courses/%s/cohorts/%d/insight%s", ie.class.Course.Slug, ie.class.Cohort.ID, query)
}

// csvValues reads an insight CSV into "chart/item/measure" → value.
func csvValues(t *testing.T, res response) map[string]string {
	t.Helper()
	if res.Status != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("CSV = %d %s\n%.300s", res.Status, res.Header.Get("Content-Type"), res.Body)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.Body, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != "Chart,Item,Measure,Value" {
		t.Fatalf("header = %v", rows[0])
	}
	out := map[string]string{}
	for _, r := range rows[1:] {
		out[r[0]+"/"+r[1]+"/"+r[2]] = r[3]
	}
	return out
}

func wantValues(t *testing.T, got map[string]string, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
}

// svgs parses every <svg> of a page strictly and returns each chart's
// title, desc and point titles, by id.
func svgs(t *testing.T, body string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, raw := range regexp.MustCompile(`(?s)<svg .*?</svg>`).FindAllString(body, -1) {
		var root struct {
			Title  string `xml:"title"`
			Desc   string `xml:"desc"`
			Role   string `xml:"role,attr"`
			Points []struct {
				Title string `xml:"title"`
			} `xml:"g"`
		}
		d := xml.NewDecoder(strings.NewReader(raw))
		d.Strict = true
		if err := d.Decode(&root); err != nil {
			t.Fatalf("invalid SVG: %v\n%.400s", err, raw)
		}
		if root.Role != "img" || root.Title == "" || root.Desc == "" {
			t.Errorf("chart without role, title or desc: %.200s", raw)
		}
		id := regexp.MustCompile(`aria-labelledby="([a-z-]+)-title`).FindStringSubmatch(raw)[1]
		list := []string{root.Title, root.Desc}
		for _, p := range root.Points {
			if p.Title != "" {
				list = append(list, p.Title)
			}
		}
		out[id] = list
	}
	return out
}

func TestReadingInsightPageAndCSVMatchTheClass(t *testing.T) {
	ie := newInsightEnv(t)
	for _, query := range []string{"", fmt.Sprintf("?cohort=%d", ie.class.Cohort.ID)} {
		res := ie.instructor.get(ie.readingPath(query))
		if res.Status != http.StatusOK {
			t.Fatalf("insight%s = %d\n%.500s", query, res.Status, res.Body)
		}
		mustContain(t, res.Body, "<strong>5</strong> students", "<strong>5</strong> opened it",
			"<strong>1</strong> opened it and never scrolled", "<strong>1</strong> completed it",
			"<table", "The power-sharing proposal")
		charts := svgs(t, res.Body)
		drop := charts["drop-off"]
		if len(drop) != 8 || drop[2] != "p-1: 80 % — One word word word word word word word word word" ||
			drop[4] != "p-3: 60 % — Three word word word word word word word word word …" || drop[7] != "p-6: 40 % — Six word word word word word word word word word" {
			t.Errorf("drop-off points = %q", drop)
		}
		// The medians worked out by hand in the models' insight test, from
		// reading times taken at the middle of their minute.
		if s := charts["sections"]; len(s) != 5 || s[2] != "Opening: 36 s" || s[3] != "Middle: 1 min 04 s" || s[4] != "The power-sharing proposal: 43 s" {
			t.Errorf("section points = %q", s)
		}
		if c := charts["completions"]; len(c) != 12 || c[2] != "day 0: 0 %" || c[4] != "day 2: 20 %" || c[11] != "day 9: 20 %" {
			t.Errorf("completion points = %q", c)
		}
		if _, ok := charts["items"]; ok {
			t.Error("a reading without a check has an item chart")
		}
		if strings.Contains(res.Body, "ada") || strings.Contains(res.Body, "ben") {
			t.Error("the reading insight names a student")
		}
	}
	got := csvValues(t, ie.instructor.get(ie.readingPath(fmt.Sprintf("?cohort=%d&format=csv", ie.class.Cohort.ID))))
	wantValues(t, got, map[string]string{
		"summary//students": "5", "summary//opened": "5", "summary//opened_never_scrolled": "1", "summary//completed": "1",
		"drop-off/p-1/reached": "4", "drop-off/p-2/reached_percent": "80", "drop-off/p-2/stopped_here": "1",
		"drop-off/p-3/reached": "3", "drop-off/p-4/stopped_here": "1", "drop-off/p-5/reached": "2", "drop-off/p-6/stopped_here": "2",
		"sections/Opening/reached": "4", "sections/Opening/median_seconds": "36", "sections/Middle/median_seconds": "64",
		"sections/The power-sharing proposal/reached": "2", "sections/The power-sharing proposal/median_seconds": "43",
		"completions/day 2/completed": "1", "completions/day 1/completed_to_date": "0", "completions/day 9/completed_to_date": "1",
	})
	if len(got) != 4+6*3+3*2+10*2 {
		t.Errorf("the CSV has %d numbers, want %d", len(got), 4+6*3+3*2+10*2)
	}
}

func TestReadingInsightShowsTheCheckItemAnalysis(t *testing.T) {
	ie := newInsightEnv(t)
	check := ie.class.AddCheck(t, 1)
	ie.class.Attempt(t, "ada", 1, check, 2)
	ie.class.Attempt(t, "ben", 1, check, 1)
	res := ie.instructor.get(ie.readingPath(""))
	items := svgs(t, res.Body)["items"]
	if len(items) != 4 || items[2] != "Q1. First: 100 %" || items[3] != "Q2. Second: 50 %" {
		t.Errorf("item points = %q", items)
	}
	got := csvValues(t, ie.instructor.get(ie.readingPath("?format=csv")))
	wantValues(t, got, map[string]string{"check//first_attempts": "2", "check/Q1. First/right": "2", "check/Q2. Second/right_percent": "50"})
}

// TestReadingInsightWritesHowQuestionsTellTheClassApart: with three takers
// each question has a discrimination, written signed with two decimals.
func TestReadingInsightWritesHowQuestionsTellTheClassApart(t *testing.T) {
	ie := newInsightEnv(t)
	check := ie.class.AddCheck(t, 1)
	for name, right := range map[string]int{"ada": 2, "ben": 1, "cyd": 0} {
		ie.class.Attempt(t, name, 1, check, right)
	}
	res := ie.instructor.get(ie.readingPath(""))
	_, items, _ := strings.Cut(res.Body, `id="items-h"`)
	// The top third (ada) got both right, the bottom third (cyd) neither;
	// the template wrote the pointer itself ("%!f(*float64=…)").
	mustContain(t, items, "<td>2</td><td>67&nbsp;%</td><td>&#43;1.00</td>", "<td>1</td><td>33&nbsp;%</td><td>&#43;1.00</td>")
	if strings.Contains(items, "%!") {
		t.Errorf("a discrimination is not a number:\n%s", items)
	}
}

func TestCohortInsightPageCSVAndNudge(t *testing.T) {
	ie := newInsightEnv(t)
	res := ie.instructor.get(ie.cohortPath("?days=5"))
	if res.Status != http.StatusOK {
		t.Fatalf("cohort insight = %d\n%.500s", res.Status, res.Body)
	}
	charts := svgs(t, res.Body)
	funnel := charts["funnel"]
	if len(funnel) != 10 || funnel[2] != "Joined: 100 %" || funnel[3] != "Week 1: opened “Reading 1”: 100 %" ||
		funnel[4] != "Week 1: completed “Reading 1”: 20 %" || funnel[9] != "Certificate: 0 %" {
		t.Errorf("funnel points = %q", funnel)
	}
	if w := charts["weekly"]; len(w) != 4 || !strings.HasPrefix(w[2], "2 Mar: 5") || !strings.HasPrefix(w[3], "9 Mar: 1") {
		t.Errorf("weekly points = %q", w)
	}
	_, nudge, found := strings.Cut(res.Body, `id="nudge"`)
	if !found {
		t.Fatal("the page has no nudge list")
	}
	mustContain(t, nudge, "<bdi>ada</bdi>", "<bdi>cyd</bdi>", "<bdi>dee</bdi>", "<bdi>eve</bdi>", "Not yet")
	if strings.Contains(nudge, "<bdi>ben</bdi>") {
		t.Error("ben read today but is in the nudge list")
	}
	wantValues(t, csvValues(t, ie.instructor.get(ie.cohortPath("?format=csv"))), map[string]string{
		"funnel/Joined/students": "5", "funnel/Week 1: opened “Reading 1”/students": "5",
		"funnel/Week 1: completed “Reading 1”/percent": "20", "funnel/Certificate/students": "0",
		"weekly-active/week of 2026-03-02/students": "5", "weekly-active/week of 2026-03-09/students": "1",
	})

	sent := ie.instructor.postForm(ie.cohortPath("/remind"), url.Values{"days": {"5"}})
	if sent.Status != http.StatusSeeOther || !strings.Contains(sent.Header.Get("Location"), "reminded=4") {
		t.Fatalf("nudge = %d → %q", sent.Status, sent.Header.Get("Location"))
	}
	if n := len(testdb.Outbox(t, ie.e.store, models.MailReminder)); n != 4 {
		t.Errorf("%d reminders queued, want 4", n)
	}
	after := ie.instructor.get(sent.Header.Get("Location"))
	mustContain(t, after.Body, "Queued 4 reminders")
	if _, list, _ := strings.Cut(after.Body, `id="nudge"`); strings.Contains(list, "Not yet") {
		t.Error("after the nudge someone is still not reminded this week")
	}
	again := ie.instructor.postForm(ie.cohortPath("/remind"), url.Values{"days": {"5"}})
	if !strings.Contains(again.Header.Get("Location"), "reminded=0") || !strings.Contains(again.Header.Get("Location"), "already=4") {
		t.Errorf("a second nudge the same day → %q", again.Header.Get("Location"))
	}
}

func TestInsightOfASmallCohortShowsCountsOnly(t *testing.T) {
	e := newEnv(t)
	class := testdb.NewClass(t, e.store, e.clock, models.PacingSelfPaced)
	class.Enroll(t, "ada")
	class.Enroll(t, "ben")
	class.Read(t, "ada", 1, 50)
	admin, _ := e.loginAs(models.RoleAdmin)
	res := admin.get(fmt.Sprintf("/admin/courses/%s/readings/reading-1/insight?cohort=%d", class.Course.Slug, class.Cohort.ID))
	mustContain(t, res.Body, "Fewer than five students")
	drop := svgs(t, res.Body)["drop-off"]
	if len(drop) < 3 || drop[2] != "p-1: 1 — Paragraph 1 word word word word word word word word …" {
		t.Errorf("drop-off of a class of two = %q", drop)
	}
	if strings.Contains(res.Body, " %</") || strings.Contains(res.Body, "ada") {
		t.Error("the insight of a class of two shows shares or names")
	}
}

func TestInsightRefusesBadInput(t *testing.T) {
	ie := newInsightEnv(t)
	_, otherCohort := testdb.Course(t, ie.e.store, 1, models.Cohort{})
	for path, want := range map[string]int{
		ie.readingPath("?format=pdf"):                                       http.StatusBadRequest,
		ie.readingPath("?cohort=abc"):                                       http.StatusBadRequest,
		ie.readingPath("?cohort=99999999999999999999"):                      http.StatusBadRequest,
		ie.readingPath(fmt.Sprintf("?cohort=%d", otherCohort.ID)):           http.StatusNotFound,
		"/admin/courses/" + ie.class.Course.Slug + "/readings/nope/insight": http.StatusNotFound,
		ie.cohortPath("?days=0"):                                            http.StatusBadRequest,
		ie.cohortPath("?days=366"):                                          http.StatusBadRequest,
		ie.cohortPath("?days=x"):                                            http.StatusBadRequest,
		ie.cohortPath("?format=xml"):                                        http.StatusBadRequest,
		fmt.Sprintf("/admin/courses/%s/cohorts/%d/insight", ie.class.Course.Slug, otherCohort.ID): http.StatusNotFound,
	} {
		if res := ie.instructor.get(path); res.Status != want {
			t.Errorf("GET %s = %d, want %d", path, res.Status, want)
		}
	}
	if res := ie.instructor.postForm(ie.cohortPath("/remind"), url.Values{"days": {"-1"}}); res.Status != http.StatusBadRequest {
		t.Errorf("nudge with days -1 = %d, want 400", res.Status)
	}
}
