package routes

import (
	"html/template"
	"strconv"

	"courseportal/views"
	"courseportal/views/i18n"
)

// cohortInsightBody writes the cohort insight page below the course header,
// as its template laid it out (see readingInsightBody); csrf is the
// reminder form's token.
func cohortInsightBody(loc *i18n.Localizer, d *adminCohortInsightData, csrf string) template.HTML {
	m := newMarkup()
	in, k, slug := d.Insight, d.Insight.Cohort, views.EscapeHTML(d.Course.Slug)
	cohortPath := `/admin/courses/` + slug + `/cohorts/` + strconv.FormatInt(k.ID, 10)
	m.Raw("\n  \n  \n  <nav class=\"small\" aria-label=\"")
	m.label(loc, "console.breadcrumb")
	m.Raws(`"><a href="/admin/courses/`, slug, `/cohorts">`)
	m.label(loc, "console.course_header.cohorts")
	m.Raws(`</a> › <a href="`, cohortPath, `">`)
	m.Text(k.Name)
	m.Raw(`</a> › `)
	m.label(loc, "console.insight.crumb")
	m.Raw("</nav>\n  <div class=\"row row-between\">\n    <h2>")
	m.Text(loc.T("console.insight.cohort_title", "Name", k.Name))
	m.Raws("</h2>\n    <a class=\"btn btn-secondary btn-sm\" href=\"", cohortPath, "/insight?format=csv\" download>")
	m.label(loc, "console.insight.csv")
	m.Raw("</a>\n  </div>\n  <p class=\"muted\">")
	m.Text(loc.N("console.insight.since", in.Students, "Date", loc.Date(k.StartsAt)))
	m.Raw("</p>\n  ")
	if in.Small() {
		m.info(loc, "console.insight.small_cohort")
	}

	m.blockHead(loc, "funnel-h", "console.insight.funnel_title", "insight-pair")
	m.Raw(string(d.Funnel))
	m.Raw(`</figure>`)
	if in.Small() {
		m.tableHead(loc, true, "console.insight.funnel_caption", "console.insight.step", "console.insight.students")
	} else {
		m.tableHead(loc, true, "console.insight.funnel_caption", "console.insight.step", "console.insight.students",
			"console.insight.share")
	}
	m.funnelRows(d.Course.Slug, in, d.steps)
	m.tableEnd()

	m.blockHead(loc, "weekly-h", "console.insight.weekly_title", "insight-pair")
	m.Raw(string(d.Weekly))
	m.Raw(`</figure>`)
	m.tableHead(loc, true, "console.insight.weekly_caption", "console.insight.week_of", "console.insight.active")
	m.weeklyRows(loc, in)
	m.tableEnd()

	m.Raw("\n\n  ")
	if d.Nudge != nil {
		m.nudgeSection(loc, d, cohortPath, csrf)
		m.Raw("\n  ")
	}
	m.Raw("\n  ")
	return m.HTML()
}

// nudgeSection writes the nudge list's block: the quiet days' filter, the
// list, and the form that reminds everyone on it.
func (m markup) nudgeSection(loc *i18n.Localizer, d *adminCohortInsightData, cohortPath, csrf string) {
	n := d.Nudge
	m.Raw("\n  <section class=\"insight-block stack-sm\" id=\"nudge\" aria-labelledby=\"nudge-h\">\n    <h3 id=\"nudge-h\">")
	if n.More {
		m.th(loc, "console.insight.nudge_title_more", len(n.Students))
	} else {
		m.th(loc, "console.insight.nudge_title", len(n.Students))
	}
	m.Raw("</h3>\n    <p class=\"muted\">")
	m.Text(loc.N("console.insight.nudge_intro", n.Days))
	m.Raw("</p>\n    <form class=\"filters\" method=\"get\" action=\"#nudge\" aria-label=\"")
	m.label(loc, "console.insight.quiet_label")
	m.Raw("\">\n      <div class=\"field\">\n        <label for=\"n-days\">")
	m.label(loc, "console.insight.quiet_days")
	m.Raw("</label>\n        <input id=\"n-days\" name=\"days\" type=\"number\" min=\"1\" max=\"365\" value=\"")
	m.Int(n.Days)
	m.Raw("\">\n      </div>\n      <button class=\"btn btn-secondary\" type=\"submit\">")
	m.label(loc, "console.filter.show")
	m.Raw("</button>\n    </form>\n    ")
	if len(n.Students) == 0 {
		m.Raw("\n    <p class=\"muted\">")
		m.Text(loc.N("console.insight.nobody", n.Days))
		m.Raw("</p>\n    \n  </section>")
		return
	}
	m.Raw("\n    <div class=\"table-wrap\">\n      <table class=\"table\">\n        <caption class=\"sr-only\">")
	m.label(loc, "console.insight.nudge_caption")
	m.Raw("</caption>\n        <thead><tr>")
	m.column(loc, "console.cohort.student")
	m.column(loc, "console.insight.readings")
	m.column(loc, "console.user.last_activity")
	m.column(loc, "console.insight.reminded")
	m.Raw("</tr></thead>\n        <tbody>\n        ")
	m.nudgeRows(loc, n)
	m.Raw("\n        </tbody>\n      </table>\n    </div>\n    ")
	if n.More {
		roster := "/admin/courses/" + d.Course.Slug + "/roster?cohort=" + strconv.FormatInt(d.Insight.Cohort.ID, 10) +
			"&show=at-risk&days=" + strconv.Itoa(n.Days)
		m.Raw(`<p class="small muted">`)
		m.trusted(loc.T("console.insight.more", "URL", template.HTMLEscapeString(roster)))
		m.Raw(`</p>`)
	}
	m.Raws("\n    <form method=\"post\" action=\"", cohortPath, "/insight/remind\">\n      <input type=\"hidden\" name=\"_csrf\" value=\"")
	m.Text(csrf)
	m.Raw("\">\n      <input type=\"hidden\" name=\"days\" value=\"")
	m.Int(n.Days)
	m.Raw("\">\n      <button class=\"btn btn-primary\" type=\"submit\">")
	m.label(loc, "console.insight.send")
	m.Raw("</button>\n    </form>\n    \n  </section>")
}
