package routes

import (
	"errors"
	"net/http"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// accountData is the account page. Errors are keyed by form and field
// ("email.current_password"), since several forms share field names.
type accountData struct {
	FullName     string
	NewEmail     string
	PendingEmail string
	Sessions     []sessionView
	Errors       formErrors
}

// accountPage renders the account page with the person's sessions and any
// change of address waiting for confirmation.
func (h *handler) accountPage(c *fiber.Ctx, status int, d accountData) error {
	u := currentUser(c)
	ctx := c.UserContext()
	sessions, err := h.store.UserSessions(ctx, u.ID)
	if err != nil {
		return err
	}
	token, _ := c.Locals(localToken).(string)
	d.Sessions = sessionViews(sessions, models.SessionIDOf(token))
	if d.PendingEmail, err = h.store.PendingEmailChange(ctx, u.ID); err != nil {
		return err
	}
	if d.FullName == "" {
		d.FullName = u.FullName
	}
	return h.render(c, status, "account", page{Title: "Your account", Data: d})
}

// accountShow is the account page.
func (h *handler) accountShow(c *fiber.Ctx) error {
	return h.accountPage(c, http.StatusOK, accountData{})
}

// accountRefused shows the account page again with one form's error.
func (h *handler) accountRefused(c *fiber.Ctx, status int, form, field, message string, d accountData) error {
	d.Errors = formErrors{form + "." + field: message}
	return h.accountPage(c, status, d)
}

// accountProfile changes the person's name (field full_name).
func (h *handler) accountProfile(c *fiber.Ctx) error {
	if err := requireForm(c); err != nil {
		return err
	}
	name := c.FormValue("full_name")
	err := h.store.UpdateProfile(c.UserContext(), currentUser(c), name)
	if v, ok := models.AsValidation(err); ok {
		return h.accountRefused(c, http.StatusUnprocessableEntity, "profile", v.Field, v.Message,
			accountData{FullName: accountForm{FullName: name}.display().FullName})
	}
	if err != nil {
		return err
	}
	return h.redirectWithFlash(c, "/account", "profile-saved")
}

// currentPasswordRefused checks the current_password field of a sensitive
// account form. When the password is refused it shows the account page
// again with the reason under that form, and reports true.
func (h *handler) currentPasswordRefused(c *fiber.Ctx, form string, d accountData) (bool, error) {
	if err := requireForm(c); err != nil {
		return true, err
	}
	message, status, err := h.checkPasswordAgain(c, currentUser(c))
	if err != nil || message == "" {
		return err != nil, err
	}
	return true, h.accountRefused(c, status, form, "current_password", message, d)
}

// accountPassword sets a new password (fields current_password,
// password): every session ends, and this browser gets a new one.
func (h *handler) accountPassword(c *fiber.Ctx) error {
	if refused, err := h.currentPasswordRefused(c, "password", accountData{}); refused {
		return err
	}
	u := currentUser(c)
	err := h.store.ChangePassword(c.UserContext(), u, c.FormValue("password"))
	if v, ok := models.AsValidation(err); ok {
		return h.accountRefused(c, http.StatusUnprocessableEntity, "password", v.Field, v.Message, accountData{})
	}
	if err != nil {
		return err
	}
	c.Locals(localToken, "") // ended with the others
	if err := h.signIn(c, u); err != nil {
		return err
	}
	return h.redirectWithFlash(c, "/account", "password-changed")
}

// accountEmail asks to move the account to a new address (fields email,
// current_password); the change waits for the link mailed to it.
func (h *handler) accountEmail(c *fiber.Ctx) error {
	if err := requireForm(c); err != nil {
		return err
	}
	d := accountData{NewEmail: accountForm{Email: models.NormalizeEmail(c.FormValue("email"))}.display().Email}
	if refused, err := h.currentPasswordRefused(c, "email", d); refused {
		return err
	}
	wait, err := h.store.RequestEmailChange(c.UserContext(), currentUser(c), c.FormValue("email"), h.baseURL)
	if v, ok := models.AsValidation(err); ok {
		return h.accountRefused(c, http.StatusUnprocessableEntity, "email", v.Field, v.Message, d)
	}
	if errors.Is(err, models.ErrEmailTaken) {
		return h.accountRefused(c, http.StatusConflict, "email", "email", "Another account uses this address.", d)
	}
	if err != nil {
		return err
	}
	if wait > 0 {
		setRetryAfter(c, wait)
		return h.accountRefused(c, http.StatusTooManyRequests, "email", "email",
			"You asked for several changes recently. Try again in "+humanDuration(wait)+".", d)
	}
	return h.redirectWithFlash(c, "/account", "email-change-sent")
}

// accountPreferences turns reminder emails off or on (field reminders:
// "on" or "off").
func (h *handler) accountPreferences(c *fiber.Ctx) error {
	if err := requireForm(c); err != nil {
		return err
	}
	var optOut bool
	switch c.FormValue("reminders") {
	case "on":
	case "off":
		optOut = true
	default:
		return errStatus(http.StatusUnprocessableEntity, "invalid_field", "Reminders must be \"on\" or \"off\".")
	}
	if err := h.store.SetReminderPreference(c.UserContext(), currentUser(c), optOut); err != nil {
		return err
	}
	return h.redirectWithFlash(c, "/account", "preferences-saved")
}

// accountRevokeOthers signs the person out everywhere but here.
func (h *handler) accountRevokeOthers(c *fiber.Ctx) error {
	token, _ := c.Locals(localToken).(string)
	if _, err := h.store.EndOtherSessions(c.UserContext(), currentUser(c).ID, token); err != nil {
		return err
	}
	return h.redirectWithFlash(c, "/account", "sessions-ended")
}
