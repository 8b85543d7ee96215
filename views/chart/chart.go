// Package chart draws the console's charts as server-rendered SVG: columns
// (a drop-off curve with marks along its axis), a line over time, and
// horizontal bars (a funnel, a ranking). No script is needed to read them.
//
// Every chart is an <svg role="img"> named by its <title> and <desc>
// (aria-labelledby), coloured through CSS custom properties that fall back
// to currentColor, so it follows the page's light or dark scheme and prints.
// Each bar or point is focusable and carries a <title> (the tooltip on
// hover) and a hidden note shown on hover or keyboard focus. The page puts
// the same numbers in a table beside the chart.
//
// The package is the project's own: the Go chart libraries at hand
// (github.com/go-analyze/charts, gonum.org/v1/plot) draw SVG without a
// title and description, focusable points or CSS hooks for light, dark and
// print, and the three shapes below are a few hundred lines.
package chart

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Point is one value of a chart: a column, a point of a line or a bar.
type Point struct {
	// Label names the point on the axis (or beside a bar).
	Label string
	Value float64
	// Display is the value as the page writes it, like "80 %".
	Display string
	// Note is shown when the point is hovered or focused, like the first
	// words of a paragraph.
	Note string
}

// Mark is a labelled line across a column chart, before point At (0-based):
// the start of a section along a reading.
type Mark struct {
	At    int
	Label string
}

// Chart is what every shape needs: an id unique on the page (for the
// title and desc ids), a title, a description of what it shows, the
// points, and the value at the top of the scale (0: the largest value).
type Chart struct {
	ID     string
	Title  string
	Desc   string
	Points []Point
	Max    float64
	// Unit follows the scale's numbers, like " %".
	Unit string
}

// Geometry shared by the shapes, in viewBox units.
const (
	width      = 480.0
	plotLeft   = 44.0
	plotRight  = 470.0
	plotTop    = 34.0
	fontSize   = 13
	maxLabel   = 36 // characters of a mark's or bar's label drawn in the SVG
	ticksCount = 4
	noteChars  = 52 // characters of a point's note that fit across the chart
)

// scaleMax is the top of the value scale.
func (c *Chart) scaleMax() float64 {
	top := c.Max
	for _, p := range c.Points {
		top = max(top, p.Value)
	}
	if top <= 0 {
		return 1
	}
	return top
}

// axisMax is the top of a drawn axis: for counts (no unit), rounded up so
// that every tick is a whole number.
func (c *Chart) axisMax() float64 {
	top := c.scaleMax()
	if c.Unit == "" {
		return math.Ceil(top/ticksCount) * ticksCount
	}
	return top
}

// svg accumulates an SVG document with escaped text.
type svg struct{ b strings.Builder }

func (s *svg) raw(format string, args ...any) { fmt.Fprintf(&s.b, format, args...) }

// text writes escaped character data.
func (s *svg) text(t string) { s.b.WriteString(template.HTMLEscapeString(t)) }

// attr is an escaped attribute value.
func attr(v string) string { return template.HTMLEscapeString(v) }

// open starts the document: role, title and desc, named by aria-labelledby.
func (s *svg) open(c *Chart, kind string, w, height float64) {
	id := attr(c.ID)
	s.raw(`<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-%s" viewBox="0 0 %s %s" role="img" aria-labelledby="%s-title %s-desc" font-size="%d">`,
		kind, num(w), num(height), id, id, fontSize)
	s.raw(`<title id="%s-title">`, id)
	s.text(c.Title)
	s.raw(`</title><desc id="%s-desc">`, id)
	s.text(c.Desc)
	s.raw(`</desc>`)
}

func (s *svg) close() template.HTML {
	s.raw(`</svg>`)
	return template.HTML(s.b.String()) //nolint:gosec // every text and attribute above is escaped
}

// yAxis draws the value scale's grid lines and numbers.
func (s *svg) yAxis(c *Chart, bottom float64) {
	top := c.axisMax()
	s.raw(`<g class="chart-axis" aria-hidden="true">`)
	for i := 0; i <= ticksCount; i++ {
		v := top * float64(i) / ticksCount
		y := bottom - (bottom-plotTop)*float64(i)/ticksCount
		s.raw(`<line class="chart-grid" x1="%s" x2="%s" y1="%s" y2="%s"/>`, num(plotLeft), num(plotRight), num(y), num(y))
		s.raw(`<text x="%s" y="%s" text-anchor="end" dominant-baseline="middle">`, num(plotLeft-4), num(y))
		s.text(tickLabel(v) + c.Unit)
		s.raw(`</text>`)
	}
	s.raw(`</g>`)
}

// pointTitle is what a point's tooltip says.
func pointTitle(p Point) string {
	t := p.Label + ": " + p.Display
	if p.Note != "" {
		t += " — " + p.Note
	}
	return t
}

// note draws the text shown while a point is hovered or focused, at the top
// of the chart.
func (s *svg) note(p Point) {
	s.raw(`<text class="chart-note" x="%s" y="%s">`, num(plotLeft), num(plotTop-14))
	s.text(clip(pointTitle(p), noteChars))
	s.raw(`</text>`)
}

// num writes a coordinate with at most one decimal.
func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// tickLabel writes a scale number without needless decimals.
func tickLabel(v float64) string {
	if v == float64(int64(v)) || v >= 10 {
		return strconv.FormatInt(int64(v+0.5), 10)
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

// clip shortens a label to n characters with an ellipsis.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// round1 keeps one decimal of a coordinate.
func round1(v float64) float64 { return float64(int64(v*10+0.5)) / 10 }
