package routes

import (
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
	b := views.NewMarkup()
	for _, o := range opts {
		b.Raw(`<option value="`)
		b.Text(o.Value)
		b.Raw(`"`)
		if o.Selected {
			b.Raw(" selected")
		}
		b.Raw(">")
		b.Text(o.Label)
		b.Raw("</option>")
	}
	return b.HTML()
}

// headHTML writes the table's heading cells: the student's name and email
// share the first column, each with its sort link.
func headHTML(cols []rosterColumn) template.HTML {
	b := views.NewMarkup()
	name, email := cols[0], cols[1]
	headCell(b, cmp.Or(name.AriaSort, email.AriaSort))
	sortLink(b, name)
	b.Raw(` <span aria-hidden="true">·</span> `)
	sortLink(b, email)
	b.Raw("</th>\n        ")
	for _, c := range cols[2:] {
		headCell(b, c.AriaSort)
		sortLink(b, c)
		b.Raw("</th>")
	}
	return b.HTML()
}

// headCell opens a heading cell, sorted one way when ariaSort says so.
func headCell(b *views.Markup, ariaSort string) {
	b.Raw(`<th scope="col"`)
	if ariaSort != "" {
		b.Raw(` aria-sort="`)
		b.Text(ariaSort)
		b.Raw(`"`)
	}
	b.Raw(">")
}

// sortLink is a column's label linking to its sort, with the arrow of the
// current one.
func sortLink(b *views.Markup, c rosterColumn) {
	b.Raw(`<a href="`)
	b.URL(c.URL)
	b.Raw(`">`)
	b.Text(c.Label)
	if c.Arrow != "" {
		b.Raw(` <span aria-hidden="true">`)
		b.Text(c.Arrow)
		b.Raw("</span>")
	}
	b.Raw("</a>")
}
