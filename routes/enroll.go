package routes

import (
	"errors"
	"net/http"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// joinData is the join page: the course, and either the one form or, for a
// signed-in person, a confirm button.
type joinData struct {
	Course  *models.Course
	Cohort  *models.Cohort
	Closed  bool
	Account formPage
}

func (h *handler) joinPage(c *fiber.Ctx, status int, d joinData) error {
	return h.render(c, status, "join", page{Title: h.t(c, "title.join", "Course", d.Course.Title), Narrow: true, Data: d})
}

// joinShow offers the join form, or sends enrolled people to their course.
func (h *handler) joinShow(c *fiber.Ctx) error {
	d, err := h.joinContext(c)
	if err != nil {
		return err
	}
	if u := currentUser(c); u != nil {
		if _, _, err := h.store.EnrollmentFor(c.UserContext(), u.ID, d.Course.ID); err == nil {
			return h.redirectWithFlash(c, "/learn/"+d.Course.Slug, "already-enrolled")
		} else if !errors.Is(err, models.ErrNotFound) {
			return err
		}
	}
	return h.joinPage(c, http.StatusOK, d)
}

func (h *handler) joinContext(c *fiber.Ctx) (joinData, error) {
	course, err := h.store.PublishedCourse(c.UserContext(), c.Params("slug"))
	if err != nil {
		return joinData{}, err
	}
	d := joinData{Course: course}
	d.Cohort, err = h.store.OpenCohort(c.UserContext(), course.ID)
	if errors.Is(err, models.ErrNotFound) {
		d.Closed, err = true, nil
	}
	return d, err
}

// joinSubmit creates the account (for visitors), signs in and enrolls, in
// one form.
func (h *handler) joinSubmit(c *fiber.Ctx) error {
	d, err := h.joinContext(c)
	if err != nil {
		return err
	}
	if d.Closed {
		return h.joinPage(c, http.StatusConflict, d)
	}
	if currentUser(c) == nil {
		form, err := parseAccountForm(c)
		if err != nil {
			return err
		}
		refused, err := h.reserveClientAttempt(c)
		if err != nil {
			return err
		}
		if refused != "" {
			d.Account.Form, d.Account.Errors = form.display(), formError(refused)
			return h.joinPage(c, http.StatusTooManyRequests, d)
		}
		user, err := h.store.Register(c.UserContext(), form.account(h.localizer(c).Code()), h.baseURL)
		if err != nil {
			d.Account.LoginURL = takenEmailLogin(err, form.Email, "/learn/"+d.Course.Slug)
			errs, status, err := fieldRefusal(err)
			if err != nil {
				return err
			}
			d.Account.Form, d.Account.Errors = form.display(), errs
			return h.joinPage(c, status, d)
		}
		if err := h.signIn(c, user); err != nil {
			return err
		}
	}
	return h.enrollAndRedirect(c, d.Course)
}

// enrollSubmit enrolls a signed-in person from the course page.
func (h *handler) enrollSubmit(c *fiber.Ctx) error {
	course, err := h.store.CourseBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	return h.enrollAndRedirect(c, course)
}

func (h *handler) enrollAndRedirect(c *fiber.Ctx, course *models.Course) error {
	res, err := h.store.Enroll(c.UserContext(), currentUser(c).ID, course)
	if errors.Is(err, models.ErrEnrollmentClosed) {
		return h.joinPage(c, http.StatusConflict, joinData{Course: course, Closed: true})
	}
	if err != nil {
		return err
	}
	key := "enrolled"
	switch {
	case res.Existing:
		key = "already-enrolled"
	case res.Enrollment.Status == models.StatusWaitlisted:
		key = "waitlisted"
	}
	return h.redirectWithFlash(c, "/learn/"+course.Slug, key)
}

// withdrawSubmit ends the person's enrollment.
func (h *handler) withdrawSubmit(c *fiber.Ctx) error {
	course, err := h.store.CourseBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	if err := h.store.Withdraw(c.UserContext(), currentUser(c).ID, course); err != nil {
		return err
	}
	return h.redirectWithFlash(c, "/dashboard", "withdrawn")
}
