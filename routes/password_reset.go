package routes

import (
	"errors"
	"net/http"
	"time"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// forgotAnswerTime is how long a reset request takes at least, whether or
// not the address has an account, so the time of the answer does not tell
// (writing the link and the mail takes a few milliseconds more).
const forgotAnswerTime = 200 * time.Millisecond

// forgotData is the "forgot your password" page.
type forgotData struct {
	Email  string
	Errors fieldErrors
	// Sent is true once a request was taken: the page then says what
	// happens next, the same words for every address.
	Sent bool
}

func (h *handler) forgotPage(c *fiber.Ctx, status int, d forgotData) error {
	return h.render(c, status, "password_forgot", page{Title: h.t(c, "title.forgot"), Narrow: true, Data: d})
}

// forgotShow asks for the address to send a reset link to.
func (h *handler) forgotShow(c *fiber.Ctx) error {
	return h.forgotPage(c, http.StatusOK, forgotData{Email: formLine(c.Query("email"))})
}

// forgotSubmit mails a reset link if the address has an account, and
// answers the same page, in about the same time, either way.
func (h *handler) forgotSubmit(c *fiber.Ctx) error {
	started := time.Now()
	if err := requireForm(c); err != nil {
		return err
	}
	d := forgotData{Email: models.NormalizeEmail(c.FormValue("email"))}
	if err := models.ValidateEmail(d.Email); err != nil {
		d.Email = accountForm{Email: d.Email}.display().Email
		d.Errors = invalidFields(models.Validations(err))
		return h.forgotPage(c, http.StatusUnprocessableEntity, d)
	}
	// Both limits count every request, account or not, so a refusal says
	// nothing about the address either.
	wait, err := h.store.TakeRate(c.UserContext(),
		models.RateCheck{Bucket: models.RateBucket("forgot:address", d.Email), Limit: models.ForgotPerAddress},
		models.RateCheck{Bucket: models.RateBucket("forgot:client", c.IP()), Limit: models.ForgotPerClient})
	if err != nil {
		return err
	}
	if wait > 0 {
		setRetryAfter(c, wait)
		d.Errors = formError("We have sent several reset links recently. Check your inbox (and spam folder), or try again in " +
			humanDuration(wait) + ".")
		return h.forgotPage(c, http.StatusTooManyRequests, d)
	}
	if err := h.store.RequestPasswordReset(c.UserContext(), d.Email, h.baseURL); err != nil {
		return err
	}
	if rest := forgotAnswerTime - time.Since(started); rest > 0 {
		time.Sleep(rest)
	}
	d.Sent = true
	return h.forgotPage(c, http.StatusOK, d)
}

// resetData is the page that chooses a new password.
type resetData struct {
	Token  string
	Email  string
	Errors fieldErrors
	// Dead is true when the link is unknown, used, replaced or expired.
	Dead bool
}

func (h *handler) resetPage(c *fiber.Ctx, status int, d resetData) error {
	return h.render(c, status, "password_reset", page{Title: h.t(c, "title.reset"), Narrow: true, Data: d})
}

// deadResetLink says plainly that the link cannot be used, and how to get
// a new one.
func (h *handler) deadResetLink(c *fiber.Ctx) error {
	return h.resetPage(c, http.StatusGone, resetData{Dead: true})
}

// resetShow offers the new-password form for a live link; opening it does
// not use the link, so a mail scanner that follows links spends nothing.
func (h *handler) resetShow(c *fiber.Ctx) error {
	token := c.Params("token")
	u, err := h.store.PasswordResetAccount(c.UserContext(), token)
	if errors.Is(err, models.ErrTokenInvalid) {
		return h.deadResetLink(c)
	}
	if err != nil {
		return err
	}
	return h.resetPage(c, http.StatusOK, resetData{Token: token, Email: u.Email})
}

// resetSubmit sets the new password, which ends every session of the
// account, then signs this browser in with a new one.
func (h *handler) resetSubmit(c *fiber.Ctx) error {
	if err := requireForm(c); err != nil {
		return err
	}
	token := c.Params("token")
	user, err := h.store.ResetPassword(c.UserContext(), token, c.FormValue("password"))
	if errors.Is(err, models.ErrTokenInvalid) {
		return h.deadResetLink(c)
	}
	if list := models.Validations(err); len(list) > 0 {
		d := resetData{Token: token, Errors: invalidFields(list)}
		if u, err := h.store.PasswordResetAccount(c.UserContext(), token); err == nil {
			d.Email = u.Email
		}
		return h.resetPage(c, http.StatusUnprocessableEntity, d)
	}
	if err != nil {
		return err
	}
	// The session the cookie named is gone with the others.
	c.Locals(localToken, "")
	if user.HasMFA() {
		// A mailbox alone does not sign in a person with a second factor.
		return h.startMFAChallenge(c, user, "/dashboard")
	}
	if err := h.signIn(c, user); err != nil {
		return err
	}
	return h.redirectWithFlash(c, "/dashboard", "password-reset")
}
