package routes_test

import (
	"encoding/csv"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"courseportal/models"
)

// rosterCheckCell finds each row's student and knowledge check list.
var (
	rosterRow       = regexp.MustCompile(`(?s)<tr>\s*<td><strong>(?:<bdi>)?([^<]*)(?:</bdi>)?</strong>.*?</tr>`)
	rosterCheckList = regexp.MustCompile(`(?s)<ul class="check-scores"[^>]*>(.*?)</ul>`)
	anyTag          = regexp.MustCompile(`<[^>]*>`)
)

// rosterChecks maps each student of a roster page to their check results as
// read on the page.
func rosterChecks(body string) map[string]string {
	out := map[string]string{}
	for _, row := range rosterRow.FindAllStringSubmatch(body, -1) {
		text := ""
		if m := rosterCheckList.FindStringSubmatch(row[0]); m != nil {
			text = strings.Join(strings.Fields(html.UnescapeString(anyTag.ReplaceAllString(m[1], " "))), " ")
		}
		out[html.UnescapeString(row[1])] = text
	}
	return out
}

// The class's scores (testdb's SeedChecks), as the roster page shows them.
var wantRosterChecks = map[string]string{
	"ada": "Week 2 check 50 % · 2 attempts Week 3 check 0 % · 1 attempt",
	"ben": "Week 2 check 100 % passed · 1 attempt Week 3 check not taken",
	"cyd": "Week 2 check not taken Week 3 check not taken",
	"dee": "Week 2 check 100 % passed · 2 attempts Week 3 check 100 % passed · 1 attempt",
	"eve": "Week 2 check not taken Week 3 check not taken",
}

func TestRosterPageShowsCheckScores(t *testing.T) {
	r := newRosterClass(t)
	c := r.e.login(r.instructor)
	if got := rosterChecks(c.get(r.url("/roster")).Body); got["ada"] != "" || len(got) != 4 {
		t.Fatalf("without checks the roster shows %q", got)
	}
	r.SeedChecks(t)
	for _, path := range []string{"/roster?status=all", "/roster?status=all&sort=percent&dir=desc", "/roster?status=all&limit=2"} {
		res := c.get(r.url(path))
		if res.Status != http.StatusOK {
			t.Fatalf("%s = %d", path, res.Status)
		}
		got := rosterChecks(res.Body)
		if path == "/roster?status=all&limit=2" && len(got) != 2 {
			t.Fatalf("%s lists %q", path, got)
		} else if len(got) < 2 {
			t.Fatalf("%s lists %q", path, got)
		}
		for name, text := range got {
			if text != wantRosterChecks[name] {
				t.Errorf("%s, %s: %q, want %q", path, name, text, wantRosterChecks[name])
			}
		}
	}
}

func TestRosterCSVShowsCheckScores(t *testing.T) {
	r := newRosterClass(t)
	r.SeedChecks(t)
	c := r.e.login(r.instructor)
	records := readCSV(t, c.get(r.url("/roster.csv?status=all")).Body)
	wantHeader := "Name|Email|Cohort|Status|Percent complete|Readings completed|Readings required|Readings due|" +
		"Last activity (UTC)|Completed (UTC)|Certificate code|At risk|Reminders turned off|" +
		"reading-2 check score|reading-2 check passed|reading-2 check attempts|" +
		"reading-3 check score|reading-3 check passed|reading-3 check attempts"
	if got := strings.Join(records[0], "|"); got != wantHeader {
		t.Fatalf("header = %s", got)
	}
	want := map[string]string{
		"ada": "50|no|2|0|no|1", "ben": "100|yes|1||no|0", "cyd": "|no|0||no|0",
		"dee": "100|yes|2|100|yes|1", "eve": "|no|0||no|0",
	}
	if len(records) != 6 {
		t.Fatalf("%d records, want the header and 5", len(records))
	}
	for _, rec := range records[1:] {
		if got := strings.Join(rec[13:], "|"); got != want[rec[0]] {
			t.Errorf("%s: check columns %s, want %s", rec[0], got, want[rec[0]])
		}
		if rec[0] == "ada" && strings.Join(rec[3:10], "|") != "active|66|2|3|3|2026-03-17 10:00:00|" {
			t.Errorf("ada's progress columns changed: %q", rec)
		}
	}

	// One student's progress, reading by reading, ends with the check.
	progress := readCSVRows(t, c.get(r.url(fmt.Sprintf("/students/%d/progress.csv", r.Students["dee"].ID))).Body)
	if got := strings.Join(progress[2][10:], "|"); got != "Check score|Check passed|Check attempts" {
		t.Fatalf("progress header ends %s", got)
	}
	for i, want := range []string{"||", "100|yes|2", "100|yes|1"} {
		if got := strings.Join(progress[3+i][10:], "|"); got != want {
			t.Errorf("dee's reading %d: check columns %s, want %s", i+1, got, want)
		}
	}
	progress = readCSVRows(t, c.get(r.url(fmt.Sprintf("/students/%d/progress.csv", r.Students["ada"].ID))).Body)
	if got := strings.Join(progress[4][10:], "|"); got != "50|no|2" {
		t.Errorf("ada's reading 2: check columns %s", got)
	}
}

// readCSVRows reads a CSV whose rows differ in length.
func readCSVRows(t *testing.T, body string) [][]string {
	t.Helper()
	rd := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, bom)))
	rd.FieldsPerRecord = -1
	rows, err := rd.ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v\n%s", err, body)
	}
	return rows
}

func TestRosterPageWithChecksRunsAFixedNumberOfQueries(t *testing.T) {
	r := newRosterClass(t)
	second, _ := r.SeedChecks(t)
	counter := &models.QueryCounter{}
	if err := r.e.store.DB().Use(counter); err != nil {
		t.Fatal(err)
	}
	c := r.e.login(r.instructor)
	path := r.url("/roster?status=all")
	five := queriesFor(t, counter, c, path)
	for i := range 30 {
		name := fmt.Sprintf("more %02d", i)
		r.Enroll(t, name)
		r.Attempt(t, name, 2, second, i%3)
	}
	if more := queriesFor(t, counter, c, path); more != five {
		t.Errorf("the roster page ran %d queries for 5 students and %d for 35", five, more)
	}
	if got := rosterChecks(c.get(path).Body)["more 02"]; got != "Week 2 check 100 % passed · 1 attempt Week 3 check not taken" {
		t.Errorf("more 02: %q", got)
	}
	t.Logf("roster page with checks: %d queries", five)
}
