package routes

import (
	"net/http"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// myCourses builds the caller's view of every course they are enrolled in.
func (h *handler) myCourses(c *fiber.Ctx) ([]*models.CourseView, error) {
	user := currentUser(c)
	enrollments, err := h.store.EnrollmentsOf(c.UserContext(), user.ID)
	if err != nil {
		return nil, err
	}
	views := make([]*models.CourseView, 0, len(enrollments))
	for _, e := range enrollments {
		v, err := h.store.LearnerCourse(c.UserContext(), user.ID, e.CourseSlug)
		if err != nil {
			return nil, err
		}
		if v.Enrollment != nil {
			views = append(views, v)
		}
	}
	return views, nil
}

// dashboard lists my courses with status, progress and where to continue.
func (h *handler) dashboard(c *fiber.Ctx) error {
	views, err := h.myCourses(c)
	if err != nil {
		return err
	}
	courses, err := h.store.ListCourses(c.UserContext())
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, "dashboard", page{Title: "My courses",
		Data: fiber.Map{"Views": views, "Courses": courses}})
}
