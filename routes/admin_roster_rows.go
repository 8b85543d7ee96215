package routes

import (
	"strconv"
	"strings"
	"time"

	"courseportal/models"
	"courseportal/views"
	"courseportal/views/i18n"
)

// The roster's rows are written in Go rather than by the page's template:
// html/template escapes each value through reflection, some thousand calls
// for fifty rows, and the catalogue's messages run a template of their own
// on every look-up. The rows' words are looked up once a page; the markup
// is what the template wrote (TestRosterRowsWriteWhatTheTemplateWrote), and
// goes to the response between the page's two parts, copied once.

// rosterHole stands for a row's own value in a message worded once a page:
// the message is cut there, and each row writes its value between the parts.
const rosterHole = "\x00"

// holed is a message cut where a row's value goes.
type holed []string

func holedMessage(msg string) holed { return strings.Split(msg, rosterHole) }

// write writes the message around a value already fit for the page.
func (h holed) write(b *views.Markup, value string) {
	for i, part := range h {
		if i > 0 {
			b.Raw(value)
		}
		b.Raw(part)
	}
}

// escaped escapes the message's own parts for text or an attribute.
func (h holed) escaped() holed {
	out := make(holed, len(h))
	for i, part := range h {
		out[i] = views.EscapeHTML(part)
	}
	return out
}

// rosterWords are the words of a page of rows in the console's language:
// plain ones already escaped, messages with a row's value cut where it goes,
// and the ones that vary with a count or a day worded on first use.
type rosterWords struct {
	loc *i18n.Localizer
	now time.Time
	// The column labels, repeated in each cell for narrow screens.
	statusCol, progressCol, activityCol, completedCol  string
	remindersOff, emailUnconfirmed, atRisk, notStarted string
	checks, passed, notTaken, never, revoked           string
	statuses                                           map[string]string
	progressCSV                                        string
	// csvTitle is cut around the student's name, doneOf around the
	// readings done (for required readings), due around the readings due.
	csvTitle, doneOf, due holed
	required              int
	// checkTitles and checkLabels name the page's checks.
	checkTitles, checkLabels []string
	worded                   map[rosterWording]string
}

// rosterWording is a message that varies with a number: a day as yyyymmdd,
// a number of days, attempts or readings.
type rosterWording struct {
	kind byte
	n    int
}

const (
	wordDate byte = iota
	wordAgo
	wordAttempts
	wordAdded
)

func newRosterWords(loc *i18n.Localizer, pg *models.RosterPage, now time.Time) *rosterWords {
	esc := func(id string) string { return views.EscapeHTML(loc.T(id)) }
	w := &rosterWords{loc: loc, now: now, required: pg.RequiredReadings,
		statusCol: esc("console.roster.col_status"), progressCol: esc("console.roster.col_progress"),
		activityCol: esc("console.roster.col_last_activity"), completedCol: esc("console.roster.col_completed"),
		remindersOff: esc("console.roster.reminders_off"), emailUnconfirmed: esc("console.roster.email_unconfirmed"),
		atRisk: esc("console.roster.at_risk"), notStarted: esc("console.roster.not_started"),
		checks: esc("console.roster.checks"), passed: esc("console.roster.passed"), notTaken: esc("console.roster.not_taken"),
		never: esc("console.roster.never"), revoked: esc("console.certificates.revoked"),
		progressCSV: loc.T("console.roster.progress_csv"),
		csvTitle:    holedMessage(loc.T("console.roster.progress_csv_title", "Name", rosterHole)).escaped(),
		doneOf:      holedMessage(loc.N("console.roster.done_of", pg.RequiredReadings, "Done", rosterHole)),
		due:         holedMessage(loc.T("console.roster.due", "Count", rosterHole)),
		statuses:    map[string]string{},
		worded:      map[rosterWording]string{}}
	for _, s := range []string{models.StatusActive, models.StatusWaitlisted, models.StatusCompleted, models.StatusWithdrawn} {
		w.statuses[s] = esc("status." + s)
	}
	perWeek := map[int]int{}
	for _, c := range pg.Checks {
		perWeek[c.Week]++
	}
	// By week, short enough for the progress cell on a phone; a week with
	// several checked readings adds the reading's title.
	for _, c := range pg.Checks {
		label := loc.T("console.roster.week_check", "Week", c.Week)
		if perWeek[c.Week] > 1 {
			label = loc.T("console.roster.week_reading", "Week", c.Week, "Title", c.ReadingTitle)
		}
		w.checkLabels = append(w.checkLabels, views.EscapeHTML(label))
		w.checkTitles = append(w.checkTitles, views.EscapeHTML(c.ReadingTitle))
	}
	return w
}

// word is a message that varies with a number, worded on its first use in
// the page.
func (w *rosterWords) word(kind byte, n int, t time.Time) string {
	key := rosterWording{kind, n}
	if s, ok := w.worded[key]; ok {
		return s
	}
	var s string
	switch kind {
	case wordDate:
		s = views.EscapeHTML(w.loc.ShortDate(t))
	case wordAgo:
		s = views.EscapeHTML(w.ago(n))
	case wordAttempts:
		s = w.loc.N("console.roster.attempts", n)
	case wordAdded:
		s = views.EscapeHTML(w.loc.N("console.roster.added_since", n))
	}
	w.worded[key] = s
	return s
}

// date is a day as the table writes it.
func (w *rosterWords) date(t time.Time) string {
	t = t.UTC()
	return w.word(wordDate, t.Year()*10000+int(t.Month())*100+t.Day(), t)
}

// sinceDays says how long before now t was.
func (w *rosterWords) sinceDays(t time.Time) string {
	return w.word(wordAgo, max(int(w.now.Sub(t).Hours()/24), 0), time.Time{})
}

// ago words a number of days ago, in days or weeks.
func (w *rosterWords) ago(days int) string {
	switch {
	case days <= 0:
		return w.loc.T("console.roster.today")
	case days == 1:
		return w.loc.T("console.roster.yesterday")
	case days < 14:
		return w.loc.N("console.roster.days_ago", days)
	}
	return w.loc.N("console.roster.weeks_ago", days/7)
}

// writeRosterRows writes a page's rows as the roster's table body shows
// them.
func writeRosterRows(b *views.Markup, loc *i18n.Localizer, course *models.Course, pg *models.RosterPage, now time.Time) {
	if len(pg.Rows) == 0 {
		return
	}
	w := newRosterWords(loc, pg, now)
	for i := range pg.Rows {
		w.row(b, course.Slug, &pg.Rows[i])
	}
}

func (w *rosterWords) row(b *views.Markup, slug string, r *models.RosterRow) {
	b.Raw("\n        <tr>\n          <td><strong><bdi>")
	b.Text(r.FullName)
	b.Raw("</bdi></strong>")
	if r.RemindersOptOut {
		tag(b, "tag", w.remindersOff)
	}
	if !r.EmailVerified {
		tag(b, "tag", w.emailUnconfirmed)
	}
	b.Raw(`<br><a class="small" href="`)
	b.Mailto(r.Email)
	b.Raw(`">`)
	b.Text(r.Email)
	b.Raw(`</a><br><span class="small muted">`)
	b.Text(r.CohortName)
	b.Raw(` · <a href="/admin/courses/`)
	b.URL(slug)
	b.Raw("/students/")
	writeInt(b, r.UserID)
	b.Raw(`/progress.csv" download title="`)
	for i, part := range w.csvTitle {
		if i > 0 { // the name isolated, as the template function isolate does
			b.Raw("\u2068")
			b.Text(r.FullName)
			b.Raw("\u2069")
		}
		b.Raw(part)
	}
	b.Raw(`">`)
	b.Raw(w.progressCSV)
	b.Raw("</a></span></td>\n")
	w.statusCell(b, r)
	w.progressCell(b, r)
	w.activityCell(b, r)
	w.completedCell(b, r)
	b.Raw("\n        </tr>\n      ")
}

// span writes <span class=…>text</span>, text fit for the page.
func span(b *views.Markup, class, text string) {
	b.Raw(`<span class="`)
	b.Raw(class)
	b.Raw(`">`)
	b.Raw(text)
	b.Raw("</span>")
}

// tag writes a span after a space.
func tag(b *views.Markup, class, text string) {
	b.Raw(" ")
	span(b, class, text)
}

func writeInt[N int | int64](b *views.Markup, n N) {
	b.Int64(int64(n))
}

// cell opens a cell labelled for narrow screens.
func cell(b *views.Markup, class, label string) {
	b.Raw("          <td")
	b.Raw(class)
	b.Raw(` data-label="`)
	b.Raw(label)
	b.Raw(`">`)
}

// statusCell is the status-badge partial's badge, and at risk or not
// started.
func (w *rosterWords) statusCell(b *views.Markup, r *models.RosterRow) {
	cell(b, "", w.statusCol)
	b.Raw(`<span class="badge badge-`)
	b.Text(r.Status)
	b.Raw(`">`)
	if word, ok := w.statuses[r.Status]; ok {
		b.Raw(word)
	} else {
		b.Text(r.Status)
	}
	b.Raw("</span>")
	switch {
	case r.AtRisk:
		b.Raw("<br>")
		span(b, "badge badge-revoked", w.atRisk)
	case r.NotStarted():
		b.Raw("<br>")
		span(b, "badge badge-locked", w.notStarted)
	}
	b.Raw("</td>\n")
}

func (w *rosterWords) progressCell(b *views.Markup, r *models.RosterRow) {
	cell(b, ` class="span"`, w.progressCol)
	b.Raw("\n            <p class=\"progress-label\"><strong>")
	writeInt(b, r.Percent)
	b.Raw("&nbsp;%</strong></p>\n            <progress class=\"progress\" max=\"100\" value=\"")
	writeInt(b, r.Percent)
	b.Raw(`">`)
	writeInt(b, r.Percent)
	b.Raw(" %</progress>\n            <span class=\"small muted\">")
	if r.ReadingsRequired == w.required {
		w.doneOf.write(b, strconv.Itoa(r.ReadingsDone))
	} else {
		b.Raw(w.loc.N("console.roster.done_of", r.ReadingsRequired, "Done", r.ReadingsDone))
	}
	if r.ReadingsDue < r.ReadingsRequired {
		b.Raw(" · ")
		w.due.write(b, strconv.Itoa(r.ReadingsDue))
	}
	b.Raw("</span>\n            ")
	if added := r.ReadingsAddedSinceCompletion(); added != 0 {
		b.Raw("<br>")
		span(b, "small muted reading-added", w.word(wordAdded, added, time.Time{}))
	}
	b.Raw("\n            ")
	if len(r.Checks) > 0 {
		w.checkScores(b, r.Checks)
	}
	b.Raw("\n          </td>\n")
}

func (w *rosterWords) checkScores(b *views.Markup, scores []models.CheckScore) {
	b.Raw(`<ul class="check-scores" aria-label="`)
	b.Raw(w.checks)
	b.Raw(`">`)
	for i, sc := range scores {
		b.Raw("\n              <li><span title=\"")
		b.Raw(w.checkTitles[i])
		b.Raw(`">`)
		b.Raw(w.checkLabels[i])
		b.Raw(`</span> <span class="check-scores-result">`)
		if sc.Taken() {
			b.Raw("<strong>")
			writeInt(b, sc.BestPercent)
			b.Raw("&nbsp;%</strong>")
			if sc.Passed {
				tag(b, "badge badge-completed", w.passed)
			}
			b.Raw(` <span class="muted">· `)
			b.Raw(w.word(wordAttempts, sc.Attempts, time.Time{}))
			b.Raw("</span>")
		} else {
			span(b, "muted", w.notTaken)
		}
		b.Raw("</span></li>")
	}
	b.Raw("\n            </ul>")
}

func (w *rosterWords) activityCell(b *views.Markup, r *models.RosterRow) {
	cell(b, "", w.activityCol)
	if r.LastActivityAt != nil {
		b.Raw(w.date(*r.LastActivityAt))
		b.Raw("<br>")
		span(b, "small muted", w.sinceDays(*r.LastActivityAt))
	} else {
		span(b, "muted", w.never)
	}
	b.Raw("</td>\n")
}

func (w *rosterWords) completedCell(b *views.Markup, r *models.RosterRow) {
	cell(b, "", w.completedCol)
	if r.CompletedAt != nil {
		b.Raw(w.date(*r.CompletedAt))
	} else {
		b.Raw(`<span class="muted">—</span>`)
	}
	if code := r.Certificate(); code != "" {
		b.Raw(`<br><a class="cert-id small" href="/certificates/`)
		b.URL(code)
		b.Raw(`">`)
		b.Text(code)
		b.Raw("</a>")
	}
	if r.CertificateRevokedAt != nil {
		tag(b, "badge badge-revoked", w.revoked)
	}
	b.Raw("</td>")
}
