package routes

import (
	"strconv"

	"courseportal/models"
	"courseportal/views"
	"courseportal/views/i18n"
)

// The insight pages' tables give each chart's numbers again, a row per
// paragraph, day, step or student. Their rows are written here, each label
// looked up once per table, into the page being written.

// rowEnd closes a row as the templates lay rows out.
const rowEnd = "</tr>\n          "

// emptyRow is the one row of an empty table, saying why across its columns.
func (m *markup) emptyRow(columns int, why string) {
	m.raw(`<tr class="table-empty"><td colspan="`)
	m.int(columns)
	m.raw(`">`)
	m.text(why)
	m.raw(`</td></tr>`)
}

// paragraphRows is the drop-off table: per paragraph, who reached it (and
// their share), who stopped there, and its first words, linked to it.
func (m *markup) paragraphRows(loc *i18n.Localizer, courseSlug string, in *models.ReadingInsight) {
	link := "/learn/" + escapeHTML(courseSlug) + "/readings/" + escapeHTML(in.Reading.Slug) + "#p-"
	reached := `<td data-label="` + escapeHTML(loc.T("console.insight.reached")) + `">`
	share := `<td data-label="` + escapeHTML(loc.T("console.insight.share")) + `">`
	stopped := `<td data-label="` + escapeHTML(loc.T("console.insight.stopped")) + `">`
	opening := `<td class="small muted insight-opening span" data-label="` + escapeHTML(loc.T("console.insight.first_words")) + `">`
	for _, p := range in.Paragraphs {
		m.raw(`<tr><th scope="row"><a href="`)
		m.raw(link)
		m.int(p.Number)
		m.raw(`">p-`)
		m.int(p.Number)
		m.raw(`</a></th>`)
		m.raw(reached)
		m.int(p.Reached)
		m.raw(`</td>`)
		if !in.Small() {
			m.raw(share)
			m.int(in.Share(p.Reached))
			m.raw(`&nbsp;%</td>`)
		}
		m.raw(stopped)
		m.int(p.Stopped)
		m.raw(`</td>`)
		m.raw(opening)
		m.text(p.Opening)
		m.raw(`</td>` + rowEnd)
	}
}

// sectionRows is the sections' table: each section's name and paragraphs,
// who reached it, and its median time (names and medians as the chart
// words them).
func (m *markup) sectionRows(in *models.ReadingInsight, names, medians []string) {
	for i, s := range in.Sections {
		m.raw(`<tr><th scope="row">`)
		m.text(names[i])
		m.raw(` <span class="small muted">p-`)
		m.int(s.First)
		m.raw(`–p-`)
		m.int(s.Last)
		m.raw(`</span></th><td>`)
		m.int(s.Reached)
		m.raw(`</td><td>`)
		m.text(medians[i])
		m.raw(`</td>` + rowEnd)
	}
}

// completionRows is the completions' table: the days someone completed the
// reading, with the total to date (and its share).
func (m *markup) completionRows(loc *i18n.Localizer, in *models.ReadingInsight) {
	if len(in.Completions) == 0 {
		m.emptyRow(3, loc.T("console.insight.nobody_completed"))
	}
	for _, d := range in.Completions {
		if d.Completed == 0 {
			continue
		}
		m.raw(`<tr><th scope="row">`)
		m.text(loc.T("console.insight.day_n", "Day", d.Day))
		m.raw(`</th><td>`)
		m.int(d.Completed)
		m.raw(`</td><td>`)
		m.int(d.Total)
		if !in.Small() {
			m.raw(` (`)
			m.int(in.Share(d.Total))
			m.raw(`&nbsp;%)`)
		}
		m.raw(`</td>` + rowEnd)
	}
}

// itemRows is the check's table: per question (labelled as the chart
// labels it), the first attempts right, their share, and how well it tells
// the class apart.
func (m *markup) itemRows(loc *i18n.Localizer, a *models.ItemAnalysis, labels []string) {
	hard := ` <span class="badge badge-revoked">` + escapeHTML(loc.T("console.check.hard")) + `</span>`
	tooFew := `<span class="muted">` + escapeHTML(loc.T("console.insight.too_few")) + `</span>`
	for i, q := range a.Questions {
		m.raw(`<tr><th scope="row">`)
		m.text(labels[i])
		if q.Hard {
			m.raw(hard)
		}
		m.raw(`</th><td>`)
		m.int(q.Right)
		m.raw(`</td><td>`)
		m.int(q.SharePercent())
		m.raw(`&nbsp;%</td><td>`)
		if q.Discrimination != nil {
			m.text(signed(*q.Discrimination))
		} else {
			m.raw(tooFew)
		}
		m.raw(`</td>` + rowEnd)
	}
}

// funnelRows is the funnel's table: each step (a reading's linked to its
// insight for the cohort), its students and their share.
func (m *markup) funnelRows(courseSlug string, in *models.CohortInsight, steps []string) {
	link := "/admin/courses/" + escapeHTML(courseSlug) + "/readings/"
	cohort := "/insight?cohort=" + strconv.FormatInt(in.Cohort.ID, 10) + `">`
	for i, s := range in.Funnel {
		m.raw(`<tr><th scope="row">`)
		if s.Reading != "" {
			m.raws(`<a href="`, link)
			m.text(s.Reading)
			m.raw(cohort)
			m.text(steps[i])
			m.raw(`</a>`)
		} else {
			m.text(steps[i])
		}
		m.raw(`</th><td>`)
		m.int(s.Students)
		m.raw(`</td>`)
		if !in.Small() {
			m.raw(`<td>`)
			m.int(in.Share(s.Students))
			m.raw(`&nbsp;%</td>`)
		}
		m.raw(rowEnd)
	}
}

// weeklyRows is the weekly activity's table: each week's Monday and its
// active students.
func (m *markup) weeklyRows(loc *i18n.Localizer, in *models.CohortInsight) {
	if len(in.Weeks) == 0 {
		m.emptyRow(2, loc.T("console.insight.not_started"))
	}
	for _, w := range in.Weeks {
		m.raw(`<tr><th scope="row">`)
		m.text(loc.Date(w.Monday))
		m.raw(`</th><td>`)
		m.int(w.Students)
		m.raw(`</td>` + rowEnd)
	}
}

// nudgeLabels are the nudge table's words, looked up once per view.
type nudgeLabels struct {
	remindersOff, unconfirmed, readings, lastActivity, reminded, never, yes, notYet string
	// doneOfDue words "N of M due" per N, as the rows need them.
	doneOfDue map[int]string
}

func newNudgeLabels(loc *i18n.Localizer) *nudgeLabels {
	t := func(id string) string { return escapeHTML(loc.T(id)) }
	return &nudgeLabels{remindersOff: t("console.roster.reminders_off"), unconfirmed: t("console.roster.email_unconfirmed"),
		readings: t("console.insight.readings"), lastActivity: t("console.user.last_activity"),
		reminded: t("console.insight.reminded"), never: t("console.roster.never"), yes: t("console.insight.yes"),
		notYet: t("console.insight.not_yet"), doneOfDue: map[int]string{}}
}

// nudgeRows is the nudge list's table: each student with their address,
// readings done of those due, last activity and this week's reminder.
func (m *markup) nudgeRows(loc *i18n.Localizer, list *models.NudgeList) {
	l := newNudgeLabels(loc)
	for i := range list.Students {
		s := &list.Students[i]
		m.raw("\n          <tr>\n            <td><strong><bdi>")
		m.text(s.FullName)
		m.raw(`</bdi></strong>`)
		if s.RemindersOptOut {
			m.raws(` <span class="tag">`, l.remindersOff, `</span>`)
		}
		if !s.EmailVerified {
			m.raws(` <span class="tag">`, l.unconfirmed, `</span>`)
		}
		m.raw(`<br><a class="small" href="`)
		m.text(string(views.Mailto(s.Email)))
		m.raw(`">`)
		m.text(s.Email)
		m.raws("</a></td>\n            <td data-label=\"", l.readings, `">`)
		m.raw(l.done(loc, s.ReadingsDone, s.ReadingsDue))
		m.raws("</td>\n            <td data-label=\"", l.lastActivity, `">`)
		if s.LastActivityAt != nil {
			m.text(loc.Date(*s.LastActivityAt))
		} else {
			m.raws(`<span class="muted">`, l.never, `</span>`)
		}
		m.raws("</td>\n            <td data-label=\"", l.reminded, `">`)
		if at := list.Reminded(s.UserID); at != nil {
			m.raws(`<span class="badge badge-completed">`, l.yes, `</span> <span class="small muted">`)
			m.text(loc.DateTime(*at))
			m.raw(`</span>`)
		} else {
			m.raws(`<span class="muted">`, l.notYet, `</span>`)
		}
		m.raw("</td>\n          </tr>\n        ")
	}
}

// done words readings done of due, escaped, once per number done.
func (l *nudgeLabels) done(loc *i18n.Localizer, done, due int) string {
	s, ok := l.doneOfDue[done]
	if !ok {
		s = escapeHTML(loc.T("console.insight.done_of_due", "Done", done, "Due", due))
		l.doneOfDue[done] = s
	}
	return s
}

// signed writes a discrimination with two decimals and its sign, like +0.35.
func signed(d float64) string {
	s := strconv.FormatFloat(d, 'f', 2, 64)
	if s[0] != '-' {
		s = "+" + s
	}
	return s
}
