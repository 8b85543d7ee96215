package routes

import (
	"bufio"
	"fmt"
	"strconv"
	"time"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// insightCSVHeader: every chart's numbers in one long table, a row per
// number, so one file holds charts of different shapes.
var insightCSVHeader = []string{"Chart", "Item", "Measure", "Value"}

// insightRows collects the rows of an insight CSV.
type insightRows [][]string

func (rows *insightRows) add(chartName, item, measure string, value int) {
	*rows = append(*rows, []string{chartName, item, measure, strconv.Itoa(value)})
}

// sendInsightCSV writes the rows as a download; they are few (a row per
// paragraph at most), so they go out in one piece.
func sendInsightCSV(c *fiber.Ctx, filename string, rows insightRows) error {
	setCSVHeaders(c, filename)
	w := bufio.NewWriter(c.Response().BodyWriter())
	if _, err := w.WriteString(utf8BOM); err != nil {
		return err
	}
	cw := newCSVWriter(w)
	if err := cw.Write(insightCSVHeader); err != nil {
		return err
	}
	for _, r := range rows {
		if err := cw.Write(r); err != nil {
			return err
		}
	}
	return w.Flush()
}

// readingInsightCSV is the reading insight's numbers: counts and shares,
// never names.
func (h *handler) readingInsightCSV(c *fiber.Ctx, course *models.Course, in *models.ReadingInsight) error {
	var rows insightRows
	rows.add("summary", "", "students", in.Students)
	rows.add("summary", "", "opened", in.Opened)
	rows.add("summary", "", "opened_never_scrolled", in.NeverScrolled)
	rows.add("summary", "", "completed", in.Completed)
	for _, p := range in.Paragraphs {
		item := "p-" + strconv.Itoa(p.Number)
		rows.add("drop-off", item, "reached", p.Reached)
		rows.add("drop-off", item, "reached_percent", in.Share(p.Reached))
		rows.add("drop-off", item, "stopped_here", p.Stopped)
	}
	for _, s := range in.Sections {
		rows.add("sections", sectionItem(s), "reached", s.Reached)
		rows.add("sections", sectionItem(s), "median_seconds", s.MedianSeconds)
	}
	for _, d := range in.Completions {
		item := "day " + strconv.Itoa(d.Day)
		rows.add("completions", item, "completed", d.Completed)
		rows.add("completions", item, "completed_to_date", d.Total)
	}
	if a := in.Check; a != nil {
		rows.add("check", "", "first_attempts", a.Takers)
		for i, q := range a.Questions {
			item := fmt.Sprintf("Q%d. %s", i+1, q.Question.Prompt)
			rows.add("check", item, "right", q.Right)
			rows.add("check", item, "right_percent", q.SharePercent())
		}
	}
	scope := "all"
	if in.Cohort != nil {
		scope = "cohort-" + strconv.FormatInt(in.Cohort.ID, 10)
	}
	return sendInsightCSV(c, fmt.Sprintf("insight-%s-%s-%s-%s.csv", course.Slug, in.Reading.Slug, scope,
		h.store.Now().Format(time.DateOnly)), rows)
}

// cohortInsightCSV is the cohort insight's numbers: the funnel and the
// weekly activity, never names.
func (h *handler) cohortInsightCSV(c *fiber.Ctx, course *models.Course, in *models.CohortInsight) error {
	var rows insightRows
	for _, s := range in.Funnel {
		rows.add("funnel", funnelItem(s), "students", s.Students)
		rows.add("funnel", funnelItem(s), "percent", in.Share(s.Students))
	}
	for _, w := range in.Weeks {
		rows.add("weekly-active", "week of "+w.Monday.Format(time.DateOnly), "students", w.Students)
	}
	return sendInsightCSV(c, fmt.Sprintf("insight-%s-cohort-%d-%s.csv", course.Slug, in.Cohort.ID,
		h.store.Now().Format(time.DateOnly)), rows)
}

// funnelItem names a step of the funnel in the CSV. The export is read by
// other software, so its names stay English and stable whatever language
// the console speaks (README, "Languages").
func funnelItem(s models.FunnelStep) string {
	switch s.Step {
	case models.StepJoined:
		return "Joined"
	case models.StepCertificate:
		return "Certificate"
	}
	return fmt.Sprintf("Week %d: %s “%s”", s.Week, s.Step, s.Title)
}

// sectionItem names a section in the CSV, in English like funnelItem.
func sectionItem(s models.SectionTime) string {
	switch s.Untitled {
	case models.SectionOpening:
		return "Opening"
	case models.SectionWhole:
		return "The whole reading"
	}
	return s.Title
}
