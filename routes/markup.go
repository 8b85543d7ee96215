package routes

import (
	"html/template"
	"strconv"
	"strings"
	"sync"

	"courseportal/views"
)

// markup writes a long table's rows by hand, where html/template's
// reflection and escaping per value cost most of a page's time. Text and
// quoted attribute values are escaped exactly as html/template escapes
// them (views.AppendHTML), so the page reads the same byte for byte.
type markup struct{ b []byte }

// markupBuffers keeps the buffers the tables are written into between views.
var markupBuffers = sync.Pool{New: func() any { return &markup{b: make([]byte, 0, 16<<10)} }}

func newMarkup() *markup {
	m := markupBuffers.Get().(*markup)
	m.b = m.b[:0]
	return m
}

// html returns what was written and gives the buffer back.
func (m *markup) html() template.HTML {
	out := template.HTML(m.b) //nolint:gosec // every value was escaped as it was written
	markupBuffers.Put(m)
	return out
}

// raw writes markup as it is: the page's own tags.
func (m *markup) raw(s string) { m.b = append(m.b, s...) }

// raws writes pieces of markup one after the other, without joining them
// into a string first.
func (m *markup) raws(parts ...string) {
	for _, p := range parts {
		m.b = append(m.b, p...)
	}
}

// text writes character data or a quoted attribute's value, escaped.
func (m *markup) text(s string) { m.b = views.AppendHTML(m.b, s) }

// int writes a number.
func (m *markup) int(n int) { m.b = strconv.AppendInt(m.b, int64(n), 10) }

// int64 writes a number.
func (m *markup) int64(n int64) { m.b = strconv.AppendInt(m.b, n, 10) }

// escapeHTML is s escaped as html/template escapes a value in text or in a
// quoted attribute.
func escapeHTML(s string) string {
	if !strings.ContainsAny(s, "\x00\"&'+<>") {
		return s
	}
	return string(views.AppendHTML(nil, s))
}
