package routes

import (
	"html/template"

	"courseportal/views/i18n"
)

// The reading insight page's body, below the course header, written as
// its template laid it out: a sixty-odd messages and values a view, where
// html/template's reflection cost more than the tables and charts.

// label writes a message as text or a quoted attribute's value.
func (m *markup) label(loc *i18n.Localizer, id string) { m.text(loc.T(id)) }

// trusted writes one of the portal's own messages that carries markup, as
// html/template writes template.HTML; its values must be escaped already.
func (m *markup) trusted(message string) { m.raw(message) }

// th writes a message with markup whose only value is a count.
func (m *markup) th(loc *i18n.Localizer, id string, count int) { m.trusted(loc.T(id, "Count", count)) }

// info writes a message as a note of information.
func (m *markup) info(loc *i18n.Localizer, id string) {
	m.raw(`<p class="flash flash-info">`)
	m.label(loc, id)
	m.raw(`</p>`)
}

// column writes a table head's cell.
func (m *markup) column(loc *i18n.Localizer, id string) {
	m.raw(`<th scope="col">`)
	m.label(loc, id)
	m.raw(`</th>`)
}

// tableHead opens an insight table: its hidden caption and its head's
// columns, up to its body's rows.
func (m *markup) tableHead(loc *i18n.Localizer, compact bool, caption string, columns ...string) {
	m.raw("\n      <div class=\"table-wrap insight-table\">\n        <table class=\"table")
	if compact {
		m.raw(" table-compact")
	}
	m.raw("\">\n          <caption class=\"sr-only\">")
	m.label(loc, caption)
	m.raw("</caption>\n          <thead><tr>")
	for _, c := range columns {
		m.column(loc, c)
	}
	m.raw("</tr></thead>\n          <tbody>\n          ")
}

// tableEnd closes what tableHead opened, and the block's section.
func (m *markup) tableEnd() {
	m.raw("\n          </tbody>\n        </table>\n      </div>\n    </div>\n  </section>")
}

// blockHead opens a section of charts and tables with its heading.
func (m *markup) blockHead(loc *i18n.Localizer, id, title, pair string) {
	m.raw("\n\n  <section class=\"insight-block\" aria-labelledby=\"")
	m.raw(id)
	m.raw("\">\n    <h3 id=\"")
	m.raw(id)
	m.raw("\">")
	m.label(loc, title)
	m.raw("</h3>\n    <div class=\"")
	m.raw(pair)
	m.raw("\">\n      <figure class=\"insight-figure\">")
}

// readingInsightBody writes the page's body.
func readingInsightBody(loc *i18n.Localizer, d *adminReadingInsightData) template.HTML {
	m := newMarkup()
	in, slug := d.Insight, escapeHTML(d.Course.Slug)
	m.raw("\n  \n  \n  <nav class=\"small\" aria-label=\"")
	m.label(loc, "console.breadcrumb")
	m.raws(`"><a href="/admin/courses/`, slug, `/readings">`)
	m.label(loc, "console.course_header.readings")
	m.raws(`</a> › <a href="/admin/courses/`, slug, `/readings/`)
	m.text(in.Reading.Slug)
	m.raw(`">`)
	m.text(in.Reading.Title)
	m.raw(`</a> › `)
	m.label(loc, "console.insight.crumb")
	m.raw("</nav>\n  <div class=\"row row-between\">\n    <h2>")
	m.text(loc.T("console.insight.reading_title", "Title", in.Reading.Title))
	m.raw("</h2>\n    <a class=\"btn btn-secondary btn-sm\" href=\"")
	m.text(d.CSV)
	m.raw(`" download>`)
	m.label(loc, "console.insight.csv")
	m.raw("</a>\n  </div>\n  <form class=\"filters\" method=\"get\" aria-label=\"")
	m.label(loc, "console.insight.choose_cohort")
	m.raw("\">\n    <div class=\"field\">\n      <label for=\"i-cohort\">")
	m.label(loc, "console.cohorts.cohort")
	m.raw("</label>\n      <select id=\"i-cohort\" name=\"cohort\"><option value=\"all\">")
	m.label(loc, "console.insight.every_cohort")
	m.raw(`</option>`)
	for _, k := range d.Cohorts {
		m.raw(`<option value="`)
		m.int64(k.ID)
		m.raw(`"`)
		if in.Cohort != nil && in.Cohort.ID == k.ID {
			m.raw(` selected`)
		}
		m.raw(`>`)
		m.text(k.Name)
		m.raw(`</option>`)
	}
	m.raw("</select>\n    </div>\n    <button class=\"btn btn-primary\" type=\"submit\">")
	m.label(loc, "console.filter.show")
	m.raw("</button>\n  </form>\n  <ul class=\"insight-summary\" aria-label=\"")
	m.label(loc, "console.insight.in_numbers")
	m.raw("\">\n    <li>")
	if in.Cohort != nil {
		m.trusted(loc.N("console.insight.students_in", in.Students, "Cohort", template.HTMLEscapeString(in.Cohort.Name)))
	} else {
		m.trusted(loc.N("console.insight.students_all", in.Students))
	}
	m.raw("</li>\n    <li>")
	m.th(loc, "console.insight.opened", in.Opened)
	m.raw("</li>\n    <li>")
	m.th(loc, "console.insight.never_scrolled", in.NeverScrolled)
	m.raw("</li>\n    <li>")
	m.th(loc, "console.insight.completed", in.Completed)
	m.raw("</li>\n  </ul>\n  ")
	if in.Small() {
		m.info(loc, "console.insight.small_reading")
	}

	m.blockHead(loc, "drop-off-h", "console.insight.drop_off_title", "insight-pair insight-pair-wide")
	m.raw(string(d.DropOff))
	m.raw(`<figcaption class="small muted">`)
	m.label(loc, "console.insight.drop_off_note")
	m.raw(`</figcaption></figure>`)
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
	m.raw(string(d.Sections))
	m.raw(`<figcaption class="small muted">`)
	m.trusted(loc.T("console.insight.sections_note"))
	m.raw(`</figcaption></figure>`)
	m.tableHead(loc, true, "console.insight.sections_caption", "console.insight.section", "console.insight.reached", "console.insight.median")
	m.sectionRows(in, d.names, d.medians)
	m.tableEnd()

	m.blockHead(loc, "completions-h", "console.insight.completions_title", "insight-pair")
	m.raw(string(d.Completions))
	m.raw(`</figure>`)
	m.tableHead(loc, true, "console.insight.completions_caption", "console.insight.day", "console.insight.completed_that_day",
		"console.insight.to_date")
	m.completionRows(loc, in)
	m.tableEnd()

	m.raw("\n\n  ")
	if a := in.Check; a != nil {
		m.raw("\n  <section class=\"insight-block\" aria-labelledby=\"items-h\">\n    <h3 id=\"items-h\">")
		m.label(loc, "console.check.title")
		m.raw("</h3>\n    <div class=\"insight-pair\">\n      <figure class=\"insight-figure\">")
		m.raw(string(d.Items))
		m.raw(`<figcaption class="small muted">`)
		m.text(loc.T("console.insight.items_note", "Count", a.Takers))
		m.raw(`</figcaption></figure>`)
		m.tableHead(loc, true, "console.insight.items_caption", "console.insight.question", "console.insight.right",
			"console.insight.share", "console.insight.tells_apart")
		m.itemRows(loc, a, d.labels)
		m.tableEnd()
		m.raw("\n  ")
	}
	m.raw("\n  ")
	return m.html()
}
