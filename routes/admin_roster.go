package routes

import (
	"courseportal/views"

	"github.com/gofiber/fiber/v2"
)

// rosterShow is the roster page: the class summary, reminders per cohort,
// and one page of students.
func (h *handler) rosterShow(c *fiber.Ctx) error {
	course := managedCourse(c)
	params, err := parseRosterParams(c)
	if err != nil {
		return err
	}
	rows, summary, err := h.store.Roster(c.UserContext(), course, params.Filter)
	if err != nil {
		return err
	}
	loc := h.localizer(c)
	written := views.NewMarkup()
	defer written.Release()
	data := newRosterView(loc, course, params, rows, summary, h.store.Now(), written)
	data.CSRF = csrfToken(c)
	p := page{Title: loc.T("console.title.roster", "Course", course.Title), Data: data, Flash: reminderFlash(c, loc)}
	return h.renderAround(c, "admin_roster", "roster-head", written.Bytes(), "roster-tail", &p)
}
