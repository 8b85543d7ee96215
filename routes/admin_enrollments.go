package routes

import (
	"errors"
	"net/http"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// managedEnrollment loads the enrollment :id of the managed course.
func (h *handler) managedEnrollment(c *fiber.Ctx) (*models.Enrollment, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, errNotFound("This course has no such enrollment.")
	}
	e, err := h.store.EnrollmentInCourse(c.UserContext(), managedCourse(c).ID, id)
	if err != nil {
		return nil, consoleNotFound(err, "This course has no such enrollment.")
	}
	return e, nil
}

// adminEnrollmentMove moves a student to another cohort of the course
// (field cohort_id), seat accounting on both sides.
func (h *handler) adminEnrollmentMove(c *fiber.Ctx) error {
	course := managedCourse(c)
	e, err := h.managedEnrollment(c)
	if err != nil {
		return err
	}
	if err := requireForm(c); err != nil {
		return err
	}
	to := formID(c.FormValue("cohort_id"))
	if to == 0 {
		return errStatus(http.StatusUnprocessableEntity, "invalid_field", "Choose the cohort to move the student to.")
	}
	err = h.store.MoveEnrollment(c.UserContext(), currentUser(c).ID, course, e.ID, to)
	switch {
	case errors.Is(err, models.ErrCohortFull):
		return h.enrollmentRefused(c, e, http.StatusConflict,
			"The other cohort is full, so the student stays where they are. Raise its capacity first, or choose another cohort.")
	case errors.Is(err, models.ErrNotActive):
		return h.enrollmentRefused(c, e, http.StatusConflict,
			"Only enrolled or waitlisted students can be moved; this enrollment is "+e.Status+".")
	case err != nil:
		errs, status, err := refusal(err)
		if err != nil {
			return err
		}
		return h.enrollmentRefused(c, e, status, firstMessage(errs))
	}
	return h.redirectWithFlash(c, cohortURL(course, e.CohortID), "enrollment-moved")
}

// adminEnrollmentRemove takes a student out of the course; their seat goes
// to the longest-waiting person.
func (h *handler) adminEnrollmentRemove(c *fiber.Ctx) error {
	course := managedCourse(c)
	e, err := h.managedEnrollment(c)
	if err != nil {
		return err
	}
	err = h.store.RemoveEnrollment(c.UserContext(), currentUser(c).ID, course, e.ID)
	switch {
	case errors.Is(err, models.ErrAlreadyCompleted):
		return h.enrollmentRefused(c, e, http.StatusConflict,
			"This student completed the course, so they stay on its records. To withdraw their certificate, revoke it on its page.")
	case errors.Is(err, models.ErrNotFound):
		return h.enrollmentRefused(c, e, http.StatusConflict, "This student has already left the course.")
	case err != nil:
		return err
	}
	return h.redirectWithFlash(c, cohortURL(course, e.CohortID), "enrollment-removed")
}

// enrollmentRefused shows the student's cohort again with the reason an
// action was refused.
func (h *handler) enrollmentRefused(c *fiber.Ctx, e *models.Enrollment, status int, message string) error {
	k, err := h.store.CohortByID(c.UserContext(), e.CohortID)
	if err != nil {
		return err
	}
	return h.adminCohortPage(c, status, k, cohortFormOf(k), formErrors{"action": message})
}

// firstMessage is one message of a set of form errors.
func firstMessage(errs formErrors) string {
	for _, m := range errs {
		return m
	}
	return ""
}
