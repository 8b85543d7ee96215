package models

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Domain errors. Handlers map them to HTTP statuses; anything else is a real
// failure.
var (
	ErrNotFound          = errors.New("not found")
	ErrEmailTaken        = errors.New("an account with this email already exists")
	ErrInvalidLogin      = errors.New("email or password is incorrect")
	ErrAccountDisabled   = errors.New("this account is disabled")
	ErrEnrollmentClosed  = errors.New("enrollment is closed for this course")
	ErrNotEnrolled       = errors.New("you are not enrolled in this course")
	ErrNotActive         = errors.New("your enrollment is not active")
	ErrAlreadyCompleted  = errors.New("this enrollment is already completed")
	ErrReadingLocked     = errors.New("this reading is not open yet")
	ErrCapacityTooLow    = errors.New("capacity cannot be lower than the seats already taken")
	ErrCertificateRevoke = errors.New("certificate is already revoked")
	ErrNoAttemptsLeft    = errors.New("you have no attempts left for this knowledge check")
	ErrCheckRequired     = errors.New("this reading is completed by passing its knowledge check")
	ErrCheckHasAttempts  = errors.New("students have attempted this check, so it cannot be deleted; edit it instead")
	ErrNoCheck           = errors.New("this reading has no knowledge check")
	// ErrBusy is a request the server sheds under load (no hashing slot in
	// time); the client should retry shortly.
	ErrBusy = errors.New("the server is busy")
)

// TooSoonError refuses "Mark as complete" before the reading's minimum
// reading time has passed since the person first opened it.
type TooSoonError struct {
	// Left is the time still to wait; At is when completion opens.
	Left time.Duration
	At   time.Time
}

func (e *TooSoonError) Error() string {
	return fmt.Sprintf("this reading can be marked complete in %s", HumanDuration(e.Left))
}

// HumanDuration words a wait like "3 minutes" or "40 seconds".
func HumanDuration(d time.Duration) string {
	secs := int((d + time.Second - 1) / time.Second)
	switch {
	case secs == 1:
		return "1 second"
	case secs < 60:
		return fmt.Sprintf("%d seconds", secs)
	case secs <= 60:
		return "1 minute"
	}
	return fmt.Sprintf("%d minutes", (secs+59)/60)
}

// Refusals of staff actions, explained to the person who tried.
var (
	ErrReadingHasProgress = errors.New("students have already started this reading, so it cannot be deleted")
	ErrCohortFull         = errors.New("the target cohort is full")
	ErrEditConflict       = errors.New("someone else saved this reading in the meantime")
	ErrSameCohort         = errors.New("the student is already in this cohort")
	ErrEnrollmentChanged  = errors.New("this student's enrollment changed meanwhile; reload the page and try again")
	ErrDisableSelf        = errors.New("you cannot disable your own account; another administrator can")
	ErrDemoteSelf         = errors.New("you cannot remove your own administrator role; another administrator can")
)

// ValidationError describes one invalid field of a submitted form or body.
type ValidationError struct {
	Field   string
	Message string
}

func (e *ValidationError) Error() string { return e.Field + ": " + e.Message }

// Invalid builds a ValidationError.
func Invalid(field, message string) error { return &ValidationError{Field: field, Message: message} }

// AsValidation reports whether err is a ValidationError and returns it;
// of several, the first.
func AsValidation(err error) (*ValidationError, bool) {
	var v *ValidationError
	ok := errors.As(err, &v)
	return v, ok
}

// ValidationErrors are every invalid field of one form, in the form's
// order, so a person fixes them all in one go. errors.As finds the first,
// which is what an answer naming one field (the JSON API) reports.
type ValidationErrors []*ValidationError

func (e ValidationErrors) Error() string {
	parts := make([]string, len(e))
	for i, v := range e {
		parts[i] = v.Error()
	}
	return strings.Join(parts, "; ")
}

// Unwrap lets errors.Is and errors.As see each field's error.
func (e ValidationErrors) Unwrap() []error {
	out := make([]error, len(e))
	for i, v := range e {
		out[i] = v
	}
	return out
}

// Validations lists every invalid field err reports, in order: several
// from ValidationErrors, one from a ValidationError, none otherwise.
func Validations(err error) []*ValidationError {
	var list ValidationErrors
	if errors.As(err, &list) {
		return list
	}
	if v, ok := AsValidation(err); ok {
		return []*ValidationError{v}
	}
	return nil
}

// joinInvalid gathers the checks of several fields into one error: nil when
// all passed, the first failure that is not a validation (a real failure
// outranks a typo), else every invalid field in order.
func joinInvalid(checks ...error) error {
	var list ValidationErrors
	for _, err := range checks {
		if err == nil {
			continue
		}
		found := Validations(err)
		if len(found) == 0 {
			return err
		}
		list = append(list, found...)
	}
	if len(list) == 0 {
		return nil
	}
	return list
}

// Second-factor errors.
var (
	ErrMFACodeInvalid = errors.New("the code is not right; check the time on your phone and try the newest code")
	ErrMFACodeReused  = errors.New("this code was already used; wait for the next one")
	ErrMFAAlreadyOn   = errors.New("two-step sign-in is already on")
	ErrMFANotOn       = errors.New("two-step sign-in is not on")
	ErrMFARequired    = errors.New("administrators must keep two-step sign-in on")
)

// Name correction errors.
var (
	ErrNotHolder         = errors.New("only the holder of a certificate can ask to correct its name")
	ErrCorrectionPending = errors.New("a name correction for this certificate is already waiting for staff")
	ErrCorrectionDecided = errors.New("this name correction was already decided")
)
