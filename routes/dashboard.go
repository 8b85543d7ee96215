package routes

import (
	"net/http"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// myCourses builds the caller's view of every course they are enrolled in.
func (h *handler) myCourses(c *fiber.Ctx) ([]*models.CourseView, error) {
	return h.store.LearnerCourses(c.UserContext(), currentUser(c).ID)
}

// dashboard lists my courses with status, progress and where to continue.
func (h *handler) dashboard(c *fiber.Ctx) error {
	views, err := h.myCourses(c)
	if err != nil {
		return err
	}
	var courses []models.Course // offered only to someone enrolled in nothing yet
	if len(views) == 0 {
		if courses, err = h.store.ListCourses(c.UserContext()); err != nil {
			return err
		}
	}
	return h.render(c, http.StatusOK, "dashboard", page{Title: h.t(c, "nav.dashboard"),
		Data: fiber.Map{"Views": views, "Courses": courses}})
}
