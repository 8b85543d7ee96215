package routes

import (
	"errors"
	"net/http"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

func readingsURL(course *models.Course, r *models.Reading) string {
	return "/admin/courses/" + course.Slug + "/readings#reading-" + r.Slug
}

// adminReadingMove moves a reading up or down within its week
// (direction=up|down).
func (h *handler) adminReadingMove(c *fiber.Ctx) error {
	course := managedCourse(c)
	r, err := h.managedReading(c)
	if err != nil {
		return err
	}
	if err := requireForm(c); err != nil {
		return err
	}
	direction := c.FormValue("direction")
	if direction != "up" && direction != "down" {
		return errStatus(http.StatusUnprocessableEntity, "invalid_field", "Direction must be up or down.")
	}
	moved, err := h.store.MoveReading(c.UserContext(), currentUser(c).ID, course, r, direction == "up")
	if err != nil {
		return err
	}
	if !moved {
		return h.redirectWithFlash(c, readingsURL(course, r), "reading-not-moved")
	}
	return h.redirectWithFlash(c, readingsURL(course, r), "reading-moved")
}

// adminReadingPublish publishes (published=1) or unpublishes (published=0)
// a reading.
func (h *handler) adminReadingPublish(c *fiber.Ctx) error {
	return h.readingFlag(c, "published", "reading-published", "reading-unpublished")
}

// adminReadingRequire makes a reading required (required=1) or optional
// (required=0).
func (h *handler) adminReadingRequire(c *fiber.Ctx) error {
	return h.readingFlag(c, "required", "reading-required", "reading-optional")
}

func (h *handler) readingFlag(c *fiber.Ctx, flag, onFlash, offFlash string) error {
	course := managedCourse(c)
	r, err := h.managedReading(c)
	if err != nil {
		return err
	}
	if err := requireForm(c); err != nil {
		return err
	}
	value := c.FormValue(flag)
	if value != "1" && value != "0" {
		return errStatus(http.StatusUnprocessableEntity, "invalid_field", "Send "+flag+"=1 or "+flag+"=0.")
	}
	on := value == "1"
	if err := h.store.SetReadingFlag(c.UserContext(), currentUser(c).ID, course, r, flag, on); err != nil {
		return err
	}
	if on {
		return h.redirectWithFlash(c, readingsURL(course, r), onFlash)
	}
	return h.redirectWithFlash(c, readingsURL(course, r), offFlash)
}

// adminReadingDeleteData explains why a reading cannot be deleted.
type adminReadingDeleteData struct {
	adminPage
	Reading *models.Reading
	Readers int
}

// adminReadingDelete deletes a reading nobody has opened. One with progress
// is refused, with the offer to unpublish it instead.
func (h *handler) adminReadingDelete(c *fiber.Ctx) error {
	course := managedCourse(c)
	r, err := h.managedReading(c)
	if err != nil {
		return err
	}
	err = h.store.DeleteReading(c.UserContext(), currentUser(c).ID, course, r)
	if errors.Is(err, models.ErrReadingHasProgress) {
		readers, err := h.store.ReaderCounts(c.UserContext(), course.ID)
		if err != nil {
			return err
		}
		return h.render(c, http.StatusConflict, "admin_reading_delete", page{Title: h.t(c, "console.title.reading_delete", "Title", r.Title),
			Data: adminReadingDeleteData{adminPage: adminPage{Course: course, Tab: "readings"}, Reading: r, Readers: readers[r.ID]}})
	}
	if err != nil {
		return err
	}
	return h.redirectWithFlash(c, "/admin/courses/"+course.Slug+"/readings", "reading-deleted")
}
