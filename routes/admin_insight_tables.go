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
func (m markup) emptyRow(columns int, why string) {
	m.Raw(`<tr class="table-empty"><td colspan="`)
	m.Int(columns)
	m.Raw(`">`)
	m.Text(why)
	m.Raw(`</td></tr>`)
}

// paragraphRows is the drop-off table: per paragraph, who reached it (and
// their share), who stopped there, and its first words, linked to it.
func (m markup) paragraphRows(loc *i18n.Localizer, courseSlug string, in *models.ReadingInsight) {
	link := "/learn/" + views.EscapeHTML(courseSlug) + "/readings/" + views.EscapeHTML(in.Reading.Slug) + "#p-"
	reached := `<td data-label="` + views.EscapeHTML(loc.T("console.insight.reached")) + `">`
	share := `<td data-label="` + views.EscapeHTML(loc.T("console.insight.share")) + `">`
	stopped := `<td data-label="` + views.EscapeHTML(loc.T("console.insight.stopped")) + `">`
	opening := `<td class="small muted insight-opening span" data-label="` + views.EscapeHTML(loc.T("console.insight.first_words")) + `">`
	for _, p := range in.Paragraphs {
		m.Raw(`<tr><th scope="row"><a href="`)
		m.Raw(link)
		m.Int(p.Number)
		m.Raw(`">p-`)
		m.Int(p.Number)
		m.Raw(`</a></th>`)
		m.Raw(reached)
		m.Int(p.Reached)
		m.Raw(`</td>`)
		if !in.Small() {
			m.Raw(share)
			m.Int(in.Share(p.Reached))
			m.Raw(`&nbsp;%</td>`)
		}
		m.Raw(stopped)
		m.Int(p.Stopped)
		m.Raw(`</td>`)
		m.Raw(opening)
		m.Text(p.Opening)
		m.Raw(`</td>` + rowEnd)
	}
}

// sectionRows is the sections' table: each section's name and paragraphs,
// who reached it, and its median time (names and medians as the chart
// words them).
func (m markup) sectionRows(in *models.ReadingInsight, names, medians []string) {
	for i, s := range in.Sections {
		m.Raw(`<tr><th scope="row">`)
		m.Text(names[i])
		m.Raw(` <span class="small muted">p-`)
		m.Int(s.First)
		m.Raw(`–p-`)
		m.Int(s.Last)
		m.Raw(`</span></th><td>`)
		m.Int(s.Reached)
		m.Raw(`</td><td>`)
		m.Text(medians[i])
		m.Raw(`</td>` + rowEnd)
	}
}

// completionRows is the completions' table: the days someone completed the
// reading, with the total to date (and its share).
func (m markup) completionRows(loc *i18n.Localizer, in *models.ReadingInsight) {
	if len(in.Completions) == 0 {
		m.emptyRow(3, loc.T("console.insight.nobody_completed"))
	}
	for _, d := range in.Completions {
		if d.Completed == 0 {
			continue
		}
		m.Raw(`<tr><th scope="row">`)
		m.Text(loc.T("console.insight.day_n", "Day", d.Day))
		m.Raw(`</th><td>`)
		m.Int(d.Completed)
		m.Raw(`</td><td>`)
		m.Int(d.Total)
		if !in.Small() {
			m.Raw(` (`)
			m.Int(in.Share(d.Total))
			m.Raw(`&nbsp;%)`)
		}
		m.Raw(`</td>` + rowEnd)
	}
}

// itemRows is the check's table: per question (labelled as the chart
// labels it), the first attempts right, their share, and how well it tells
// the class apart.
func (m markup) itemRows(loc *i18n.Localizer, a *models.ItemAnalysis, labels []string) {
	hard := ` <span class="badge badge-revoked">` + views.EscapeHTML(loc.T("console.check.hard")) + `</span>`
	tooFew := `<span class="muted">` + views.EscapeHTML(loc.T("console.insight.too_few")) + `</span>`
	for i, q := range a.Questions {
		m.Raw(`<tr><th scope="row">`)
		m.Text(labels[i])
		if q.Hard {
			m.Raw(hard)
		}
		m.Raw(`</th><td>`)
		m.Int(q.Right)
		m.Raw(`</td><td>`)
		m.Int(q.SharePercent())
		m.Raw(`&nbsp;%</td><td>`)
		if q.Discrimination != nil {
			m.Text(signed(*q.Discrimination))
		} else {
			m.Raw(tooFew)
		}
		m.Raw(`</td>` + rowEnd)
	}
}

// funnelRows is the funnel's table: each step (a reading's linked to its
// insight for the cohort), its students and their share.
func (m markup) funnelRows(courseSlug string, in *models.CohortInsight, steps []string) {
	link := "/admin/courses/" + views.EscapeHTML(courseSlug) + "/readings/"
	cohort := "/insight?cohort=" + strconv.FormatInt(in.Cohort.ID, 10) + `">`
	for i, s := range in.Funnel {
		m.Raw(`<tr><th scope="row">`)
		if s.Reading != "" {
			m.Raws(`<a href="`, link)
			m.Text(s.Reading)
			m.Raw(cohort)
			m.Text(steps[i])
			m.Raw(`</a>`)
		} else {
			m.Text(steps[i])
		}
		m.Raw(`</th><td>`)
		m.Int(s.Students)
		m.Raw(`</td>`)
		if !in.Small() {
			m.Raw(`<td>`)
			m.Int(in.Share(s.Students))
			m.Raw(`&nbsp;%</td>`)
		}
		m.Raw(rowEnd)
	}
}

// weeklyRows is the weekly activity's table: each week's Monday and its
// active students.
func (m markup) weeklyRows(loc *i18n.Localizer, in *models.CohortInsight) {
	if len(in.Weeks) == 0 {
		m.emptyRow(2, loc.T("console.insight.not_started"))
	}
	for _, w := range in.Weeks {
		m.Raw(`<tr><th scope="row">`)
		m.Text(loc.Date(w.Monday))
		m.Raw(`</th><td>`)
		m.Int(w.Students)
		m.Raw(`</td>` + rowEnd)
	}
}

// nudgeLabels are the nudge table's words, looked up once per view.
type nudgeLabels struct {
	remindersOff, unconfirmed, readings, lastActivity, reminded, never, yes, notYet string
	// doneOfDue words "N of M due" per N, as the rows need them.
	doneOfDue map[int]string
}

func newNudgeLabels(loc *i18n.Localizer) *nudgeLabels {
	t := func(id string) string { return views.EscapeHTML(loc.T(id)) }
	return &nudgeLabels{remindersOff: t("console.roster.reminders_off"), unconfirmed: t("console.roster.email_unconfirmed"),
		readings: t("console.insight.readings"), lastActivity: t("console.user.last_activity"),
		reminded: t("console.insight.reminded"), never: t("console.roster.never"), yes: t("console.insight.yes"),
		notYet: t("console.insight.not_yet"), doneOfDue: map[int]string{}}
}

// nudgeRows is the nudge list's table: each student with their address,
// readings done of those due, last activity and this week's reminder.
func (m markup) nudgeRows(loc *i18n.Localizer, list *models.NudgeList) {
	l := newNudgeLabels(loc)
	for i := range list.Students {
		s := &list.Students[i]
		m.Raw("\n          <tr>\n            <td><strong><bdi>")
		m.Text(s.FullName)
		m.Raw(`</bdi></strong>`)
		if s.RemindersOptOut {
			m.Raws(` <span class="tag">`, l.remindersOff, `</span>`)
		}
		if !s.EmailVerified {
			m.Raws(` <span class="tag">`, l.unconfirmed, `</span>`)
		}
		m.Raw(`<br><a class="small" href="`)
		m.Text(string(views.Mailto(s.Email)))
		m.Raw(`">`)
		m.Text(s.Email)
		m.Raws("</a></td>\n            <td data-label=\"", l.readings, `">`)
		m.Raw(l.done(loc, s.ReadingsDone, s.ReadingsDue))
		m.Raws("</td>\n            <td data-label=\"", l.lastActivity, `">`)
		if s.LastActivityAt != nil {
			m.Text(loc.Date(*s.LastActivityAt))
		} else {
			m.Raws(`<span class="muted">`, l.never, `</span>`)
		}
		m.Raws("</td>\n            <td data-label=\"", l.reminded, `">`)
		if at := list.Reminded(s.UserID); at != nil {
			m.Raws(`<span class="badge badge-completed">`, l.yes, `</span> <span class="small muted">`)
			m.Text(loc.DateTime(*at))
			m.Raw(`</span>`)
		} else {
			m.Raws(`<span class="muted">`, l.notYet, `</span>`)
		}
		m.Raw("</td>\n          </tr>\n        ")
	}
}

// done words readings done of due, escaped, once per number done.
func (l *nudgeLabels) done(loc *i18n.Localizer, done, due int) string {
	s, ok := l.doneOfDue[done]
	if !ok {
		s = views.EscapeHTML(loc.T("console.insight.done_of_due", "Done", done, "Due", due))
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
