package routes

import (
	"errors"
	"net/http"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// verifyEmail opens a link mailed to an address: it confirms the
// account's address, or makes a new address the account's.
func (h *handler) verifyEmail(c *fiber.Ctx) error {
	res, err := h.store.ConfirmEmail(c.UserContext(), c.Params("token"))
	switch {
	case errors.Is(err, models.ErrTokenInvalid):
		return h.render(c, http.StatusGone, "verify_email", page{Title: h.t(c, "title.link_invalid"), Narrow: true})
	case errors.Is(err, models.ErrEmailTaken):
		return errStatus(http.StatusConflict, "email_taken",
			"Another account took this address in the meantime, so your account keeps its current one.")
	case err != nil:
		return err
	}
	to, key := "/dashboard", "email-verified"
	if res.Changed {
		to, key = "/account", "email-changed"
	}
	if u := currentUser(c); u == nil || u.ID != res.User.ID {
		to = loginURL(to)
	}
	return h.redirectWithFlash(c, to, key)
}

// verificationResend mails a new confirmation link, a few times an hour
// at most.
func (h *handler) verificationResend(c *fiber.Ctx) error {
	u := currentUser(c)
	if u.Verified() {
		return h.redirectWithFlash(c, "/dashboard", "email-verified")
	}
	wait, err := h.store.ResendVerification(c.UserContext(), u, h.baseURL)
	if err != nil {
		return err
	}
	if wait > 0 {
		setRetryAfter(c, wait)
		return errStatus(http.StatusTooManyRequests, "rate_limited",
			"We have sent you several links recently. Check your inbox and spam folder, or ask again in "+humanDuration(wait)+".")
	}
	return h.redirectWithFlash(c, orDefault(safeNext(c.FormValue("next")), "/dashboard"), "verification-sent")
}
