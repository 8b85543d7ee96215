package routes

import (
	"html/template"
	"strconv"
	"strings"
	"testing"
	"time"

	"courseportal/models"
	"courseportal/views"
	"courseportal/views/i18n"
)

// rosterRowsTemplate is the roster's rows as the page's template wrote them
// before rosterRowsHTML, with the status-badge partial: the reference the
// rows written in Go must match byte for byte.
const rosterRowsTemplate = `{{define "status-badge"}}<span class="badge badge-{{.}}">{{if eq . "active"}}{{t "status.active"}}{{else if eq . "waitlisted"}}{{t "status.waitlisted"}}{{else if eq . "completed"}}{{t "status.completed"}}{{else if eq . "withdrawn"}}{{t "status.withdrawn"}}{{else}}{{.}}{{end}}</span>{{end}}` +
	`{{$status := index .Labels 0}}{{$progress := index .Labels 1}}{{$activity := index .Labels 2}}{{$completed := index .Labels 3}}` +
	`{{range .Rows}}
        <tr>
          <td><strong><bdi>{{.FullName}}</bdi></strong>{{if .RemindersOptOut}} <span class="tag">{{t "console.roster.reminders_off"}}</span>{{end}}{{if not .EmailVerified}} <span class="tag">{{t "console.roster.email_unconfirmed"}}</span>{{end}}<br><a class="small" href="{{mailto .Email}}">{{.Email}}</a><br><span class="small muted">{{.CohortName}} · <a href="{{.ProgressCSV}}" download title="{{t "console.roster.progress_csv_title" "Name" (isolate .FullName)}}">{{th "console.roster.progress_csv"}}</a></span></td>
          <td data-label="{{$status}}">{{template "status-badge" .Status}}{{if .AtRisk}}<br><span class="badge badge-revoked">{{t "console.roster.at_risk"}}</span>{{else if .NotStarted}}<br><span class="badge badge-locked">{{t "console.roster.not_started"}}</span>{{end}}</td>
          <td class="span" data-label="{{$progress}}">
            <p class="progress-label"><strong>{{.Percent}}&nbsp;%</strong></p>
            <progress class="progress" max="100" value="{{.Percent}}">{{.Percent}} %</progress>
            <span class="small muted">{{tnh "console.roster.done_of" .ReadingsRequired "Done" .ReadingsDone}}{{if lt .ReadingsDue .ReadingsRequired}} · {{th "console.roster.due" "Count" .ReadingsDue}}{{end}}</span>
            {{with .ReadingsAddedSinceCompletion}}<br><span class="small muted reading-added">{{tn "console.roster.added_since" .}}</span>{{end}}
            {{with .CheckScores}}<ul class="check-scores" aria-label="{{t "console.roster.checks"}}">{{range .}}
              <li><span title="{{.Title}}">{{.Label}}</span> <span class="check-scores-result">{{if .Taken}}<strong>{{.BestPercent}}&nbsp;%</strong>{{if .Passed}} <span class="badge badge-completed">{{t "console.roster.passed"}}</span>{{end}} <span class="muted">· {{tnh "console.roster.attempts" .Attempts}}</span>{{else}}<span class="muted">{{t "console.roster.not_taken"}}</span>{{end}}</span></li>{{end}}
            </ul>{{end}}
          </td>
          <td data-label="{{$activity}}">{{if .LastActivity}}{{.LastActivity}}<br><span class="small muted">{{.LastActivityAgo}}</span>{{else}}<span class="muted">{{t "console.roster.never"}}</span>{{end}}</td>
          <td data-label="{{$completed}}">{{with .Completed}}{{.}}{{else}}<span class="muted">—</span>{{end}}{{with .Certificate}}<br><a class="cert-id small" href="/certificates/{{.}}">{{.}}</a>{{end}}{{if .CertificateRevokedAt}} <span class="badge badge-revoked">{{t "console.certificates.revoked"}}</span>{{end}}</td>
        </tr>
      {{end}}`

// referenceRow is a row as the template read it.
type referenceRow struct {
	FullName, Email, CohortName, Status                   string
	RemindersOptOut, EmailVerified, AtRisk, NotStarted    bool
	Percent, ReadingsDone, ReadingsRequired, ReadingsDue  int
	ReadingsAddedSinceCompletion                          int
	Certificate, LastActivity, LastActivityAgo, Completed string
	ProgressCSV                                           string
	CertificateRevokedAt                                  *time.Time
	CheckScores                                           []referenceScore
}

type referenceScore struct {
	Taken, Passed         bool
	Attempts, BestPercent int
	Label, Title          string
}

// referenceRows words the page's rows as the view did for the template.
func referenceRows(loc *i18n.Localizer, slug string, pg *models.RosterPage, now time.Time) []referenceRow {
	perWeek := map[int]int{}
	for _, c := range pg.Checks {
		perWeek[c.Week]++
	}
	date := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return loc.ShortDate(*t)
	}
	var rows []referenceRow
	for _, r := range pg.Rows {
		row := referenceRow{FullName: r.FullName, Email: r.Email, CohortName: r.CohortName, Status: r.Status,
			RemindersOptOut: r.RemindersOptOut, EmailVerified: r.EmailVerified, AtRisk: r.AtRisk, NotStarted: r.NotStarted(),
			Percent: r.Percent, ReadingsDone: r.ReadingsDone, ReadingsRequired: r.ReadingsRequired, ReadingsDue: r.ReadingsDue,
			ReadingsAddedSinceCompletion: r.ReadingsAddedSinceCompletion(), Certificate: r.Certificate(),
			LastActivity: date(r.LastActivityAt), Completed: date(r.CompletedAt), CertificateRevokedAt: r.CertificateRevokedAt,
			ProgressCSV: "/admin/courses/" + slug + "/students/" + strconv.FormatInt(r.UserID, 10) + "/progress.csv"}
		if r.LastActivityAt != nil {
			switch days := int(now.Sub(*r.LastActivityAt).Hours() / 24); {
			case days <= 0:
				row.LastActivityAgo = loc.T("console.roster.today")
			case days == 1:
				row.LastActivityAgo = loc.T("console.roster.yesterday")
			case days < 14:
				row.LastActivityAgo = loc.N("console.roster.days_ago", days)
			default:
				row.LastActivityAgo = loc.N("console.roster.weeks_ago", days/7)
			}
		}
		for i, sc := range r.Checks {
			c := pg.Checks[i]
			label := loc.T("console.roster.week_check", "Week", c.Week)
			if perWeek[c.Week] > 1 {
				label = loc.T("console.roster.week_reading", "Week", c.Week, "Title", c.ReadingTitle)
			}
			row.CheckScores = append(row.CheckScores, referenceScore{Taken: sc.Taken(), Passed: sc.Passed, Attempts: sc.Attempts,
				BestPercent: sc.BestPercent, Label: label, Title: c.ReadingTitle})
		}
		rows = append(rows, row)
	}
	return rows
}

// trickyRosterPage has names and titles with markup, quotes, ampersands,
// pluses, right-to-left text and a NUL, in every state a row can show.
func trickyRosterPage(now time.Time) *models.RosterPage {
	day := func(d int) *time.Time { t := now.Add(-time.Duration(d) * 24 * time.Hour); return &t }
	code := "ABCD-1234"
	odd := "x+y&z"
	pg := &models.RosterPage{RequiredReadings: 5, Checks: []models.RosterCheck{
		{CheckID: 1, ReadingTitle: `<script>alert("week 1")</script>`, Week: 1},
		{CheckID: 2, ReadingTitle: "Tom & Jerry's \"best\" + worst", Week: 2},
		{CheckID: 3, ReadingTitle: "مقدمه\u200f و پایان", Week: 2},
	}}
	names := []string{`<script>alert('x')</script>`, `O'Brien & "Sons" + Co`, "مريم الحسيني", "\u2068שרה\u2069 Levi",
		"plain name", "nul\x00byte", "emoji 😀 ünïcödé"}
	emails := []string{"a+b@example.org", `q"uote@example.org`, "x?cc=y@example.org", "ünï@exämple.org", "no-at-sign",
		"two@at@signs", "plain@example.org"}
	statuses := []string{models.StatusActive, models.StatusActive, models.StatusCompleted, models.StatusWaitlisted,
		models.StatusWithdrawn, models.StatusActive, "strange<status>"}
	for i := range 21 {
		r := models.RosterRow{UserID: int64(1000 + i*7919), FullName: names[i%len(names)], Email: emails[i%len(emails)],
			RemindersOptOut: i%3 == 0, EmailVerified: i%4 != 0, Status: statuses[i%len(statuses)],
			CohortName: []string{"Spring <2026>", "Cohort & \"friends\"", "گروه اول"}[i%3],
			Percent:    i * 5 % 101, ReadingsDone: i % 6, ReadingsRequired: 5, ReadingsDue: 5 - i%3, ReadingsOpened: i % 2,
			AtRisk: i%5 == 1}
		if i%7 != 3 {
			r.LastActivityAt = day([]int{0, 1, 2, 13, 14, 30, 200}[i%7])
		}
		if r.Status == models.StatusCompleted || i%9 == 0 {
			r.CompletedAt = day(i)
			r.CertificateCode = &code
			if i%2 == 0 {
				r.CertificateCode = &odd
				r.CertificateRevokedAt = day(1)
			}
		}
		if i == 20 { // a row whose required readings differ from the page's
			r.ReadingsRequired = 101
			r.ReadingsDone = 1
		}
		if i%4 != 2 {
			r.Checks = []models.CheckScore{{}, {Attempts: 1 + i%3, BestPercent: 40 + i, Passed: i%2 == 0}, {Attempts: 1, BestPercent: 100, Passed: true}}
		}
		pg.Rows = append(pg.Rows, r)
	}
	return pg
}

// TestRosterRowsWriteWhatTheTemplateWrote renders tricky rows in every
// language, and the pseudo-locale, through the template the rows had and
// through rosterRowsHTML, and wants the same bytes.
func TestRosterRowsWriteWhatTheTemplateWrote(t *testing.T) {
	langs, err := i18n.WithPseudo()
	renderer := (*views.Renderer)(nil)
	if err == nil {
		renderer, err = views.NewIn(langs)
	}
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 18, 14, 5, 0, 0, time.UTC)
	course := &models.Course{Slug: "intro-101"}
	pseudo, _ := langs.Lookup(i18n.Pseudo)
	for _, loc := range append(langs.Languages(), pseudo) {
		t.Run(loc.Code(), func(t *testing.T) {
			ref := template.Must(template.New("rows").Funcs(renderer.Funcs(loc)).Parse(rosterRowsTemplate))
			pg := trickyRosterPage(now)
			var want strings.Builder
			labels := []string{loc.T("console.roster.col_status"), loc.T("console.roster.col_progress"),
				loc.T("console.roster.col_last_activity"), loc.T("console.roster.col_completed")}
			err := ref.ExecuteTemplate(&want, "rows", map[string]any{"Rows": referenceRows(loc, course.Slug, pg, now), "Labels": labels})
			if err != nil {
				t.Fatal(err)
			}
			written := views.NewMarkup()
			writeRosterRows(written, loc, course, pg, now)
			got := string(written.HTML())
			if got != want.String() {
				at := 0
				for at < len(got) && at < len(want.String()) && got[at] == want.String()[at] {
					at++
				}
				t.Fatalf("the rows differ at byte %d:\n got …%s\nwant …%s", at, excerpt(got, at), excerpt(want.String(), at))
			}
			if !strings.Contains(got, "&lt;script&gt;") || !strings.Contains(got, "&#43;") {
				t.Errorf("the tricky values are not in the rows:\n%s", got)
			}
		})
	}
}

func excerpt(s string, at int) string {
	from, to := max(at-80, 0), min(at+120, len(s))
	return s[from:to]
}

// rosterHeadTemplate and rosterOptionsTemplate are the table's headings and
// a filter's options as the page's template wrote them.
const (
	rosterHeadTemplate = `{{define "roster-sort"}}<a href="{{.URL}}">{{.Label}}{{with .Arrow}} <span aria-hidden="true">{{.}}</span>{{end}}</a>{{end}}` +
		`{{$name := index . 0}}{{$email := index . 1}}` +
		`<th scope="col"{{with or $name.AriaSort $email.AriaSort}} aria-sort="{{.}}"{{end}}>{{template "roster-sort" $name}} <span aria-hidden="true">·</span> {{template "roster-sort" $email}}</th>
        {{range slice . 2}}<th scope="col"{{with .AriaSort}} aria-sort="{{.}}"{{end}}>{{template "roster-sort" .}}</th>{{end}}`
	rosterOptionsTemplate = `{{range .}}<option value="{{.Value}}"{{if .Selected}} selected{{end}}>{{.Label}}</option>{{end}}`
)

// TestRosterHeadAndOptionsWriteWhatTheTemplateWrote renders the headings of
// every sort and direction, and options with tricky labels, both ways.
func TestRosterHeadAndOptionsWriteWhatTheTemplateWrote(t *testing.T) {
	langs, err := i18n.WithPseudo()
	if err != nil {
		t.Fatal(err)
	}
	pseudo, _ := langs.Lookup(i18n.Pseudo)
	head := template.Must(template.New("head").Parse(rosterHeadTemplate))
	options := template.Must(template.New("options").Parse(rosterOptionsTemplate))
	for _, loc := range append(langs.Languages(), pseudo) {
		for _, sort := range models.RosterSorts {
			for _, desc := range []bool{false, true} {
				p := rosterParams{Filter: models.RosterFilter{CohortID: 7, Status: models.RosterStatusAll, Segment: models.RosterSegmentAll,
					InactiveDays: 9, Sort: sort, Desc: desc, Limit: 25}}
				cols := rosterColumns(loc, p, "/admin/courses/a+b&c/roster")
				var want strings.Builder
				if err := head.Execute(&want, cols); err != nil {
					t.Fatal(err)
				}
				if got := string(headHTML(cols)); got != want.String() {
					t.Errorf("%s, %s desc=%v:\n got %s\nwant %s", loc.Code(), sort, desc, got, want.String())
				}
			}
		}
	}
	opts := []rosterOption{{Value: "", Label: "All", Selected: true}, {Value: "12", Label: `Spring <2026> & "friends" + 'co'`},
		{Value: "a\"b", Label: "گروه اول", Selected: true}, {Value: "x\x00y", Label: "nul\x00"}}
	var want strings.Builder
	if err := options.Execute(&want, opts); err != nil {
		t.Fatal(err)
	}
	if got := string(optionsHTML(opts)); got != want.String() {
		t.Errorf("options:\n got %s\nwant %s", got, want.String())
	}
}
