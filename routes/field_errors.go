package routes

import (
	"errors"
	"net/http"

	"courseportal/models"
)

// fieldError is one message of a submitted form: the field it is about
// ("" for the whole form) and the id of that field's input, which the
// error summary links to.
type fieldError struct {
	Field   string
	Input   string
	Message string
}

// fieldErrors are every message of one submitted form, in the order of its
// fields. The page lists them all in an error summary at its top and each
// beside its field, so one round trip shows everything to fix.
type fieldErrors []fieldError

// For is the message about field, or "".
func (e fieldErrors) For(field string) string {
	for _, f := range e {
		if f.Field == field {
			return f.Message
		}
	}
	return ""
}

// with adds a message about field, whose input has the field's name as id;
// a field keeps its first message.
func (e fieldErrors) with(field, message string) fieldErrors {
	return e.withInput(field, field, message)
}

// withInput adds a message about field, whose input has the id input.
func (e fieldErrors) withInput(field, input, message string) fieldErrors {
	if message == "" || (field != "" && e.For(field) != "") {
		return e
	}
	return append(e, fieldError{Field: field, Input: input, Message: message})
}

// formError is a message about the whole form (none when message is "").
func formError(message string) fieldErrors { return fieldErrors{}.with("", message) }

// invalidFields turns the store's validation errors into messages.
func invalidFields(list []*models.ValidationError) fieldErrors {
	var out fieldErrors
	for _, v := range list {
		out = out.with(v.Field, v.Message)
	}
	return out
}

// fieldRefusal splits an error into messages to show on a form and their
// status, or returns the error itself when it is not the person's to fix:
// invalid fields are named (422), a taken email the email field (409),
// other conflicts the whole form; a missing or forbidden thing goes to the
// error page.
func fieldRefusal(err error) (fieldErrors, int, error) {
	if list := models.Validations(err); len(list) > 0 {
		return invalidFields(list), http.StatusUnprocessableEntity, nil
	}
	if errors.Is(err, models.ErrEmailTaken) {
		return fieldErrors{}.with("email", "An account with this email address already exists."), http.StatusConflict, nil
	}
	if he, ok := domainError(err); ok && (he.Status == http.StatusConflict || he.Status == http.StatusUnprocessableEntity) {
		return formError(he.Message), he.Status, nil
	}
	return nil, 0, err
}
