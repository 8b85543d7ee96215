package routes

import (
	"errors"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// userAction runs change on the account :id, then redirects to the
// person's page, or shows it again with the reason it was refused.
func (h *handler) userAction(c *fiber.Ctx, flashKey string, change func(id int64) error) error {
	id, err := pathID(c, "id")
	if err != nil {
		return errNotFound("No account has this id.")
	}
	if err := change(id); err != nil {
		errs, status, err := refusal(err)
		if err != nil {
			return consoleNotFound(err, "No account has this id.")
		}
		return h.adminUserPage(c, status, errs)
	}
	return h.redirectWithFlash(c, "/admin/users/"+itoa(id), flashKey)
}

// adminUserRole changes a person's role (field role).
func (h *handler) adminUserRole(c *fiber.Ctx) error {
	return h.userAction(c, "role-changed", func(id int64) error {
		role, err := parseRole(c)
		if err != nil {
			return err
		}
		return h.store.ChangeRole(c.UserContext(), currentUser(c), id, role)
	})
}

// adminUserDisable disables an account and ends its sessions at once.
func (h *handler) adminUserDisable(c *fiber.Ctx) error {
	return h.userAction(c, "user-disabled", func(id int64) error {
		return h.store.SetDisabled(c.UserContext(), currentUser(c), id, true)
	})
}

// adminUserEnable lets a disabled account sign in again.
func (h *handler) adminUserEnable(c *fiber.Ctx) error {
	return h.userAction(c, "user-enabled", func(id int64) error {
		return h.store.SetDisabled(c.UserContext(), currentUser(c), id, false)
	})
}

// adminUserSendReset mails the person a password reset link.
func (h *handler) adminUserSendReset(c *fiber.Ctx) error {
	return h.userAction(c, "reset-link-sent", func(id int64) error {
		return h.store.SendPasswordReset(c.UserContext(), currentUser(c), id, h.baseURL)
	})
}

// adminUserAssign makes an instructor teach a course (field course, a slug).
func (h *handler) adminUserAssign(c *fiber.Ctx) error {
	if err := requireForm(c); err != nil {
		return err
	}
	return h.userAction(c, "instructor-assigned", func(id int64) error {
		course, err := h.store.CourseBySlug(c.UserContext(), c.FormValue("course"))
		if errors.Is(err, models.ErrNotFound) {
			return models.Invalid("course", "Choose one of the courses.")
		}
		if err != nil {
			return err
		}
		return h.store.AssignCourse(c.UserContext(), currentUser(c).ID, id, course)
	})
}

// adminUserUnassign stops an instructor teaching the course :course.
func (h *handler) adminUserUnassign(c *fiber.Ctx) error {
	course, err := h.store.CourseBySlug(c.UserContext(), c.Params("course"))
	if err != nil {
		return consoleNotFound(err, "No course has this address.")
	}
	return h.userAction(c, "instructor-unassigned", func(id int64) error {
		return h.store.UnassignCourse(c.UserContext(), currentUser(c).ID, id, course)
	})
}
