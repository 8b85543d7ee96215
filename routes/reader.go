package routes

import (
	"errors"
	"net/http"

	"courseportal/models"
	"courseportal/models/markdown"

	"github.com/gofiber/fiber/v2"
)

// readerData is the reader page.
type readerData struct {
	Access   *models.Access
	Doc      markdown.Document
	Percent  int
	Done     bool
	Position string
	models.Neighbours
}

// readerShow renders a reading for an enrolled person whose week is open:
// one query for the access checks and progress, one for the syllabus, and
// the article rendered once per version.
func (h *handler) readerShow(c *fiber.Ctx) error {
	a, err := h.store.ReadingAccess(c.UserContext(), currentUser(c).ID, c.Params("slug"), c.Params("reading"))
	if err != nil {
		return h.readingDenied(c, a, err)
	}
	doc, err := h.store.RenderedReading(c.UserContext(), a.Reading)
	if err != nil {
		return err
	}
	around, err := h.store.ReadingNeighbours(c.UserContext(), a)
	if err != nil {
		return err
	}
	d := readerData{Access: a, Doc: doc, Neighbours: around}
	if p := a.Progress; p != nil {
		d.Percent, d.Done, d.Position = p.Percent, p.CompletedAt != nil, p.Position()
		if d.Done {
			d.Percent = 100
		}
	}
	return h.render(c, http.StatusOK, "reader", page{Title: a.Reading.Title, Scripts: []string{"js/reader.js"}, Data: d})
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
