package routes

import (
	"net/http"
	"strconv"

	"courseportal/models"
)

// refusal splits an error into a message to show on the form and its
// status, or returns the error itself when it is not the user's to fix.
func refusal(err error) (formErrors, int, error) {
	if v, ok := models.AsValidation(err); ok {
		return formErrors{v.Field: v.Message}, http.StatusUnprocessableEntity, nil
	}
	// Conflicts are the user's to resolve on the form; a missing or
	// forbidden thing goes to the error page.
	if he, ok := domainError(err); ok && (he.Status == http.StatusConflict || he.Status == http.StatusUnprocessableEntity) {
		return formErrors{"form": he.Message}, he.Status, nil
	}
	return nil, 0, err
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
