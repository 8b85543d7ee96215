package routes

import (
	"html/template"
	"strconv"

	"courseportal/views/i18n"
)

// cohortInsightBody writes the cohort insight page below the course header,
// as its template laid it out (see readingInsightBody); csrf is the
// reminder form's token.
func cohortInsightBody(loc *i18n.Localizer, d *adminCohortInsightData, csrf string) template.HTML {
	m := newMarkup()
	in, k, slug := d.Insight, d.Insight.Cohort, escapeHTML(d.Course.Slug)
	cohortPath := `/admin/courses/` + slug + `/cohorts/` + strconv.FormatInt(k.ID, 10)
	m.raw("\n  \n  \n  <nav class=\"small\" aria-label=\"")
	m.label(loc, "console.breadcrumb")
	m.raws(`"><a href="/admin/courses/`, slug, `/cohorts">`)
	m.label(loc, "console.course_header.cohorts")
	m.raws(`</a> › <a href="`, cohortPath, `">`)
	m.text(k.Name)
	m.raw(`</a> › `)
	m.label(loc, "console.insight.crumb")
	m.raw("</nav>\n  <div class=\"row row-between\">\n    <h2>")
	m.text(loc.T("console.insight.cohort_title", "Name", k.Name))
	m.raws("</h2>\n    <a class=\"btn btn-secondary btn-sm\" href=\"", cohortPath, "/insight?format=csv\" download>")
	m.label(loc, "console.insight.csv")
	m.raw("</a>\n  </div>\n  <p class=\"muted\">")
	m.text(loc.N("console.insight.since", in.Students, "Date", loc.Date(k.StartsAt)))
	m.raw("</p>\n  ")
	if in.Small() {
		m.info(loc, "console.insight.small_cohort")
	}

	m.blockHead(loc, "funnel-h", "console.insight.funnel_title", "insight-pair")
	m.raw(string(d.Funnel))
	m.raw(`</figure>`)
	if in.Small() {
		m.tableHead(loc, true, "console.insight.funnel_caption", "console.insight.step", "console.insight.students")
	} else {
		m.tableHead(loc, true, "console.insight.funnel_caption", "console.insight.step", "console.insight.students",
			"console.insight.share")
	}
	m.funnelRows(d.Course.Slug, in, d.steps)
	m.tableEnd()

	m.blockHead(loc, "weekly-h", "console.insight.weekly_title", "insight-pair")
	m.raw(string(d.Weekly))
	m.raw(`</figure>`)
	m.tableHead(loc, true, "console.insight.weekly_caption", "console.insight.week_of", "console.insight.active")
	m.weeklyRows(loc, in)
	m.tableEnd()

	m.raw("\n\n  ")
	if d.Nudge != nil {
		m.nudgeSection(loc, d, cohortPath, csrf)
		m.raw("\n  ")
	}
	m.raw("\n  ")
	return m.html()
}

// nudgeSection writes the nudge list's block: the quiet days' filter, the
// list, and the form that reminds everyone on it.
func (m *markup) nudgeSection(loc *i18n.Localizer, d *adminCohortInsightData, cohortPath, csrf string) {
	n := d.Nudge
	m.raw("\n  <section class=\"insight-block stack-sm\" id=\"nudge\" aria-labelledby=\"nudge-h\">\n    <h3 id=\"nudge-h\">")
	if n.More {
		m.th(loc, "console.insight.nudge_title_more", len(n.Students))
	} else {
		m.th(loc, "console.insight.nudge_title", len(n.Students))
	}
	m.raw("</h3>\n    <p class=\"muted\">")
	m.text(loc.N("console.insight.nudge_intro", n.Days))
	m.raw("</p>\n    <form class=\"filters\" method=\"get\" action=\"#nudge\" aria-label=\"")
	m.label(loc, "console.insight.quiet_label")
	m.raw("\">\n      <div class=\"field\">\n        <label for=\"n-days\">")
	m.label(loc, "console.insight.quiet_days")
	m.raw("</label>\n        <input id=\"n-days\" name=\"days\" type=\"number\" min=\"1\" max=\"365\" value=\"")
	m.int(n.Days)
	m.raw("\">\n      </div>\n      <button class=\"btn btn-secondary\" type=\"submit\">")
	m.label(loc, "console.filter.show")
	m.raw("</button>\n    </form>\n    ")
	if len(n.Students) == 0 {
		m.raw("\n    <p class=\"muted\">")
		m.text(loc.N("console.insight.nobody", n.Days))
		m.raw("</p>\n    \n  </section>")
		return
	}
	m.raw("\n    <div class=\"table-wrap\">\n      <table class=\"table\">\n        <caption class=\"sr-only\">")
	m.label(loc, "console.insight.nudge_caption")
	m.raw("</caption>\n        <thead><tr>")
	m.column(loc, "console.cohort.student")
	m.column(loc, "console.insight.readings")
	m.column(loc, "console.user.last_activity")
	m.column(loc, "console.insight.reminded")
	m.raw("</tr></thead>\n        <tbody>\n        ")
	m.nudgeRows(loc, n)
	m.raw("\n        </tbody>\n      </table>\n    </div>\n    ")
	if n.More {
		roster := "/admin/courses/" + d.Course.Slug + "/roster?cohort=" + strconv.FormatInt(d.Insight.Cohort.ID, 10) +
			"&show=at-risk&days=" + strconv.Itoa(n.Days)
		m.raw(`<p class="small muted">`)
		m.trusted(loc.T("console.insight.more", "URL", template.HTMLEscapeString(roster)))
		m.raw(`</p>`)
	}
	m.raws("\n    <form method=\"post\" action=\"", cohortPath, "/insight/remind\">\n      <input type=\"hidden\" name=\"_csrf\" value=\"")
	m.text(csrf)
	m.raw("\">\n      <input type=\"hidden\" name=\"days\" value=\"")
	m.int(n.Days)
	m.raw("\">\n      <button class=\"btn btn-primary\" type=\"submit\">")
	m.label(loc, "console.insight.send")
	m.raw("</button>\n    </form>\n    \n  </section>")
}
