package routes

import (
	"strconv"

	"courseportal/models"
	"courseportal/views/i18n"

	"github.com/gofiber/fiber/v2"
)

// rosterRemind queues a reminder to each at-risk student of a cohort and
// goes back to the cohort's at-risk list, saying what was queued.
func (h *handler) rosterRemind(c *fiber.Ctx) error {
	course := managedCourse(c)
	if err := requireForm(c); err != nil {
		return err
	}
	cohortID, err := pathID(c, "id")
	if err != nil {
		return err
	}
	days := models.DefaultInactiveDays
	if raw := c.FormValue("days"); raw != "" {
		if days, err = strconv.Atoi(raw); err != nil {
			return errBadRequest("Days without activity must be a whole number.")
		}
	}
	res, err := h.store.RemindCohort(c.UserContext(), currentUser(c), course, cohortID, days, h.baseURL)
	if err != nil {
		return err
	}
	p := rosterParams{Filter: models.RosterFilter{CohortID: cohortID, Segment: models.RosterSegmentAtRisk, InactiveDays: days}}
	if err := p.Filter.Normalize(); err != nil {
		return err
	}
	to := p.Link("/admin/courses/"+course.Slug+"/roster", "reminded", strconv.Itoa(res.Queued),
		"optedout", strconv.Itoa(res.OptedOut), "already", strconv.Itoa(res.AlreadyToday),
		"unconfirmed", strconv.Itoa(res.Unverified))
	return c.Redirect(to, fiber.StatusSeeOther)
}

// reminderFlash reports the outcome of rosterRemind from the numbers in the
// query string; only numbers are read, so the page says nothing else.
func reminderFlash(c *fiber.Ctx, loc *i18n.Localizer) *flash {
	queued, err := strconv.Atoi(c.Query("reminded"))
	if err != nil || queued < 0 {
		return nil
	}
	optedOut, _ := strconv.Atoi(c.Query("optedout"))
	already, _ := strconv.Atoi(c.Query("already"))
	unconfirmed, _ := strconv.Atoi(c.Query("unconfirmed"))
	f := &flash{Kind: "success", Message: loc.N("console.flash.reminders_queued", queued)}
	if queued == 0 {
		f = &flash{Kind: "info", Message: loc.T("console.flash.no_reminder")}
	}
	for _, more := range []struct {
		id    string
		count int
	}{{"console.flash.reminded_today", already}, {"console.flash.reminders_off", optedOut},
		{"console.flash.unconfirmed", unconfirmed}} {
		if more.count > 0 {
			f.Message += " " + loc.N(more.id, more.count)
		}
	}
	return f
}
