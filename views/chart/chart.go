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

// pointTitle is what a point's tooltip says.
func pointTitle(p Point) string {
	t := p.Label + ": " + p.Display
	if p.Note != "" {
		t += " — " + p.Note
	}
	return t
}

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
