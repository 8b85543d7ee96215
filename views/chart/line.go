package chart

import "html/template"

// lineHeight is the height of a line chart's viewBox.
const (
	lineHeight = 230.0
	lineBottom = 196.0
)

// Line draws the points joined by a line, each a focusable dot: a value
// over time, like completions since a cohort started.
func Line(c Chart) template.HTML {
	s := newSVG()
	s.open(&c, "line", width, lineHeight)
	s.yAxis(&c, lineBottom)
	top := c.axisMax()
	xs, ys := make([]float64, len(c.Points)), make([]float64, len(c.Points))
	step := (plotRight - plotLeft - 8) / float64(max(len(c.Points)-1, 1))
	for i, p := range c.Points {
		xs[i] = round1(plotLeft + 4 + step*float64(i))
		ys[i] = round1(lineBottom - (lineBottom-plotTop)*p.Value/top)
	}
	if len(c.Points) > 1 {
		s.raw(`<polyline class="chart-path" points="`)
		for i := range xs {
			if i > 0 {
				s.raw(" ")
			}
			s.num(xs[i]).raw(",").num(ys[i])
		}
		s.raw(`"/>`)
	}
	for i, p := range c.Points {
		s.raw(`<g class="chart-point" tabindex="0"><title>`).text(pointTitle(p))
		s.raw(`</title><circle class="chart-dot" cx="`).num(xs[i]).raw(`" cy="`).num(ys[i]).raw(`" r="4"/>`)
		s.raw(`<circle class="chart-hit" cx="`).num(xs[i]).raw(`" cy="`).num(ys[i]).raw(`" r="10"/>`)
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
		s.raw(`<text x="`).num(xs[i]).raw(`" y="`).num(lineBottom + 18).raw(`" text-anchor="middle">`)
		s.text(clip(p.Label, 12)).raw(`</text>`)
	}
	s.raw(`</g>`)
}
