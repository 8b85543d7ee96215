package routes

import (
	"errors"
	"net/http"
	"strconv"

	"courseportal/models"
)

// consoleErrors maps the console's refusals to what the client sees.
var consoleErrors = []struct {
	err    error
	status int
	code   string
}{
	{models.ErrReadingHasProgress, http.StatusConflict, "reading_has_progress"},
	{models.ErrCohortFull, http.StatusConflict, "cohort_full"},
	{models.ErrEditConflict, http.StatusConflict, "edit_conflict"},
	{models.ErrSameCohort, http.StatusUnprocessableEntity, "same_cohort"},
	{models.ErrEnrollmentChanged, http.StatusConflict, "enrollment_changed"},
	{models.ErrDisableSelf, http.StatusConflict, "self_action"},
	{models.ErrDemoteSelf, http.StatusConflict, "self_action"},
	{models.ErrCapacityTooLow, http.StatusConflict, "capacity_too_low"},
}

// consoleError turns a console refusal into an httpError; anything else is
// returned as it is, for the error handler.
func consoleError(err error) error {
	for _, ce := range consoleErrors {
		if errors.Is(err, ce.err) {
			return errStatus(ce.status, ce.code, sentence(ce.err.Error()))
		}
	}
	return err
}

// refusal splits an error into a message to show on the form and its
// status, or returns the error itself when it is not the user's to fix.
func refusal(err error) (formErrors, int, error) {
	if v, ok := models.AsValidation(err); ok {
		return formErrors{v.Field: v.Message}, http.StatusUnprocessableEntity, nil
	}
	var he *httpError
	if errors.As(consoleError(err), &he) {
		return formErrors{"form": he.Message}, he.Status, nil
	}
	return nil, 0, err
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
