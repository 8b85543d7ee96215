package routes

import (
	"net/http"

	"courseportal/models"
	"courseportal/views"

	"github.com/gofiber/fiber/v2"
)

const localCourse = "admin_course"

// requireManagedCourse loads the course named by :slug and admits only the
// people who manage it: admins, and the course's instructors.
func (h *handler) requireManagedCourse(c *fiber.Ctx) error {
	course, ok, err := h.store.ManagedCourse(c.UserContext(), currentUser(c), c.Params("slug"))
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

// CourseHeading is what the course header shows; false outside a course.
func (a adminPage) CourseHeading() (views.CourseHeading, bool) { return courseHeading(a.Course, a.Tab) }

// courseHeading is the course header of a course with a tab open.
func courseHeading(c *models.Course, tab string) (views.CourseHeading, bool) {
	if c == nil {
		return views.CourseHeading{}, false
	}
	return views.CourseHeading{Title: c.Title, Slug: c.Slug, Tab: tab, Published: c.Published}, true
}
