package routes

import (
	"html/template"
	"strconv"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// adminCohortInsightData is the cohort insight page.
type adminCohortInsightData struct {
	adminPage
	Insight *models.CohortInsight
	Nudge   *models.NudgeList
	Funnel  template.HTML
	Weekly  template.HTML
	// steps are the funnel's steps as its chart and table name them.
	steps []string
	// Body is the page below the course header (cohortInsightBody).
	Body template.HTML
}

// adminCohortInsight shows a cohort's funnel and weekly activity, and who
// needs a nudge (?days: quiet for how long); ?format=csv gives the numbers.
func (h *handler) adminCohortInsight(c *fiber.Ctx) error {
	course := managedCourse(c)
	csv, err := insightFormat(c)
	if err != nil {
		return err
	}
	days, err := nudgeDays(c.Query("days"))
	if err != nil {
		return err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return errNotFound("This course has no such cohort.")
	}
	// The insight reads the cohort with its counts, among the course's own.
	in, err := h.store.CohortInsight(c.UserContext(), course, id)
	if err != nil {
		return consoleNotFound(err, "This course has no such cohort.")
	}
	if csv {
		return h.cohortInsightCSV(c, course, in)
	}
	nudge, err := h.store.NudgeListOf(c.UserContext(), course, in, days)
	if err != nil {
		return err
	}
	loc := h.localizer(c)
	steps := make([]string, len(in.Funnel))
	for i, s := range in.Funnel {
		steps[i] = funnelLabel(loc, s)
	}
	d := adminCohortInsightData{adminPage: adminPage{Course: course, Tab: "cohorts"}, Insight: in, Nudge: nudge,
		Funnel: funnelChart(loc, in, steps), Weekly: weeklyChart(loc, in),
		steps: steps}
	d.Body = cohortInsightBody(loc, &d, csrfToken(c))
	return h.render(c, fiber.StatusOK, "admin_insight_cohort", page{Title: loc.T("console.title.insight", "Name", in.Cohort.Name), Data: d,
		Flash: reminderFlash(c, loc)})
}

// adminCohortNudge sends the existing reminder to everyone the nudge list
// names (at most one a day each) and goes back to the list.
func (h *handler) adminCohortNudge(c *fiber.Ctx) error {
	course := managedCourse(c)
	if err := requireForm(c); err != nil {
		return err
	}
	days, err := nudgeDays(c.FormValue("days"))
	if err != nil {
		return err
	}
	k, err := h.managedCohort(c)
	if err != nil {
		return err
	}
	res, err := h.store.RemindCohort(c.UserContext(), currentUser(c), course, k.ID, days, h.baseURL)
	if err != nil {
		return err
	}
	to := cohortURL(course, k.ID) + "/insight?days=" + strconv.Itoa(days) +
		"&reminded=" + strconv.Itoa(res.Queued) + "&optedout=" + strconv.Itoa(res.OptedOut) +
		"&already=" + strconv.Itoa(res.AlreadyToday) + "&unconfirmed=" + strconv.Itoa(res.Unverified) + "#nudge"
	return c.Redirect(to, fiber.StatusSeeOther)
}

// framing is the page's course and tab, and its body (writtenContent).
func (d adminCohortInsightData) framing() (adminPage, template.HTML) { return d.adminPage, d.Body }

// framed is the page's data as its template reads it.
func (d adminCohortInsightData) framed(a adminPage, body template.HTML) any {
	return adminCohortInsightData{adminPage: a, Body: body}
}
