package routes_test

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"courseportal/models"
	"courseportal/models/testdb"
	"courseportal/routes"
	"courseportal/views"

	"github.com/gofiber/fiber/v2"
)

const bom = "\ufeff"

func readCSV(t *testing.T, body string) [][]string {
	t.Helper()
	records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, bom))).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v\n%s", err, body)
	}
	return records
}

func TestRosterCSVEscapesFormulas(t *testing.T) {
	r := newRosterClass(t)
	hostile := []string{`=HYPERLINK("http://evil.test","x")`, "+1", "-", "@SUM(A1)", "\tTab", "\rReturn", `Zoë "Quotes", Comma`}
	for _, name := range hostile {
		r.Enroll(t, name)
	}
	c := r.e.login(r.instructor)
	res := c.get(r.url("/roster.csv"))
	if res.Status != http.StatusOK || res.Header.Get("Content-Type") != "text/csv; charset=utf-8" ||
		res.Header.Get("Content-Disposition") != `attachment; filename="roster-`+r.Course.Slug+`-2026-03-17.csv"` {
		t.Fatalf("export = %d %v", res.Status, res.Header)
	}
	if !strings.HasPrefix(res.Body, bom) {
		t.Fatal("the export lacks the UTF-8 byte order mark")
	}
	records := readCSV(t, res.Body)
	if strings.Join(records[0], "|") != "Name|Email|Cohort|Status|Percent complete|Readings completed|Readings required|Readings due|"+
		"Last activity (UTC)|Completed (UTC)|Certificate code|At risk|Reminders turned off" {
		t.Fatalf("header = %q", records[0])
	}
	byEmail := map[string][]string{}
	for _, rec := range records[1:] {
		byEmail[rec[1]] = rec
	}
	if len(byEmail) != 4+len(hostile) {
		t.Fatalf("%d rows, want %d", len(byEmail), 4+len(hostile))
	}
	for _, name := range hostile {
		got := byEmail[r.Students[name].Email][0]
		want := name
		if strings.ContainsAny(name[:1], "=+-@\t\r") {
			want = "'" + name
		}
		if got != want {
			t.Errorf("name %q exported as %q, want %q", name, got, want)
		}
	}
	ada := byEmail[r.Students["ada"].Email]
	if strings.Join(ada[3:10], "|") != "active|66|2|3|3|2026-03-17 10:00:00|" {
		t.Errorf("ada = %q", ada)
	}
	if dee := byEmail[r.Students["dee"].Email]; dee[4] != "100" || dee[9] == "" || dee[10] == "" {
		t.Errorf("dee = %q", dee)
	}
	if ben := byEmail[r.Students["ben"].Email]; ben[11] != "yes" || ben[4] != "16" {
		t.Errorf("ben = %q", ben)
	}

	// Same filters as the page; ?bom=0 leaves the mark out.
	res = c.get(r.url("/roster.csv?show=at-risk&bom=0"))
	if strings.HasPrefix(res.Body, bom) {
		t.Fatal("bom=0 still sends the byte order mark")
	}
	records = readCSV(t, res.Body)
	if len(records) != 3 || records[1][0] != "ben" || records[2][0] != "cyd" {
		t.Fatalf("at-risk export = %q", records)
	}
}

// Every cell is quoted, so a spreadsheet whose separator is ";" (or any
// other) still reads a name like "Semi;=cmd|..." as one text cell.
func TestCSVQuotesEveryCell(t *testing.T) {
	r := newRosterClass(t)
	const hostile = `Semi;=cmd|'/C calc'!A0`
	r.Enroll(t, hostile)
	c := r.e.login(r.instructor)
	for _, path := range []string{r.url("/roster.csv?bom=0"), r.url(fmt.Sprintf("/students/%d/progress.csv?bom=0", r.Students[hostile].ID))} {
		res := c.get(path)
		if res.Status != http.StatusOK {
			t.Fatalf("%s = %d", path, res.Status)
		}
		if !strings.Contains(res.Body, `"`+hostile+`"`) {
			t.Errorf("%s does not quote %q:\n%s", path, hostile, res.Body)
		}
		for _, line := range strings.Split(strings.TrimSuffix(res.Body, "\n"), "\n") {
			// Each line is quoted cells joined by commas.
			if !strings.HasPrefix(line, `"`) || !strings.HasSuffix(line, `"`) || strings.Count(line, `"`)%2 != 0 {
				t.Errorf("%s has a line with unquoted cells: %q", path, line)
			}
			for _, cell := range strings.Split(line, `","`) {
				if unquoted := strings.Trim(cell, `"`); strings.ContainsAny(unquoted[:min(1, len(unquoted))], "=+-@") {
					t.Errorf("%s has a formula cell without the prefix: %q", path, cell)
				}
			}
		}
	}
}

func TestStudentProgressCSV(t *testing.T) {
	r := newRosterClass(t)
	c := r.e.login(r.instructor)
	res := c.get(r.url(fmt.Sprintf("/students/%d/progress.csv", r.Students["ben"].ID)))
	if res.Status != http.StatusOK || !strings.Contains(res.Header.Get("Content-Disposition"),
		fmt.Sprintf(`filename="progress-%s-%d-2026-03-17.csv"`, r.Course.Slug, r.Students["ben"].ID)) {
		t.Fatalf("export = %d %v\n%s", res.Status, res.Header, res.Body)
	}
	records := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.Body, bom)))
	records.FieldsPerRecord = -1
	all, err := records.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if all[0][1] != "ben" || all[2][0] != "Week" || len(all) != 6 {
		t.Fatalf("export = %q", all)
	}
	if strings.Join(all[3][:7], "|") != "1|Reading 1|reading-1|yes|50|3|0" || all[3][7] != "2026-03-02 10:00:00" || all[4][4] != "0" {
		t.Fatalf("reading rows = %q", all[3:])
	}
	// Like every id in a path, one that is not a number names no student.
	for path, want := range map[string]int{
		"/students/abc/progress.csv":                                   http.StatusNotFound,
		"/students/999999/progress.csv":                                http.StatusNotFound,
		fmt.Sprintf("/students/%d/progress.csv", r.instructor.ID):      http.StatusNotFound,
		fmt.Sprintf("/students/%d/progress.csv", r.Students["eve"].ID): http.StatusOK,
	} {
		if res := c.get(r.url(path)); res.Status != want {
			t.Errorf("%s = %d, want %d", path, res.Status, want)
		}
	}
}

// bigClass adds n students in bulk (fixtures one by one would take minutes),
// a third of them with progress.
func bigClass(t testing.TB, store *models.Store, course *models.Course, cohort *models.Cohort, n int) {
	t.Helper()
	now := store.Now()
	enrollments := testdb.BulkStudents(t, store, course, cohort, n)
	var progress []models.ReadingProgress
	reading := course.Weeks[0].Readings[0].ID
	for i := 0; i < n; i += 3 {
		progress = append(progress, models.ReadingProgress{EnrollmentID: enrollments[i].ID, ReadingID: reading,
			Percent: i % 101, FirstOpenedAt: now, LastActivityAt: now, LastBeatMs: now.UnixMilli()})
	}
	if err := store.DB().CreateInBatches(&progress, 500).Error; err != nil {
		t.Fatal(err)
	}
}

// TestRosterCSVStreams exports 5,000 students over a real connection: the
// response is chunked (no Content-Length: it was not buffered before being
// sent) and complete. That the rows are never all in memory is checked where
// they are read, by models' TestStreamRosterHoldsOneRowAtATime.
func TestRosterCSVStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("bulk export")
	}
	const n = 5000
	e := newEnv(t)
	course, cohort := testdb.Course(t, e.store, 3, models.Cohort{})
	bigClass(t, e.store, course, cohort, n)
	c := e.login(testdb.User(t, e.store, models.RoleAdmin))
	req, _ := http.NewRequest(http.MethodGet, e.serve()+"/admin/courses/"+course.Slug+"/roster.csv", nil)
	req.Header.Set("Cookie", "session="+c.cookies["session"])
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK || res.ContentLength != -1 {
		t.Fatalf("export = %d, Content-Length %d, want a streamed body", res.StatusCode, res.ContentLength)
	}
	body := bufio.NewReader(res.Body)
	if mark, err := body.Peek(len(bom)); err != nil || string(mark) != bom {
		t.Fatalf("the export does not start with the byte order mark: %q, %v", mark, err)
	}
	if _, err := body.Discard(len(bom)); err != nil {
		t.Fatal(err)
	}
	rd := csv.NewReader(body)
	rows := 0
	for {
		rec, err := rd.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if rows > 0 && rec[0] != fmt.Sprintf("Bulk Student %05d", rows-1) {
			t.Fatalf("row %d = %q", rows, rec)
		}
		rows++
	}
	if rows != n+1 {
		t.Fatalf("%d records, want %d and the header", rows, n)
	}
}

// BenchmarkRosterCSV exports a class of 5,000 students through the app.
func BenchmarkRosterCSV(b *testing.B) {
	store, _ := testdb.Open(b)
	course, cohort := testdb.Course(b, store, 3, models.Cohort{})
	bigClass(b, store, course, cohort, 5000)
	admin := testdb.User(b, store, models.RoleAdmin)
	token, err := store.CreateSession(context.Background(), admin.ID, "bench")
	if err != nil {
		b.Fatal(err)
	}
	serveEach(b, benchApp(b, store), "/admin/courses/"+course.Slug+"/roster.csv", token)
}

// serveEach measures GET path through app, signed in with the session
// token, one request per iteration, counting the bytes answered.
func serveEach(b *testing.B, app *fiber.App, path, token string) {
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		req, _ := http.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Cookie", "session="+token)
		res, err := app.Test(req, -1)
		if err != nil || res.StatusCode != http.StatusOK {
			b.Fatalf("GET %s: %v %v", path, res, err)
		}
		n, _ := io.Copy(io.Discard, res.Body)
		res.Body.Close()
		b.SetBytes(n)
	}
}

func benchApp(b *testing.B, store *models.Store) *fiber.App {
	b.Helper()
	renderer, err := views.New()
	if err != nil {
		b.Fatal(err)
	}
	signer, err := routes.NewSigner(context.Background(), store, "http://portal.test")
	if err != nil {
		b.Fatal(err)
	}
	return routes.New(routes.Options{Store: store, Views: renderer, Log: testdb.Quiet, BaseURL: "http://portal.test", Signer: signer})
}
