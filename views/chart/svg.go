package chart

import (
	"html/template"
	"strconv"
	"sync"
)

// svg accumulates an SVG document with escaped text, appended to a buffer
// kept between charts: a drop-off curve is hundreds of elements, and
// formatting each through fmt cost a page more than its queries.
type svg struct{ b []byte }

var svgBuffers = sync.Pool{New: func() any { return &svg{b: make([]byte, 0, 16<<10)} }}

func newSVG() *svg {
	s := svgBuffers.Get().(*svg)
	s.b = s.b[:0]
	return s
}

// raw writes markup as it is.
func (s *svg) raw(markup string) *svg {
	s.b = append(s.b, markup...)
	return s
}

// num writes a coordinate with no needless digits (they carry at most one
// decimal: see round1).
func (s *svg) num(v float64) *svg {
	s.b = strconv.AppendFloat(s.b, v, 'f', -1, 64)
	return s
}

// text writes character data or an attribute's value escaped as
// template.HTMLEscapeString escapes it.
func (s *svg) text(t string) *svg {
	last := 0
	for i := 0; i < len(t); i++ {
		var esc string
		switch t[i] {
		case 0:
			esc = "\uFFFD"
		case '"':
			esc = "&#34;"
		case '\'':
			esc = "&#39;"
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		default:
			continue
		}
		s.b = append(append(s.b, t[last:i]...), esc...)
		last = i + 1
	}
	s.b = append(s.b, t[last:]...)
	return s
}

// open starts the document: role, title and desc, named by aria-labelledby.
func (s *svg) open(c *Chart, kind string, w, height float64) {
	s.raw(`<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-`).raw(kind).raw(`" viewBox="0 0 `).num(w).raw(" ").num(height).
		raw(`" role="img" aria-labelledby="`).text(c.ID).raw("-title ").text(c.ID).raw(`-desc" font-size="`).num(fontSize).raw(`">`)
	s.raw(`<title id="`).text(c.ID).raw(`-title">`).text(c.Title)
	s.raw(`</title><desc id="`).text(c.ID).raw(`-desc">`).text(c.Desc).raw(`</desc>`)
}

// close ends the document and gives the buffer back.
func (s *svg) close() template.HTML {
	s.raw(`</svg>`)
	out := template.HTML(s.b) //nolint:gosec // every text and attribute above is escaped
	svgBuffers.Put(s)
	return out
}

// yAxis draws the value scale's grid lines and numbers.
func (s *svg) yAxis(c *Chart, bottom float64) {
	top := c.axisMax()
	s.raw(`<g class="chart-axis" aria-hidden="true">`)
	for i := 0; i <= ticksCount; i++ {
		v := top * float64(i) / ticksCount
		y := bottom - (bottom-plotTop)*float64(i)/ticksCount
		s.raw(`<line class="chart-grid" x1="`).num(plotLeft).raw(`" x2="`).num(plotRight).raw(`" y1="`).num(y).raw(`" y2="`).num(y).raw(`"/>`)
		s.raw(`<text x="`).num(plotLeft - 4).raw(`" y="`).num(y).raw(`" text-anchor="end" dominant-baseline="middle">`)
		s.text(tickLabel(v)).text(c.Unit).raw(`</text>`)
	}
	s.raw(`</g>`)
}

// note draws the text shown while a point is hovered or focused, at the top
// of the chart.
func (s *svg) note(p Point) {
	s.raw(`<text class="chart-note" x="`).num(plotLeft).raw(`" y="`).num(plotTop - 14).raw(`">`)
	s.text(clip(pointTitle(p), noteChars)).raw(`</text>`)
}
