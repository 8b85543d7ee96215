package routes

import (
	"errors"
	"net/http"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// home is the landing page: the course cards from the advertisement.
func (h *handler) home(c *fiber.Ctx) error {
	courses, err := h.store.ListCourses(c.UserContext())
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, "home", page{
		Title:       h.t(c, "title.home"),
		Description: h.t(c, "home.meta_description"),
		Data:        fiber.Map{"Courses": courses},
	})
}

type courseData struct {
	Course     *models.Course
	Cohort     *models.Cohort
	Enrollment *models.Enrollment
}

// courseShow is a course's public page: syllabus and contact details.
func (h *handler) courseShow(c *fiber.Ctx) error {
	ctx := c.UserContext()
	course, err := h.store.PublishedOutline(ctx, c.Params("slug"))
	if err != nil {
		return err
	}
	data := courseData{Course: course}
	if data.Cohort, err = h.store.OpenCohort(ctx, course.ID); err != nil && !errors.Is(err, models.ErrNotFound) {
		return err
	}
	if u := currentUser(c); u != nil {
		if data.Enrollment, _, err = h.store.EnrollmentFor(ctx, u.ID, course.ID); err != nil && !errors.Is(err, models.ErrNotFound) {
			return err
		}
	}
	return h.render(c, http.StatusOK, "course", page{Title: course.Title, Description: course.Subtitle, Data: data})
}
