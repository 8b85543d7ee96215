package routes

import (
	"bytes"
	"cmp"
	"html/template"

	"courseportal/views"
)

// The roster's filters and table headings are written in Go too, as the
// template wrote them (TestRosterHeadAndOptionsWriteWhatTheTemplateWrote):
// some thirty options and six sort links a view, each value escaped by the
// template through reflection.

// optionsHTML writes a select's options.
func optionsHTML(opts []rosterOption) template.HTML {
	var b bytes.Buffer
	for _, o := range opts {
		b.WriteString(`<option value="`)
		views.WriteHTML(&b, o.Value)
		b.WriteByte('"')
		if o.Selected {
			b.WriteString(" selected")
		}
		b.WriteByte('>')
		views.WriteHTML(&b, o.Label)
		b.WriteString("</option>")
	}
	return template.HTML(b.String()) //nolint:gosec // every value is escaped as it is written
}

// headHTML writes the table's heading cells: the student's name and email
// share the first column, each with its sort link.
func headHTML(cols []rosterColumn) template.HTML {
	var b bytes.Buffer
	name, email := cols[0], cols[1]
	headCell(&b, cmp.Or(name.AriaSort, email.AriaSort))
	sortLink(&b, name)
	b.WriteString(` <span aria-hidden="true">·</span> `)
	sortLink(&b, email)
	b.WriteString("</th>\n        ")
	for _, c := range cols[2:] {
		headCell(&b, c.AriaSort)
		sortLink(&b, c)
		b.WriteString("</th>")
	}
	return template.HTML(b.String()) //nolint:gosec // every value is escaped as it is written
}

// headCell opens a heading cell, sorted one way when ariaSort says so.
func headCell(b *bytes.Buffer, ariaSort string) {
	b.WriteString(`<th scope="col"`)
	if ariaSort != "" {
		b.WriteString(` aria-sort="`)
		views.WriteHTML(b, ariaSort)
		b.WriteByte('"')
	}
	b.WriteByte('>')
}

// sortLink is a column's label linking to its sort, with the arrow of the
// current one.
func sortLink(b *bytes.Buffer, c rosterColumn) {
	b.WriteString(`<a href="`)
	views.WriteURL(b, c.URL)
	b.WriteString(`">`)
	views.WriteHTML(b, c.Label)
	if c.Arrow != "" {
		b.WriteString(` <span aria-hidden="true">`)
		views.WriteHTML(b, c.Arrow)
		b.WriteString("</span>")
	}
	b.WriteString("</a>")
}
