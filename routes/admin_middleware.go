package routes

import (
	"net/http"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

const localCourse = "admin_course"

// requireManagedCourse loads the course named by :slug and admits only the
// people who manage it: admins, and the course's instructors.
func (h *handler) requireManagedCourse(c *fiber.Ctx) error {
	course, ok, err := h.store.ManagedCourseBySlug(c.UserContext(), currentUser(c), c.Params("slug"))
	if err != nil {
		return err
	}
	if !ok {
		return errStatus(http.StatusForbidden, "forbidden", "Only administrators and this course's instructors can manage it.")
	}
	c.Locals(localCourse, course)
	return c.Next()
}

// managedCourse is the course requireManagedCourse admitted.
func managedCourse(c *fiber.Ctx) *models.Course {
	course, _ := c.Locals(localCourse).(*models.Course)
	return course
}

// adminPage is what every console page receives besides its own data: the
// course it is about (nil outside a course) and which tab is open.
type adminPage struct {
	Course *models.Course
	Tab    string
}
