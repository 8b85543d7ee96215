package routes

import (
	"html/template"

	"courseportal/views"
	"courseportal/views/i18n"
)

// The reading insight page's body, below the course header, written as
// its template laid it out: a sixty-odd messages and values a view, where
// html/template's reflection cost more than the tables and charts.

// label writes a message as text or a quoted attribute's value.
func (m markup) label(loc *i18n.Localizer, id string) { m.Text(loc.T(id)) }

// trusted writes one of the portal's own messages that carries markup, as
// html/template writes template.HTML; its values must be escaped already.
func (m markup) trusted(message string) { m.Raw(message) }

// th writes a message with markup whose only value is a count.
func (m markup) th(loc *i18n.Localizer, id string, count int) { m.trusted(loc.T(id, "Count", count)) }

// info writes a message as a note of information.
func (m markup) info(loc *i18n.Localizer, id string) {
	m.Raw(`<p class="flash flash-info">`)
	m.label(loc, id)
	m.Raw(`</p>`)
}

// column writes a table head's cell.
func (m markup) column(loc *i18n.Localizer, id string) {
	m.Raw(`<th scope="col">`)
	m.label(loc, id)
	m.Raw(`</th>`)
}

// tableHead opens an insight table: its hidden caption and its head's
// columns, up to its body's rows.
func (m markup) tableHead(loc *i18n.Localizer, compact bool, caption string, columns ...string) {
	m.Raw("\n      <div class=\"table-wrap insight-table\">\n        <table class=\"table")
	if compact {
		m.Raw(" table-compact")
	}
	m.Raw("\">\n          <caption class=\"sr-only\">")
	m.label(loc, caption)
	m.Raw("</caption>\n          <thead><tr>")
	for _, c := range columns {
		m.column(loc, c)
	}
	m.Raw("</tr></thead>\n          <tbody>\n          ")
}

// tableEnd closes what tableHead opened, and the block's section.
func (m markup) tableEnd() {
	m.Raw("\n          </tbody>\n        </table>\n      </div>\n    </div>\n  </section>")
}

// blockHead opens a section of charts and tables with its heading.
func (m markup) blockHead(loc *i18n.Localizer, id, title, pair string) {
	m.Raw("\n\n  <section class=\"insight-block\" aria-labelledby=\"")
	m.Raw(id)
	m.Raw("\">\n    <h3 id=\"")
	m.Raw(id)
	m.Raw("\">")
	m.label(loc, title)
	m.Raw("</h3>\n    <div class=\"")
	m.Raw(pair)
	m.Raw("\">\n      <figure class=\"insight-figure\">")
}

// readingInsightBody writes the page's body.
func readingInsightBody(loc *i18n.Localizer, d *adminReadingInsightData) template.HTML {
	m := newMarkup()
	in, slug := d.Insight, views.EscapeHTML(d.Course.Slug)
	m.Raw("\n  \n  \n  <nav class=\"small\" aria-label=\"")
	m.label(loc, "console.breadcrumb")
	m.Raws(`"><a href="/admin/courses/`, slug, `/readings">`)
	m.label(loc, "console.course_header.readings")
	m.Raws(`</a> › <a href="/admin/courses/`, slug, `/readings/`)
	m.Text(in.Reading.Slug)
	m.Raw(`">`)
	m.Text(in.Reading.Title)
	m.Raw(`</a> › `)
	m.label(loc, "console.insight.crumb")
	m.Raw("</nav>\n  <div class=\"row row-between\">\n    <h2>")
	m.Text(loc.T("console.insight.reading_title", "Title", in.Reading.Title))
	m.Raw("</h2>\n    <a class=\"btn btn-secondary btn-sm\" href=\"")
	m.Text(d.CSV)
	m.Raw(`" download>`)
	m.label(loc, "console.insight.csv")
	m.Raw("</a>\n  </div>\n  <form class=\"filters\" method=\"get\" aria-label=\"")
	m.label(loc, "console.insight.choose_cohort")
	m.Raw("\">\n    <div class=\"field\">\n      <label for=\"i-cohort\">")
	m.label(loc, "console.cohorts.cohort")
	m.Raw("</label>\n      <select id=\"i-cohort\" name=\"cohort\"><option value=\"all\">")
	m.label(loc, "console.insight.every_cohort")
	m.Raw(`</option>`)
	for _, k := range d.Cohorts {
		m.Raw(`<option value="`)
		m.Int64(k.ID)
		m.Raw(`"`)
		if in.Cohort != nil && in.Cohort.ID == k.ID {
			m.Raw(` selected`)
		}
		m.Raw(`>`)
		m.Text(k.Name)
		m.Raw(`</option>`)
	}
	m.Raw("</select>\n    </div>\n    <button class=\"btn btn-primary\" type=\"submit\">")
	m.label(loc, "console.filter.show")
	m.Raw("</button>\n  </form>\n  <ul class=\"insight-summary\" aria-label=\"")
	m.label(loc, "console.insight.in_numbers")
	m.Raw("\">\n    <li>")
	if in.Cohort != nil {
		m.trusted(loc.N("console.insight.students_in", in.Students, "Cohort", template.HTMLEscapeString(in.Cohort.Name)))
	} else {
		m.trusted(loc.N("console.insight.students_all", in.Students))
	}
	m.Raw("</li>\n    <li>")
	m.th(loc, "console.insight.opened", in.Opened)
	m.Raw("</li>\n    <li>")
	m.th(loc, "console.insight.never_scrolled", in.NeverScrolled)
	m.Raw("</li>\n    <li>")
	m.th(loc, "console.insight.completed", in.Completed)
	m.Raw("</li>\n  </ul>\n  ")
	if in.Small() {
		m.info(loc, "console.insight.small_reading")
	}

	m.blockHead(loc, "drop-off-h", "console.insight.drop_off_title", "insight-pair insight-pair-wide")
	m.Raw(string(d.DropOff))
	m.Raw(`<figcaption class="small muted">`)
	m.label(loc, "console.insight.drop_off_note")
	m.Raw(`</figcaption></figure>`)
	if in.Small() {
		m.tableHead(loc, false, "console.insight.drop_off_caption", "console.insight.paragraph", "console.insight.reached",
			"console.insight.stopped", "console.insight.first_words")
	} else {
		m.tableHead(loc, false, "console.insight.drop_off_caption", "console.insight.paragraph", "console.insight.reached",
			"console.insight.share", "console.insight.stopped", "console.insight.first_words")
	}
	m.paragraphRows(loc, d.Course.Slug, in)
	m.tableEnd()

	m.blockHead(loc, "sections-h", "console.insight.sections_title", "insight-pair")
	m.Raw(string(d.Sections))
	m.Raw(`<figcaption class="small muted">`)
	m.trusted(loc.T("console.insight.sections_note"))
	m.Raw(`</figcaption></figure>`)
	m.tableHead(loc, true, "console.insight.sections_caption", "console.insight.section", "console.insight.reached", "console.insight.median")
	m.sectionRows(in, d.names, d.medians)
	m.tableEnd()

	m.blockHead(loc, "completions-h", "console.insight.completions_title", "insight-pair")
	m.Raw(string(d.Completions))
	m.Raw(`</figure>`)
	m.tableHead(loc, true, "console.insight.completions_caption", "console.insight.day", "console.insight.completed_that_day",
		"console.insight.to_date")
	m.completionRows(loc, in)
	m.tableEnd()

	m.Raw("\n\n  ")
	if a := in.Check; a != nil {
		m.Raw("\n  <section class=\"insight-block\" aria-labelledby=\"items-h\">\n    <h3 id=\"items-h\">")
		m.label(loc, "console.check.title")
		m.Raw("</h3>\n    <div class=\"insight-pair\">\n      <figure class=\"insight-figure\">")
		m.Raw(string(d.Items))
		m.Raw(`<figcaption class="small muted">`)
		m.Text(loc.T("console.insight.items_note", "Count", a.Takers))
		m.Raw(`</figcaption></figure>`)
		m.tableHead(loc, true, "console.insight.items_caption", "console.insight.question", "console.insight.right",
			"console.insight.share", "console.insight.tells_apart")
		m.itemRows(loc, a, d.labels)
		m.tableEnd()
		m.Raw("\n  ")
	}
	m.Raw("\n  ")
	return m.HTML()
}
