package routes

import (
	"fmt"
	"html/template"
	"strconv"

	"courseportal/models"
	"courseportal/views/chart"
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

// dropOffChart is the share (or count) who reached each paragraph, with
// the sections marked where they start.
func dropOffChart(in *models.ReadingInsight) template.HTML {
	sc := shareOrCount{small: in.Small(), students: in.Students}
	top, unit := sc.scale()
	c := chart.Chart{ID: "drop-off", Title: "Where readers stop: " + in.Reading.Title, Max: top, Unit: unit,
		Desc: fmt.Sprintf("%s of %d students reached each of the %d paragraphs; lines mark where sections start.",
			whoReached(in.Small()), in.Students, len(in.Paragraphs))}
	for _, p := range in.Paragraphs {
		v, shown := sc.value(p.Reached)
		c.Points = append(c.Points, chart.Point{Label: "p-" + strconv.Itoa(p.Number), Value: v, Display: shown, Note: p.Opening})
	}
	var marks []chart.Mark
	for _, s := range in.Sections {
		if s.First > 1 {
			marks = append(marks, chart.Mark{At: s.First - 1, Label: s.Title})
		}
	}
	return chart.Columns(c, marks)
}

func whoReached(small bool) string {
	if small {
		return "How many"
	}
	return "The share"
}

// sectionChart is the median time each section held its readers.
func sectionChart(in *models.ReadingInsight) template.HTML {
	c := chart.Chart{ID: "sections", Title: "Median reading time per section",
		Desc: "For each section, the median time spent in it by the students who reached it, estimated from their reading time to the minute."}
	for _, s := range in.Sections {
		c.Points = append(c.Points, chart.Point{Label: s.Title, Value: float64(s.MedianSeconds), Display: duration(s.MedianSeconds)})
	}
	return chart.Bars(c)
}

// completionChart is completions over the days since the cohort started.
func completionChart(in *models.ReadingInsight) template.HTML {
	sc := shareOrCount{small: in.Small(), students: in.Students}
	top, unit := sc.scale()
	c := chart.Chart{ID: "completions", Title: "Completed since the cohort started", Max: top, Unit: unit,
		Desc: fmt.Sprintf("%s of %d students who had completed the reading, day by day since the start.",
			whoReached(in.Small()), in.Students)}
	for _, d := range in.Completions {
		v, shown := sc.value(d.Total)
		c.Points = append(c.Points, chart.Point{Label: "day " + strconv.Itoa(d.Day), Value: v, Display: shown})
	}
	return chart.Line(c)
}

// itemChart is the share of first attempts that got each question right.
func itemChart(a *models.ItemAnalysis) template.HTML {
	c := chart.Chart{ID: "items", Title: "Knowledge check: right on the first attempt", Max: 100, Unit: " %",
		Desc: fmt.Sprintf("The share of %d first attempts that answered each question right.", a.Takers)}
	for i, q := range a.Questions {
		c.Points = append(c.Points, chart.Point{Label: fmt.Sprintf("Q%d. %s", i+1, q.Question.Prompt),
			Value: float64(q.SharePercent()), Display: strconv.Itoa(q.SharePercent()) + " %"})
	}
	return chart.Bars(c)
}

// funnelChart is the cohort's way from joining to the certificate.
func funnelChart(in *models.CohortInsight) template.HTML {
	sc := shareOrCount{small: in.Small(), students: in.Students}
	top, unit := sc.scale()
	c := chart.Chart{ID: "funnel", Title: "From joining to the certificate: " + in.Cohort.Name, Max: top, Unit: unit,
		Desc: fmt.Sprintf("%s of %d students at each step: opening and completing each week's required reading, then the certificate.",
			whoReached(in.Small()), in.Students)}
	for _, s := range in.Funnel {
		v, shown := sc.value(s.Students)
		c.Points = append(c.Points, chart.Point{Label: s.Label, Value: v, Display: shown})
	}
	return chart.Bars(c)
}

// weeklyChart is the students active each week.
func weeklyChart(in *models.CohortInsight) template.HTML {
	c := chart.Chart{ID: "weekly", Title: "Students active each week", Max: float64(max(in.Students, 1)),
		Desc: fmt.Sprintf("How many of the %d students read, completed or took a check in each week (Monday to Sunday).", in.Students)}
	for _, w := range in.Weeks {
		c.Points = append(c.Points, chart.Point{Label: w.Monday.Format("2 Jan"), Value: float64(w.Students),
			Display: strconv.Itoa(w.Students), Note: "week of " + w.Monday.Format("2 January 2006")})
	}
	return chart.Columns(c, nil)
}

// duration writes seconds as "4 min 05 s" or "45 s".
func duration(seconds int) string {
	if seconds < 60 {
		return strconv.Itoa(seconds) + " s"
	}
	return fmt.Sprintf("%d min %02d s", seconds/60, seconds%60)
}
