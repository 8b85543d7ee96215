package routes

import (
	"net/http"

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
