package routes

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// mfaCookie holds the token of a pending second-factor challenge; the state
// itself is on the server.
const mfaCookie = "mfa"

// loginMFAData is the second step of signing in.
type loginMFAData struct {
	Errors   fieldErrors
	Recovery bool
}

// startMFAChallenge ends the first step of signing in for a person with a
// second factor: nothing is signed in yet, the browser only holds a
// challenge that expires in a few minutes.
func (h *handler) startMFAChallenge(c *fiber.Ctx, user *models.User, next string) error {
	token, err := h.store.CreateMFAChallenge(c.UserContext(), user.ID, next)
	if err != nil {
		return err
	}
	h.setCookie(c, mfaCookie, token, models.MFAChallengeTTL)
	return c.Redirect("/login/mfa", fiber.StatusSeeOther)
}

// challengeUser is the person of the browser's pending challenge, or nil
// when it has none or it expired.
func (h *handler) challengeUser(c *fiber.Ctx) (*models.User, string, error) {
	user, next, err := h.store.ChallengeUser(c.UserContext(), c.Cookies(h.cookieName(mfaCookie)))
	if errors.Is(err, models.ErrNotFound) {
		h.clearCookie(c, mfaCookie)
		return nil, "", nil
	}
	return user, next, err
}

// loginMFAShow asks for the code after the password.
func (h *handler) loginMFAShow(c *fiber.Ctx) error {
	user, _, err := h.challengeUser(c)
	if err != nil {
		return err
	}
	if user == nil {
		return h.redirectWithFlash(c, "/login", "mfa-expired")
	}
	return h.render(c, http.StatusOK, "login_mfa", page{Title: h.t(c, "title.mfa"), Narrow: true,
		Data: loginMFAData{Recovery: c.Query("recovery") == "1"}})
}

// loginMFASubmit checks the code (field code) or a recovery code (field
// recovery_code) and then signs in.
func (h *handler) loginMFASubmit(c *fiber.Ctx) error {
	if err := requireForm(c); err != nil {
		return err
	}
	user, next, err := h.challengeUser(c)
	if err != nil {
		return err
	}
	if user == nil {
		return h.redirectWithFlash(c, "/login", "mfa-expired")
	}
	recovery := c.FormValue("recovery_code")
	status, message, err := h.checkSecondFactor(c, user.ID, c.FormValue("code"), recovery)
	if err != nil {
		return err
	}
	if message != "" {
		return h.render(c, status, "login_mfa", page{Title: h.t(c, "title.mfa"), Narrow: true,
			Data: loginMFAData{Errors: codeRefusal(status, codeField(recovery), codeField(recovery), message),
				Recovery: recovery != ""}})
	}
	token := c.Cookies(h.cookieName(mfaCookie))
	h.clearCookie(c, mfaCookie)
	if live, err := h.store.DeleteMFAChallenge(c.UserContext(), token); err != nil || !live {
		if err != nil {
			return err
		}
		return h.redirectWithFlash(c, "/login", "mfa-expired")
	}
	if err := h.signIn(c, user); err != nil {
		return err
	}
	return h.redirectWithFlash(c, orDefault(safeNext(next), "/dashboard"), "signed-in")
}

// codeField is the field a code was typed in: the recovery code's, when
// one was given.
func codeField(recovery string) string {
	if recovery != "" {
		return "recovery_code"
	}
	return "code"
}

// codeRefusal places the refusal of a code or password: on its field, or
// on the whole form when the person must wait (429), which no typing fixes.
func codeRefusal(status int, field, input, message string) fieldErrors {
	if status == http.StatusTooManyRequests {
		return formError(message)
	}
	return fieldErrors{}.withInput(field, input, message)
}

// checkSecondFactor applies the code throttle and checks a TOTP code or a
// recovery code. It returns the status and message to show when refused; an
// empty message means the code was right.
func (h *handler) checkSecondFactor(c *fiber.Ctx, userID int64, code, recovery string) (int, string, error) {
	code, recovery = strings.TrimSpace(code), strings.TrimSpace(recovery)
	switch {
	case code == "" && recovery == "":
		return http.StatusUnprocessableEntity, "Enter the six-digit code from your authenticator app, or a recovery code.", nil
	case len(code) > 32 || len(recovery) > 64:
		return http.StatusUnprocessableEntity, "That code is too long to be right.", nil
	}
	ctx := c.UserContext()
	wait, err := h.store.ReserveMFAAttempt(ctx, userID)
	if err != nil {
		return 0, "", err
	}
	if wait > 0 {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(wait.Round(time.Second).Seconds())))
		return http.StatusTooManyRequests, "Too many wrong codes. Try again in " + humanDuration(wait) + ".", nil
	}
	err = h.store.CheckSecondFactor(ctx, userID, code, recovery)
	switch {
	case errors.Is(err, models.ErrMFACodeInvalid) && recovery != "":
		return http.StatusUnauthorized, "That recovery code is not right or was already used.", nil
	case errors.Is(err, models.ErrMFACodeInvalid), errors.Is(err, models.ErrMFACodeReused):
		return http.StatusUnauthorized, sentence(err.Error()), nil
	case err != nil:
		return 0, "", err
	}
	return 0, "", h.store.ClearMFAFailures(ctx, userID)
}
