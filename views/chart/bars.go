package chart

import "html/template"

// Geometry of horizontal bars: a label line above each bar. The viewBox is
// narrower than the other charts', so labels stay legible on a phone.
const (
	barsWidth  = 360.0
	barsTop    = 8.0
	barRow     = 40.0
	barHeight  = 16.0
	barsLeft   = 8.0
	valueSpace = 70.0
)

// Bars draws one horizontal bar per point, its label above it and its
// value after it: a funnel, or one bar per section or question.
func Bars(c Chart) template.HTML {
	s := newSVG()
	height := barsTop + barRow*float64(max(len(c.Points), 1)) + 4
	s.open(&c, "bars", barsWidth, height)
	top := c.scaleMax()
	span := barsWidth - barsLeft - valueSpace
	for i, p := range c.Points {
		y := barsTop + barRow*float64(i)
		w := round1(span * p.Value / top)
		s.raw(`<g class="chart-point" tabindex="0"><title>`).text(pointTitle(p))
		s.raw(`</title><text class="chart-label" x="`).num(barsLeft).raw(`" y="`).num(y + 12).raw(`">`)
		s.text(clip(p.Label, 48))
		s.raw(`</text><rect class="chart-track" x="`).num(barsLeft).raw(`" y="`).num(y + 18).
			raw(`" width="`).num(span).raw(`" height="`).num(barHeight).raw(`"/>`)
		s.raw(`<rect class="chart-bar" x="`).num(barsLeft).raw(`" y="`).num(y + 18).
			raw(`" width="`).num(w).raw(`" height="`).num(barHeight).raw(`"/>`)
		s.raw(`<text class="chart-value" x="`).num(barsLeft + w + 6).raw(`" y="`).num(y + 18 + barHeight/2).
			raw(`" dominant-baseline="middle">`)
		s.text(p.Display).raw(`</text></g>`)
	}
	return s.close()
}
