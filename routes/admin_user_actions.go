package routes

import (
	"errors"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

func userURL(c *fiber.Ctx) string { return "/admin/users/" + itoa(formID(c.Params("id"))) }

// userActionDone redirects after a change, or shows the person's page again
// with the reason it was refused.
func (h *handler) userActionDone(c *fiber.Ctx, err error, flashKey string) error {
	if err == nil {
		return h.redirectWithFlash(c, userURL(c), flashKey)
	}
	errs, status, err := refusal(err)
	if err != nil {
		return consoleNotFound(err, "No account has this id.")
	}
	return h.adminUserPage(c, status, errs)
}

// adminUserRole changes a person's role (field role).
func (h *handler) adminUserRole(c *fiber.Ctx) error {
	role, err := parseRole(c)
	if err == nil {
		err = h.store.ChangeRole(c.UserContext(), currentUser(c), formID(c.Params("id")), role)
	}
	return h.userActionDone(c, err, "role-changed")
}

// adminUserDisable disables an account and ends its sessions at once.
func (h *handler) adminUserDisable(c *fiber.Ctx) error {
	err := h.store.SetDisabled(c.UserContext(), currentUser(c), formID(c.Params("id")), true)
	return h.userActionDone(c, err, "user-disabled")
}

// adminUserEnable lets a disabled account sign in again.
func (h *handler) adminUserEnable(c *fiber.Ctx) error {
	err := h.store.SetDisabled(c.UserContext(), currentUser(c), formID(c.Params("id")), false)
	return h.userActionDone(c, err, "user-enabled")
}

// adminUserSendReset mails the person a password reset link.
func (h *handler) adminUserSendReset(c *fiber.Ctx) error {
	err := h.store.SendPasswordReset(c.UserContext(), currentUser(c), formID(c.Params("id")), h.baseURL)
	return h.userActionDone(c, err, "reset-link-sent")
}

// adminUserAssign makes an instructor teach a course (field course, a slug).
func (h *handler) adminUserAssign(c *fiber.Ctx) error {
	if err := requireForm(c); err != nil {
		return err
	}
	course, err := h.store.CourseBySlug(c.UserContext(), c.FormValue("course"))
	if errors.Is(err, models.ErrNotFound) {
		return h.userActionDone(c, models.Invalid("course", "Choose one of the courses."), "")
	}
	if err != nil {
		return err
	}
	err = h.store.AssignCourse(c.UserContext(), currentUser(c).ID, formID(c.Params("id")), course)
	return h.userActionDone(c, err, "instructor-assigned")
}

// adminUserUnassign stops an instructor teaching the course :course.
func (h *handler) adminUserUnassign(c *fiber.Ctx) error {
	course, err := h.store.CourseBySlug(c.UserContext(), c.Params("course"))
	if err != nil {
		return consoleNotFound(err, "No course has this address.")
	}
	err = h.store.UnassignCourse(c.UserContext(), currentUser(c).ID, formID(c.Params("id")), course)
	return h.userActionDone(c, err, "instructor-unassigned")
}
