package routes

import (
	"errors"
	"net/http"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// learnShow is the course home: the six weeks with the person's progress.
func (h *handler) learnShow(c *fiber.Ctx) error {
	v, err := h.store.LearnerCourse(c.UserContext(), currentUser(c).ID, c.Params("slug"))
	if err != nil {
		return err
	}
	if v.Enrollment == nil {
		return c.Redirect("/join/"+v.Course.Slug, fiber.StatusSeeOther)
	}
	return h.render(c, http.StatusOK, "learn", page{Title: v.Course.Title, Data: v})
}

// readingDenied explains why a reading cannot be opened.
func (h *handler) readingDenied(c *fiber.Ctx, a *models.Access, err error) error {
	switch {
	case errors.Is(err, models.ErrNotEnrolled):
		return c.Redirect("/join/"+a.Course.Slug, fiber.StatusSeeOther)
	case errors.Is(err, models.ErrNotActive):
		return errStatus(http.StatusForbidden, "not_active",
			"You are on the waitlist for this course. Readings open as soon as you get a seat.")
	case errors.Is(err, models.ErrReadingLocked):
		opens := a.Cohort.WeekOpensAt(a.Week.Number).Format("Monday 2 January 2006")
		return errStatus(http.StatusForbidden, "reading_locked",
			"This reading belongs to week "+itoa(a.Week.Number)+", which opens on "+opens+".")
	case errors.Is(err, models.ErrNotFound):
		return errNotFound("This course has no such reading.")
	}
	return err
}

// readingComplete is the "Mark as complete" form; it works without
// JavaScript.
func (h *handler) readingComplete(c *fiber.Ctx) error {
	access, err := h.store.ReadingAccess(c.UserContext(), currentUser(c).ID, c.Params("slug"), c.Params("reading"))
	if err != nil {
		return h.readingDenied(c, access, err)
	}
	res, err := h.store.CompleteReading(c.UserContext(), access)
	if err != nil {
		return err
	}
	if res.CourseCompleted {
		return h.redirectWithFlash(c, "/learn/"+access.Course.Slug, "course-complete")
	}
	return h.redirectWithFlash(c, "/learn/"+access.Course.Slug, "reading-complete")
}
