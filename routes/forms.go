package routes

import (
	"errors"
	"net/http"
	"strings"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// accountForm is the sign-up and join form.
type accountForm struct {
	FullName string
	Email    string
	Password string
	Next     string
}

// formErrors maps a field name ("form" for the whole form) to its message.
type formErrors map[string]string

// formPage is the data of a page with a form.
type formPage struct {
	Form   accountForm
	Errors formErrors
	Next   string
	Extra  any
	// LoginURL, when the email is taken, is the login form with that
	// address and the place the person was going.
	LoginURL string
	// Continue names, in words, the page a login leads on to.
	Continue string
}

// requireForm rejects bodies that are not HTML forms.
func requireForm(c *fiber.Ctx) error {
	if !isForm(c) {
		return errStatus(http.StatusUnsupportedMediaType, "unsupported_media_type",
			"Send this form as application/x-www-form-urlencoded.")
	}
	return nil
}

func parseAccountForm(c *fiber.Ctx) (accountForm, error) {
	if err := requireForm(c); err != nil {
		return accountForm{}, err
	}
	return accountForm{
		FullName: c.FormValue("full_name"),
		Email:    strings.TrimSpace(c.FormValue("email")),
		Password: c.FormValue("password"),
		Next:     safeNext(c.FormValue("next")),
	}, nil
}

// account turns the form into the store's input.
func (f accountForm) account() models.NewAccount {
	return models.NewAccount{FullName: f.FullName, Email: f.Email, Password: f.Password}
}

// refusal splits an error into messages to show on the form and their
// status, or returns the error itself when it is not the user's to fix: a
// validation error names its field (422), a taken email the email field
// (409), other conflicts the whole form; a missing or forbidden thing goes
// to the error page.
func refusal(err error) (formErrors, int, error) {
	if v, ok := models.AsValidation(err); ok {
		return formErrors{v.Field: v.Message}, http.StatusUnprocessableEntity, nil
	}
	if errors.Is(err, models.ErrEmailTaken) {
		return formErrors{"email": "An account with this email address already exists."}, http.StatusConflict, nil
	}
	if he, ok := domainError(err); ok && (he.Status == http.StatusConflict || he.Status == http.StatusUnprocessableEntity) {
		return formErrors{"form": he.Message}, he.Status, nil
	}
	return nil, 0, err
}

// display strips what must not be echoed back into a form.
func (f accountForm) display() accountForm {
	f.Password = ""
	f.FullName = strings.ToValidUTF8(strings.ReplaceAll(f.FullName, "\x00", ""), "")
	f.Email = strings.ToValidUTF8(strings.ReplaceAll(f.Email, "\x00", ""), "")
	return f
}

// takenEmailLogin is the login link offered beside "already exists": it
// keeps the address and where the person was going. It is empty for any
// other refusal.
func takenEmailLogin(err error, email, next string) string {
	if !errors.Is(err, models.ErrEmailTaken) {
		return ""
	}
	return loginURLFor(email, next)
}
