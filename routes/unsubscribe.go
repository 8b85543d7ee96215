package routes

import (
	"errors"
	"net/http"
	"strings"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// unsubscribeView is the unsubscribe page's data.
type unsubscribeView struct {
	Token  string
	Email  string
	OptOut bool
	// Done is set after a change, to say it was saved.
	Done bool
}

// unsubscribeShow asks to confirm: mail scanners and link previews open
// links, so GET changes nothing.
func (h *handler) unsubscribeShow(c *fiber.Ctx) error {
	u, err := h.unsubscribeUser(c)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, "unsubscribe", page{Title: h.t(c, "title.reminders"), Narrow: true,
		Data: unsubscribeView{Token: c.Params("token"), Email: maskEmail(u.Email), OptOut: u.RemindersOptOut}})
}

// unsubscribeSubmit turns reminders off, or back on with action=resubscribe.
// It is also RFC 8058's one-click endpoint (isOneClickUnsubscribe).
func (h *handler) unsubscribeSubmit(c *fiber.Ctx) error {
	if err := requireForm(c); err != nil {
		return err
	}
	optOut := true
	switch action := c.FormValue("action"); {
	case isOneClickUnsubscribe(c):
		// Exempt from CSRF, so it only ever turns reminders off.
	case action == "" || action == "unsubscribe":
	case action == "resubscribe":
		optOut = false
	default:
		return errBadRequest("The action must be unsubscribe or resubscribe.")
	}
	u, err := h.store.SetRemindersOptOut(c.UserContext(), c.Params("token"), optOut)
	if err != nil {
		return unsubscribeError(err)
	}
	return h.render(c, http.StatusOK, "unsubscribe", page{Title: h.t(c, "title.reminders"), Narrow: true,
		Data: unsubscribeView{Token: c.Params("token"), Email: maskEmail(u.Email), OptOut: u.RemindersOptOut, Done: true}})
}

func (h *handler) unsubscribeUser(c *fiber.Ctx) (*models.User, error) {
	u, err := h.store.UserByUnsubscribeToken(c.UserContext(), c.Params("token"))
	return u, unsubscribeError(err)
}

func unsubscribeError(err error) error {
	if errors.Is(err, models.ErrNotFound) {
		return errStatus(http.StatusNotFound, "unsubscribe_unknown",
			"This unsubscribe link is not valid. Copy the whole link from the email, or sign in and contact your instructors.")
	}
	return err
}

// maskEmail shows enough of an address to recognise it, not to harvest it:
// "farid@example.org" becomes "f•••d@example.org".
func maskEmail(email string) string {
	local, domain, ok := strings.Cut(email, "@")
	if !ok {
		return "•••"
	}
	r := []rune(local)
	if len(r) == 0 {
		return "•••@" + domain
	}
	if len(r) <= 2 {
		return string(r[:1]) + "•••@" + domain
	}
	return string(r[0]) + "•••" + string(r[len(r)-1]) + "@" + domain
}
