package routes

import (
	"net/http"
	"net/url"
	"time"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// requireSecondFactor sends an administrator without a second factor to
// enrolment before any console request; others pass (the routes check
// their roles).
func (h *handler) requireSecondFactor(c *fiber.Ctx) error {
	user := currentUser(c)
	if !user.IsAdmin() || user.HasMFA() {
		return c.Next()
	}
	if wantsJSON(c) {
		return errStatus(http.StatusForbidden, "mfa_required",
			"Administrators must turn on two-step sign-in at /account/mfa before using the console.")
	}
	to := "/account/mfa"
	if next := safeNext(c.OriginalURL()); next != "" && c.Method() == fiber.MethodGet {
		to += "?next=" + url.QueryEscape(next)
	}
	return h.redirectWithFlash(c, to, "mfa-required")
}

// confirmData is the page that asks for the password or a code again before
// a sensitive action; its form posts the action's own fields back to it.
type confirmData struct {
	Action string
	Fields []hiddenField
	HasMFA bool
	Error  string
	// Minutes is how long a confirmation lasts.
	Minutes int
}

type hiddenField struct{ Name, Value string }

// confirmFields are the fields the confirmation adds; they are not the
// action's own.
var confirmFields = map[string]bool{"_csrf": true, "current_password": true, "code": true, "recovery_code": true}

// requireRecentConfirmation lets a sensitive action through only if the
// session's password or code is recent (models.ConfirmationWindow).
// Otherwise it answers with a page asking for either, whose form repeats the
// action with the same fields; the right answer renews the session's
// confirmation and the action goes ahead.
func (h *handler) requireRecentConfirmation(c *fiber.Ctx) error {
	if currentSession(c).RecentlyConfirmed(h.store.Now()) {
		return c.Next()
	}
	if bearer, _ := c.Locals(localBearer).(bool); bearer || wantsJSON(c) {
		return errStatus(http.StatusForbidden, "confirmation_required",
			"This action needs a sign-in from the last 15 minutes: create a new token with POST /api/v1/sessions.")
	}
	if err := requireForm(c); err != nil {
		return err
	}
	user := currentUser(c)
	var status int
	var message string
	var err error
	switch {
	case c.FormValue("current_password") != "":
		message, status, err = h.checkPasswordAgain(c, user)
	case c.FormValue("code") != "" || c.FormValue("recovery_code") != "":
		status, message, err = h.checkSecondFactor(c, user.ID, c.FormValue("code"), c.FormValue("recovery_code"))
	default:
		return h.renderConfirm(c, http.StatusForbidden, "")
	}
	if err != nil {
		return err
	}
	if message != "" {
		return h.renderConfirm(c, status, message)
	}
	token, _ := c.Locals(localToken).(string)
	if err := h.store.ConfirmSession(c.UserContext(), token); err != nil {
		return err
	}
	return c.Next()
}

func (h *handler) renderConfirm(c *fiber.Ctx, status int, message string) error {
	d := confirmData{Action: safeNext(c.OriginalURL()), HasMFA: currentUser(c).HasMFA(), Error: message,
		Minutes: int(models.ConfirmationWindow / time.Minute)}
	if d.Action == "" {
		return errBadRequest("This address cannot be confirmed.")
	}
	c.Request().PostArgs().VisitAll(func(k, v []byte) {
		if !confirmFields[string(k)] {
			d.Fields = append(d.Fields, hiddenField{Name: string(k), Value: string(v)})
		}
	})
	return h.render(c, status, "confirm", page{Title: h.t(c, "console.confirm.title"), Narrow: true, Data: d})
}
