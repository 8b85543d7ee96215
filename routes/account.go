package routes

import (
	"errors"
	"net/http"
	"strings"

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
	Errors       fieldErrors
}

// accountInputs are the account page's fields, by form and field name, with
// the ids of their inputs, in the order of the page.
var accountInputs = []struct{ key, input string }{
	{"profile.full_name", "full_name"},
	{"email.email", "new_email"},
	{"email.current_password", "email_current_password"},
	{"password.current_password", "current_password"},
	{"password.password", "password"},
	{"delete.current_password", "delete_current_password"},
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
	d.Sessions = sessionViews(h.localizer(c), sessions, models.SessionIDOf(token))
	if d.PendingEmail, err = h.store.PendingEmailChange(ctx, u.ID); err != nil {
		return err
	}
	if d.FullName == "" {
		d.FullName = u.FullName
	}
	return h.render(c, status, "account", page{Title: h.t(c, "title.account"), Data: d})
}

// accountShow is the account page.
func (h *handler) accountShow(c *fiber.Ctx) error {
	return h.accountPage(c, http.StatusOK, accountData{})
}

// accountRefused shows the account page again with one form's messages,
// those about the whole form first, then the fields' in page order.
func (h *handler) accountRefused(c *fiber.Ctx, status int, form string, errs fieldErrors, d accountData) error {
	d.Errors = formError(errs.For(""))
	for _, in := range accountInputs {
		if field, ok := strings.CutPrefix(in.key, form+"."); ok {
			d.Errors = d.Errors.withInput(in.key, in.input, errs.For(field))
		}
	}
	return h.accountPage(c, status, d)
}

// accountProfile changes the person's name (field full_name).
func (h *handler) accountProfile(c *fiber.Ctx) error {
	if err := requireForm(c); err != nil {
		return err
	}
	name := c.FormValue("full_name")
	err := h.store.UpdateProfile(c.UserContext(), currentUser(c), name)
	if list := models.Validations(err); len(list) > 0 {
		return h.accountRefused(c, http.StatusUnprocessableEntity, "profile", invalidFields(list),
			accountData{FullName: accountForm{FullName: name}.display().FullName})
	}
	if err != nil {
		return err
	}
	return h.redirectWithFlash(c, "/account", "profile-saved")
}

// recheck gathers what a sensitive account form refuses: the current
// password (field current_password) and the form's own fields, whose
// checks fieldsErr reports, all at once. The status is 0 when nothing is
// refused; a refused password keeps its own (401, 429).
func (h *handler) recheck(c *fiber.Ctx, fieldsErr error) (fieldErrors, int, error) {
	if err := requireForm(c); err != nil {
		return nil, 0, err
	}
	message, status, err := h.checkPasswordAgain(c, currentUser(c))
	if err != nil {
		return nil, 0, err
	}
	errs := fieldErrors{}.with("current_password", message)
	fields := models.Validations(fieldsErr)
	if fieldsErr != nil && len(fields) == 0 {
		return nil, 0, fieldsErr
	}
	errs = append(errs, invalidFields(fields)...)
	if len(errs) > 0 && status == 0 {
		status = http.StatusUnprocessableEntity
	}
	return errs, status, nil
}

// currentPasswordRefused checks the current_password field of a form that
// asks for nothing else. When the password is refused it shows the account
// page again with the reason under that form, and reports true.
func (h *handler) currentPasswordRefused(c *fiber.Ctx, form string, d accountData) (bool, error) {
	errs, status, err := h.recheck(c, nil)
	if err != nil || status == 0 {
		return err != nil, err
	}
	return true, h.accountRefused(c, status, form, errs, d)
}

// accountPassword sets a new password (fields current_password,
// password): every session ends, and this browser gets a new one.
func (h *handler) accountPassword(c *fiber.Ctx) error {
	u := currentUser(c)
	password := c.FormValue("password")
	errs, status, err := h.recheck(c, models.ValidatePassword(password, u.Email, u.FullName))
	if err != nil {
		return err
	}
	if status != 0 {
		return h.accountRefused(c, status, "password", errs, accountData{})
	}
	err = h.store.ChangePassword(c.UserContext(), u, password)
	if list := models.Validations(err); len(list) > 0 {
		return h.accountRefused(c, http.StatusUnprocessableEntity, "password", invalidFields(list), accountData{})
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
	u := currentUser(c)
	email := models.NormalizeEmail(c.FormValue("email"))
	d := accountData{NewEmail: accountForm{Email: email}.display().Email}
	errs, status, err := h.recheck(c, models.ValidateNewEmail(u, email))
	if err != nil {
		return err
	}
	if status != 0 {
		return h.accountRefused(c, status, "email", errs, d)
	}
	wait, err := h.store.RequestEmailChange(c.UserContext(), u, email, h.baseURL)
	if list := models.Validations(err); len(list) > 0 {
		return h.accountRefused(c, http.StatusUnprocessableEntity, "email", invalidFields(list), d)
	}
	if errors.Is(err, models.ErrEmailTaken) {
		return h.accountRefused(c, http.StatusConflict, "email", fieldErrors{}.with("email", "Another account uses this address."), d)
	}
	if err != nil {
		return err
	}
	if wait > 0 {
		setRetryAfter(c, wait)
		return h.accountRefused(c, http.StatusTooManyRequests, "email", fieldErrors{}.with("email",
			"You asked for several changes recently. Try again in "+humanDuration(wait)+"."), d)
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
