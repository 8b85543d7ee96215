package routes

import (
	"strconv"

	"courseportal/models"
	"courseportal/views/i18n"

	"github.com/gofiber/fiber/v2"
)

// accountExport downloads everything the portal holds about the person as
// JSON.
func (h *handler) accountExport(c *fiber.Ctx) error {
	u := currentUser(c)
	export, err := h.store.ExportAccount(c.UserContext(), u.ID)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="courseportal-account-`+strconv.FormatInt(u.ID, 10)+`.json"`)
	return c.JSON(export)
}

// accountDelete erases the person's account (field current_password) and
// signs this browser out.
func (h *handler) accountDelete(c *fiber.Ctx) error {
	if refused, err := h.currentPasswordRefused(c, "delete", accountData{}); refused {
		return err
	}
	if err := h.store.EraseAccount(c.UserContext(), currentUser(c)); err != nil {
		return err
	}
	// Like signing out: the device keeps nothing of the erased person.
	if err := h.forgetThisBrowser(c); err != nil {
		return err
	}
	return h.redirectWithFlash(c, "/", "account-deleted")
}

// sessionView is one signed-in session as the account page lists it.
type sessionView struct {
	models.Session
	Device  string
	Current bool
}

func sessionViews(loc *i18n.Localizer, sessions []models.Session, currentID string) []sessionView {
	out := make([]sessionView, 0, len(sessions))
	for _, s := range sessions {
		out = append(out, sessionView{Session: s, Device: deviceName(loc, s.UserAgent), Current: s.ID == currentID})
	}
	return out
}
