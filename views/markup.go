package views

import (
	"html/template"
	"strconv"
	"sync"
)

// Markup is a part of a page written by hand, where html/template's
// reflection and escaping per value cost most of a page's time (the
// roster's rows, the insight pages' tables). Values are escaped exactly as
// html/template escapes them (AppendHTML, AppendURL, AppendMailto), so the
// part reads byte for byte as its template wrote it.
type Markup struct{ b []byte }

// markupBuffers keeps the buffers parts are written into between views.
var markupBuffers = sync.Pool{New: func() any { return &Markup{b: make([]byte, 0, 16<<10)} }}

// NewMarkup returns an empty Markup; HTML or Release gives it back.
func NewMarkup() *Markup {
	m := markupBuffers.Get().(*Markup)
	m.b = m.b[:0]
	return m
}

// Raw writes markup as it is: the page's own tags, or words escaped once.
func (m *Markup) Raw(s string) { m.b = append(m.b, s...) }

// Raws writes pieces of markup one after the other, without joining them
// into a string first.
func (m *Markup) Raws(parts ...string) {
	for _, p := range parts {
		m.b = append(m.b, p...)
	}
}

// Text writes character data or a quoted attribute's value, escaped.
func (m *Markup) Text(s string) { m.b = AppendHTML(m.b, s) }

// URL writes a URL the portal built as a quoted href's value.
func (m *Markup) URL(s string) { m.b = AppendURL(m.b, s) }

// Mailto writes a mailto: link to address as a quoted href's value.
func (m *Markup) Mailto(address string) { m.b = AppendMailto(m.b, address) }

// Int writes a number.
func (m *Markup) Int(n int) { m.b = strconv.AppendInt(m.b, int64(n), 10) }

// Int64 writes a number.
func (m *Markup) Int64(n int64) { m.b = strconv.AppendInt(m.b, n, 10) }

// Bytes is what was written so far, valid until Release.
func (m *Markup) Bytes() []byte { return m.b }

// HTML returns a copy of what was written and gives the buffer back.
func (m *Markup) HTML() template.HTML {
	out := template.HTML(m.b) //nolint:gosec // every value was escaped as it was written
	m.Release()
	return out
}

// Release gives the buffer back; m is not used again.
func (m *Markup) Release() { markupBuffers.Put(m) }
