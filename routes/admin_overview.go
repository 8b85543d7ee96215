package routes

import (
	"net/http"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// adminOverviewData is the console's front page.
type adminOverviewData struct {
	adminPage
	Courses []models.ConsoleCourse
}

// adminOverview lists the courses the person manages, with their counts.
func (h *handler) adminOverview(c *fiber.Ctx) error {
	courses, err := h.store.ManagedCourses(c.UserContext(), currentUser(c))
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, "admin_overview", page{Title: h.t(c, "console.nav.label"),
		Data: adminOverviewData{adminPage: adminPage{Tab: "overview"}, Courses: courses}})
}
