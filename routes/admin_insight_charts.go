package routes

import (
	"fmt"
	"html/template"
	"strconv"

	"courseportal/models"
	"courseportal/views/chart"
	"courseportal/views/i18n"
)

// shareOrCount is a chart's value for part of a class: a percentage, or the
// count itself when the class is too small for shares to stay anonymous.
type shareOrCount struct {
	small    bool
	students int
}

func (s shareOrCount) value(part int) (float64, string) {
	if s.small {
		return float64(part), strconv.Itoa(part)
	}
	share := 0
	if s.students > 0 {
		share = (part*100 + s.students/2) / s.students
	}
	return float64(share), strconv.Itoa(share) + " %"
}

// scale is the top of the axis and its unit.
func (s shareOrCount) scale() (float64, string) {
	if s.small {
		return float64(max(s.students, 1)), ""
	}
	return 100, " %"
}

// measure is "count" or "share": the charts' descriptions say which they show.
func (s shareOrCount) measure() string {
	if s.small {
		return "count"
	}
	return "share"
}

// dropOffChart is the share (or count) who reached each paragraph, with
// the sections marked where they start (names: the sections' names).
func dropOffChart(loc *i18n.Localizer, in *models.ReadingInsight, names []string) template.HTML {
	sc := shareOrCount{small: in.Small(), students: in.Students}
	top, unit := sc.scale()
	c := chart.Chart{ID: "drop-off", Title: loc.T("console.chart.drop_off.title", "Title", in.Reading.Title),
		Max: top, Unit: unit,
		Desc: loc.N("console.chart.drop_off."+sc.measure(), in.Students, "Paragraphs", len(in.Paragraphs))}
	for _, p := range in.Paragraphs {
		v, shown := sc.value(p.Reached)
		c.Points = append(c.Points, chart.Point{Label: "p-" + strconv.Itoa(p.Number), Value: v, Display: shown, Note: p.Opening})
	}
	var marks []chart.Mark
	for i, s := range in.Sections {
		if s.First > 1 {
			marks = append(marks, chart.Mark{At: s.First - 1, Label: names[i]})
		}
	}
	return chart.Columns(c, marks)
}

// sectionChart is the median time each section held its readers, with
// the sections' names and medians worded.
func sectionChart(loc *i18n.Localizer, in *models.ReadingInsight, names, medians []string) template.HTML {
	c := chart.Chart{ID: "sections", Title: loc.T("console.chart.sections.title"), Desc: loc.T("console.chart.sections.desc")}
	for i, s := range in.Sections {
		c.Points = append(c.Points, chart.Point{Label: names[i], Value: float64(s.MedianSeconds), Display: medians[i]})
	}
	return chart.Bars(c)
}

// sectionName is a section's heading, or words for a section without one.
func sectionName(loc *i18n.Localizer, s models.SectionTime) string {
	if s.Title != "" {
		return s.Title
	}
	return loc.T("console.insight.section_" + s.Untitled)
}

// completionChart is completions over the days since the cohort started.
func completionChart(loc *i18n.Localizer, in *models.ReadingInsight) template.HTML {
	sc := shareOrCount{small: in.Small(), students: in.Students}
	top, unit := sc.scale()
	c := chart.Chart{ID: "completions", Title: loc.T("console.chart.completions.title"), Max: top, Unit: unit,
		Desc: loc.N("console.chart.completions."+sc.measure(), in.Students)}
	for _, d := range in.Completions {
		v, shown := sc.value(d.Total)
		c.Points = append(c.Points, chart.Point{Label: loc.T("console.chart.day", "Day", d.Day), Value: v, Display: shown})
	}
	return chart.Line(c)
}

// itemChart is the share of first attempts that got each question right,
// with the questions' labels worded.
func itemChart(loc *i18n.Localizer, a *models.ItemAnalysis, labels []string) template.HTML {
	c := chart.Chart{ID: "items", Title: loc.T("console.chart.items.title"), Max: 100, Unit: " %",
		Desc: loc.N("console.chart.items.desc", a.Takers)}
	for i, q := range a.Questions {
		c.Points = append(c.Points, chart.Point{Label: labels[i],
			Value: float64(q.SharePercent()), Display: strconv.Itoa(q.SharePercent()) + " %"})
	}
	return chart.Bars(c)
}

// questionLabels words each question of the check as "Q1. Prompt".
func questionLabels(loc *i18n.Localizer, a *models.ItemAnalysis) []string {
	out := make([]string, len(a.Questions))
	for i, q := range a.Questions {
		out[i] = loc.T("console.chart.items.question", "Number", i+1, "Prompt", q.Question.Prompt)
	}
	return out
}

// funnelChart is the cohort's way from joining to the certificate, with
// the steps worded.
func funnelChart(loc *i18n.Localizer, in *models.CohortInsight, steps []string) template.HTML {
	sc := shareOrCount{small: in.Small(), students: in.Students}
	top, unit := sc.scale()
	c := chart.Chart{ID: "funnel", Title: loc.T("console.chart.funnel.title", "Cohort", in.Cohort.Name),
		Max: top, Unit: unit, Desc: loc.N("console.chart.funnel."+sc.measure(), in.Students)}
	for i, s := range in.Funnel {
		v, shown := sc.value(s.Students)
		c.Points = append(c.Points, chart.Point{Label: steps[i], Value: v, Display: shown})
	}
	return chart.Bars(c)
}

// funnelLabel words a step of the funnel.
func funnelLabel(loc *i18n.Localizer, s models.FunnelStep) string {
	return loc.T("console.insight.funnel."+s.Step, "Week", s.Week, "Title", s.Title)
}

// weeklyChart is the students active each week.
func weeklyChart(loc *i18n.Localizer, in *models.CohortInsight) template.HTML {
	c := chart.Chart{ID: "weekly", Title: loc.T("console.chart.weekly.title"), Max: float64(max(in.Students, 1)),
		Desc: loc.N("console.chart.weekly.desc", in.Students)}
	for _, w := range in.Weeks {
		label := loc.T("console.chart.day_month", "Day", w.Monday.Day(), "Month", loc.ShortMonth(w.Monday))
		c.Points = append(c.Points, chart.Point{Label: label, Value: float64(w.Students), Display: strconv.Itoa(w.Students),
			Note: loc.T("console.chart.weekly.week_of", "Date", loc.Date(w.Monday))})
	}
	return chart.Columns(c, nil)
}

// duration writes seconds as "4 min 05 s" or "45 s".
func duration(loc *i18n.Localizer, seconds int) string {
	if seconds < 60 {
		return loc.T("console.chart.seconds", "Seconds", seconds)
	}
	return loc.T("console.chart.minutes_seconds", "Minutes", seconds/60, "Seconds", fmt.Sprintf("%02d", seconds%60))
}
