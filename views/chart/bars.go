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
	var s svg
	height := barsTop + barRow*float64(max(len(c.Points), 1)) + 4
	s.open(&c, "bars", barsWidth, height)
	top := c.scaleMax()
	span := barsWidth - barsLeft - valueSpace
	for i, p := range c.Points {
		y := barsTop + barRow*float64(i)
		w := round1(span * p.Value / top)
		s.raw(`<g class="chart-point" tabindex="0"><title>`)
		s.text(pointTitle(p))
		s.raw(`</title><text class="chart-label" x="%s" y="%s">`, num(barsLeft), num(y+12))
		s.text(clip(p.Label, 48))
		s.raw(`</text><rect class="chart-track" x="%s" y="%s" width="%s" height="%s"/>`,
			num(barsLeft), num(y+18), num(span), num(barHeight))
		s.raw(`<rect class="chart-bar" x="%s" y="%s" width="%s" height="%s"/>`,
			num(barsLeft), num(y+18), num(w), num(barHeight))
		s.raw(`<text class="chart-value" x="%s" y="%s" dominant-baseline="middle">`, num(barsLeft+w+6), num(y+18+barHeight/2))
		s.text(p.Display)
		s.raw(`</text></g>`)
	}
	return s.close()
}
