package routes

import (
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"net/http"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
	"github.com/skip2/go-qrcode"
)

// mfaIssuer names the portal in authenticator apps.
const mfaIssuer = "courseportal"

// accountMFAData is the two-step sign-in page: enrolment while off, status
// and the recovery-code and turn-off forms while on.
type accountMFAData struct {
	On        bool
	CodesLeft int64
	Secret    string
	QR        template.URL
	Next      string
	Errors    fieldErrors
}

// accountMFACodesData shows fresh recovery codes, once.
type accountMFACodesData struct {
	Codes []string
	Next  string
}

// accountMFAShow shows the enrolment (QR code and secret) or the status.
func (h *handler) accountMFAShow(c *fiber.Ctx) error {
	return h.accountMFAPage(c, http.StatusOK, accountMFAData{Next: safeNext(c.Query("next"))})
}

func (h *handler) accountMFAPage(c *fiber.Ctx, status int, d accountMFAData) error {
	user := currentUser(c)
	ctx := c.UserContext()
	if user.HasMFA() {
		left, err := h.store.RecoveryCodesLeft(ctx, user.ID)
		if err != nil {
			return err
		}
		d.On, d.CodesLeft = true, left
	} else {
		key, err := h.store.BeginMFAEnrolment(ctx, user, mfaIssuer)
		if err != nil {
			return err
		}
		png, err := qrcode.Encode(key.URL, qrcode.Medium, 240)
		if err != nil {
			return fmt.Errorf("mfa: unable to draw QR code: %w", err)
		}
		// The data URI is built here from our own PNG, so it is safe as a URL.
		d.QR = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png)) //nolint:gosec
		d.Secret = key.Secret
	}
	return h.render(c, status, "account_mfa", page{Title: h.t(c, "title.mfa"), Narrow: true, Data: d})
}

// accountMFASubmit confirms enrolment with a code from the app (field code)
// and shows the recovery codes.
func (h *handler) accountMFASubmit(c *fiber.Ctx) error {
	if err := requireForm(c); err != nil {
		return err
	}
	user := currentUser(c)
	next := safeNext(c.FormValue("next"))
	if user.HasMFA() {
		return c.Redirect("/account/mfa", fiber.StatusSeeOther)
	}
	codes, err := h.store.ConfirmMFAEnrolment(c.UserContext(), user, c.FormValue("code"))
	switch {
	case errors.Is(err, models.ErrMFACodeInvalid):
		return h.accountMFAPage(c, http.StatusUnprocessableEntity, accountMFAData{Next: next,
			Errors: fieldErrors{}.with("code", sentence(err.Error()))})
	case errors.Is(err, models.ErrNotFound), errors.Is(err, models.ErrMFAAlreadyOn):
		return c.Redirect("/account/mfa", fiber.StatusSeeOther)
	case err != nil:
		return err
	}
	if token, _ := c.Locals(localToken).(string); token != "" {
		if err := h.store.ConfirmSession(c.UserContext(), token); err != nil {
			return err
		}
	}
	return h.showRecoveryCodes(c, codes, next)
}

func (h *handler) showRecoveryCodes(c *fiber.Ctx, codes []string, next string) error {
	return h.render(c, http.StatusOK, "account_mfa_codes", page{Title: h.t(c, "title.recovery_codes"), Narrow: true,
		Data: accountMFACodesData{Codes: codes, Next: orDefault(next, "/dashboard")}})
}

// accountMFARecoveryCodes replaces the recovery codes, after a code from the
// app (field code).
func (h *handler) accountMFARecoveryCodes(c *fiber.Ctx) error {
	if err := requireForm(c); err != nil {
		return err
	}
	user := currentUser(c)
	if !user.HasMFA() {
		return c.Redirect("/account/mfa", fiber.StatusSeeOther)
	}
	status, message, err := h.checkSecondFactor(c, user.ID, c.FormValue("code"), "")
	if err != nil {
		return err
	}
	if message != "" {
		return h.accountMFAPage(c, status, accountMFAData{Errors: codeRefusal(status, "code", "regen-code", message)})
	}
	codes, err := h.store.RegenerateRecoveryCodes(c.UserContext(), user)
	if err != nil {
		return err
	}
	return h.showRecoveryCodes(c, codes, "/account/mfa")
}

// accountMFADisable turns the second factor off (field current_password);
// administrators cannot.
func (h *handler) accountMFADisable(c *fiber.Ctx) error {
	if err := requireForm(c); err != nil {
		return err
	}
	user := currentUser(c)
	if user.IsAdmin() {
		return h.accountMFAPage(c, http.StatusConflict, accountMFAData{Errors: formError(sentence(models.ErrMFARequired.Error()))})
	}
	if !user.HasMFA() {
		return c.Redirect("/account/mfa", fiber.StatusSeeOther)
	}
	if message, status, err := h.checkPasswordAgain(c, user); err != nil || message != "" {
		if err != nil {
			return err
		}
		return h.accountMFAPage(c, status, accountMFAData{Errors: codeRefusal(status, "current_password", "current_password", message)})
	}
	if err := h.store.DisableMFA(c.UserContext(), user); err != nil {
		return err
	}
	return h.redirectWithFlash(c, "/account/mfa", "mfa-off")
}

// checkPasswordAgain checks the signed-in person's password (field
// current_password) under the sign-in throttle. It returns the message and
// status to show when it is wrong.
func (h *handler) checkPasswordAgain(c *fiber.Ctx, user *models.User) (string, int, error) {
	password := c.FormValue("current_password")
	if password == "" {
		return "Enter your password.", http.StatusUnprocessableEntity, nil
	}
	ok, status, message, err := h.checkLogin(c, user.Email, password)
	if err != nil || ok != nil {
		return "", 0, err
	}
	if status == http.StatusUnauthorized {
		message = "That password is not right."
	}
	return message, status, nil
}
