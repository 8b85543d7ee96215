package routes

import (
	"html/template"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// adminReadingInsightData is the reading insight page.
type adminReadingInsightData struct {
	adminPage
	Insight *models.ReadingInsight
	Cohorts []models.CohortChoice
	// CSV is the link to the page's numbers, with its cohort filter.
	CSV         string
	DropOff     template.HTML
	Sections    template.HTML
	Completions template.HTML
	Items       template.HTML
	// The sections' names and median times, and the questions' labels, as
	// the charts and the tables beside them give them.
	names, medians, labels []string
	// Body is the page below the course header (readingInsightBody).
	Body template.HTML
}

// adminReadingInsight shows where a cohort stops reading, how long it
// stays, and how the reading's check fares; ?format=csv gives the numbers.
func (h *handler) adminReadingInsight(c *fiber.Ctx) error {
	course := managedCourse(c)
	csv, err := insightFormat(c)
	if err != nil {
		return err
	}
	r, err := h.managedReading(c)
	if err != nil {
		return err
	}
	cohortID, err := insightCohortID(c)
	if err != nil {
		return err
	}
	in, err := h.store.ReadingInsight(c.UserContext(), course, r, cohortID)
	if err != nil {
		return consoleNotFound(err, "This course has no such cohort.")
	}
	if csv {
		return h.readingInsightCSV(c, course, in)
	}
	loc := h.localizer(c)
	names, medians := make([]string, len(in.Sections)), make([]string, len(in.Sections))
	for i, sec := range in.Sections {
		names[i], medians[i] = sectionName(loc, sec), duration(loc, sec.MedianSeconds)
	}
	d := adminReadingInsightData{adminPage: adminPage{Course: course, Tab: "readings"}, Insight: in, Cohorts: in.Cohorts,
		DropOff: dropOffChart(loc, in, names), Sections: sectionChart(loc, in, names, medians), Completions: completionChart(loc, in),
		names: names, medians: medians}
	d.CSV = "/admin/courses/" + course.Slug + "/readings/" + r.Slug + "/insight?format=csv"
	if in.Cohort != nil {
		d.CSV += "&cohort=" + itoa(in.Cohort.ID)
	}
	if in.Check != nil {
		d.labels = questionLabels(loc, in.Check)
		d.Items = itemChart(loc, in.Check, d.labels)
	}
	d.Body = readingInsightBody(loc, &d)
	return h.render(c, fiber.StatusOK, "admin_insight_reading", page{Title: loc.T("console.title.insight", "Name", r.Title), Data: d})
}

// framing is the page's course and tab, and its body (writtenContent).
func (d adminReadingInsightData) framing() (adminPage, template.HTML) { return d.adminPage, d.Body }

// framed is the page's data as its template reads it.
func (d adminReadingInsightData) framed(a adminPage, body template.HTML) any {
	return adminReadingInsightData{adminPage: a, Body: body}
}
