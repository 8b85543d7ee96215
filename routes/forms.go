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

// formErrors maps a field name ("form" for the whole form) to its message,
// on the console's forms.
type formErrors map[string]string

// formPage is the data of a page with a form.
type formPage struct {
	Form   accountForm
	Errors fieldErrors
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

// account turns the form into the store's input; lang is the language the
// person signed up in.
func (f accountForm) account(lang string) models.NewAccount {
	return models.NewAccount{FullName: f.FullName, Email: f.Email, Password: f.Password, Language: lang}
}

// refusal is fieldRefusal for the console's forms, which show each
// message beside its field: a field ("form" for the whole form) maps to its
// first message.
func refusal(err error) (formErrors, int, error) {
	fields, status, err := fieldRefusal(err)
	if err != nil {
		return nil, 0, err
	}
	out := formErrors{}
	for _, f := range fields {
		if key := orDefault(f.Field, "form"); out[key] == "" {
			out[key] = f.Message
		}
	}
	return out, status, nil
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
