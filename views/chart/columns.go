package chart

import "html/template"

// columnsHeight is the height of a column chart's viewBox.
const (
	columnsHeight = 250.0
	columnsBottom = 214.0
)

// Columns draws one column per point, with the marks as labelled lines
// across the plot: a drop-off curve with a reading's sections along it.
func Columns(c Chart, marks []Mark) template.HTML {
	s := newSVG()
	s.open(&c, "columns", width, columnsHeight)
	s.yAxis(&c, columnsBottom)
	n := max(len(c.Points), 1)
	band := (plotRight - plotLeft) / float64(n)
	top := c.axisMax()
	for i, p := range c.Points {
		h := round1((columnsBottom - plotTop) * p.Value / top)
		x := round1(plotLeft + band*float64(i) + band*0.1)
		s.raw(`<g class="chart-point" tabindex="0"><title>`).text(pointTitle(p))
		s.raw(`</title><rect class="chart-bar" x="`).num(x).raw(`" y="`).num(columnsBottom - h).
			raw(`" width="`).num(round1(max(band*0.8, 0.5))).raw(`" height="`).num(h).raw(`"/>`)
		// A transparent full-height target, so a short column is easy to hover.
		s.raw(`<rect class="chart-hit" x="`).num(round1(plotLeft + band*float64(i))).raw(`" y="`).num(plotTop).
			raw(`" width="`).num(round1(band)).raw(`" height="`).num(columnsBottom - plotTop).raw(`"/>`)
		s.note(p)
		s.raw(`</g>`)
	}
	s.marks(marks, band)
	s.columnLabels(c.Points, band)
	return s.close()
}

// marks draws each mark as a dashed line with its label written upwards.
func (s *svg) marks(marks []Mark, band float64) {
	if len(marks) == 0 {
		return
	}
	s.raw(`<g class="chart-marks">`)
	for _, m := range marks {
		x := round1(plotLeft + band*float64(m.At))
		s.raw(`<line class="chart-mark" x1="`).num(x).raw(`" x2="`).num(x).raw(`" y1="`).num(plotTop).
			raw(`" y2="`).num(columnsBottom).raw(`"/>`)
		s.raw(`<text class="chart-mark-label" transform="translate(`).num(x + 11).raw(" ").num(columnsBottom - 4).
			raw(`) rotate(-90)" font-size="11">`)
		s.text(clip(m.Label, maxLabel)).raw(`</text>`)
	}
	s.raw(`</g>`)
}

// columnLabels names the first and the last column under the axis, and a
// few between them when there is room.
func (s *svg) columnLabels(points []Point, band float64) {
	if len(points) == 0 {
		return
	}
	every := max(1, (len(points)+5)/6)
	s.raw(`<g class="chart-axis" aria-hidden="true">`)
	for i, p := range points {
		if i%every != 0 && i != len(points)-1 {
			continue
		}
		if i != len(points)-1 && len(points)-1-i < every/2 {
			continue // too close to the last label
		}
		x := round1(plotLeft + band*float64(i) + band/2)
		s.raw(`<text x="`).num(x).raw(`" y="`).num(columnsBottom + 18).raw(`" text-anchor="middle">`)
		s.text(clip(p.Label, 10)).raw(`</text>`)
	}
	s.raw(`</g>`)
}
