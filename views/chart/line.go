package chart

import (
	"html/template"
	"strings"
)

// lineHeight is the height of a line chart's viewBox.
const (
	lineHeight = 230.0
	lineBottom = 196.0
)

// Line draws the points joined by a line, each a focusable dot: a value
// over time, like completions since a cohort started.
func Line(c Chart) template.HTML {
	var s svg
	s.open(&c, "line", width, lineHeight)
	s.yAxis(&c, lineBottom)
	top := c.axisMax()
	xs, ys := make([]float64, len(c.Points)), make([]float64, len(c.Points))
	step := (plotRight - plotLeft - 8) / float64(max(len(c.Points)-1, 1))
	var path strings.Builder
	for i, p := range c.Points {
		xs[i] = round1(plotLeft + 4 + step*float64(i))
		ys[i] = round1(lineBottom - (lineBottom-plotTop)*p.Value/top)
		if i > 0 {
			path.WriteByte(' ')
		}
		path.WriteString(num(xs[i]) + "," + num(ys[i]))
	}
	if len(c.Points) > 1 {
		s.raw(`<polyline class="chart-path" points="%s"/>`, path.String())
	}
	for i, p := range c.Points {
		s.raw(`<g class="chart-point" tabindex="0"><title>`)
		s.text(pointTitle(p))
		s.raw(`</title><circle class="chart-dot" cx="%s" cy="%s" r="4"/>`, num(xs[i]), num(ys[i]))
		s.raw(`<circle class="chart-hit" cx="%s" cy="%s" r="10"/>`, num(xs[i]), num(ys[i]))
		s.note(p)
		s.raw(`</g>`)
	}
	s.lineLabels(c.Points, xs)
	return s.close()
}

// lineLabels names about six points under the axis, the last always.
func (s *svg) lineLabels(points []Point, xs []float64) {
	every := max(1, (len(points)+5)/6)
	s.raw(`<g class="chart-axis" aria-hidden="true">`)
	for i, p := range points {
		last := i == len(points)-1
		if (i%every != 0 && !last) || (!last && len(points)-1-i < every/2) {
			continue
		}
		s.raw(`<text x="%s" y="%s" text-anchor="middle">`, num(xs[i]), num(lineBottom+18))
		s.text(clip(p.Label, 12))
		s.raw(`</text>`)
	}
	s.raw(`</g>`)
}
