package routes

import (
	"strconv"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// insightFormat reads ?format: "" (the page) or "csv" (its numbers).
func insightFormat(c *fiber.Ctx) (csv bool, err error) {
	switch c.Query("format") {
	case "", "html":
		return false, nil
	case "csv":
		return true, nil
	}
	return false, errBadRequest("Format must be html or csv.")
}

// insightCohort reads ?cohort: empty is every cohort of the course; an id
// of another course's cohort is not found.
func (h *handler) insightCohort(c *fiber.Ctx, course *models.Course) (*models.Cohort, error) {
	raw := c.Query("cohort")
	if raw == "" || raw == "all" {
		return nil, nil
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id < 1 {
		return nil, errBadRequest("Cohort must be a cohort's number, or all.")
	}
	k, err := h.store.CohortByID(c.UserContext(), id)
	if err != nil || k.CourseID != course.ID {
		return nil, consoleNotFound(notFoundOr(err), "This course has no such cohort.")
	}
	return k, nil
}

// notFoundOr is err, or ErrNotFound when there was none (a cohort of
// another course is not found in this one).
func notFoundOr(err error) error {
	if err == nil {
		return models.ErrNotFound
	}
	return err
}

// nudgeDays reads the days without activity that make a student need a
// nudge, from the query (the page) or the form (the button).
func nudgeDays(raw string) (int, error) {
	if raw == "" {
		return models.DefaultInactiveDays, nil
	}
	days, err := strconv.Atoi(raw)
	if err != nil || days < 1 || days > models.MaxInactiveDays {
		return 0, errBadRequest("Days without activity must be a whole number from 1 to " +
			strconv.Itoa(models.MaxInactiveDays) + ".")
	}
	return days, nil
}
