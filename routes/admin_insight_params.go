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

// insightCohortID reads ?cohort: empty (or all) is every cohort of the
// course, 0. The insight finds the cohort among the course's own, so that
// an id of another course's cohort is not found.
func insightCohortID(c *fiber.Ctx) (int64, error) {
	raw := c.Query("cohort")
	if raw == "" || raw == "all" {
		return 0, nil
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id < 1 {
		return 0, errBadRequest("Cohort must be a cohort's number, or all.")
	}
	return id, nil
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
