package routes

import (
	"net/http"

	"github.com/gofiber/fiber/v2"
)

// registerRoster adds the roster, its CSV exports, reminders, the outbox and
// the unsubscribe link of reminder emails.
func (h *handler) registerRoster(app *fiber.App) {
	course := func(next fiber.Handler) []fiber.Handler {
		return []fiber.Handler{h.requireUser, h.requireStaff, h.requireManagedCourse, next}
	}
	app.Get("/admin/courses/:slug/roster.csv", course(h.rosterCSV)...)
	app.Get("/admin/courses/:slug/roster", course(h.rosterShow)...)
	app.Get("/admin/courses/:slug/students/:id/progress.csv", course(h.studentProgressCSV)...)
	app.Post("/admin/courses/:slug/cohorts/:id/remind", course(h.rosterRemind)...)
	app.Get("/admin/outbox", h.requireUser, h.requireStaff, h.outboxList)
	app.Get("/admin/outbox/:id", h.requireUser, h.requireStaff, h.outboxShow)
	app.Get("/unsubscribe/:token", h.unsubscribeShow)
	app.Post("/unsubscribe/:token", h.unsubscribeSubmit)
}

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
	data := newRosterView(course, params, rows, summary, h.store.Now())
	data.CSRF = csrfToken(c)
	return h.render(c, http.StatusOK, "admin_roster", page{Title: "Roster · " + course.Title, Data: data,
		Flash: reminderFlash(c)})
}
