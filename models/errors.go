package models

import "errors"

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
)

// ValidationError describes one invalid field of a submitted form or body.
type ValidationError struct {
	Field   string
	Message string
}

func (e *ValidationError) Error() string { return e.Field + ": " + e.Message }

// Invalid builds a ValidationError.
func Invalid(field, message string) error { return &ValidationError{Field: field, Message: message} }

// AsValidation reports whether err is a ValidationError and returns it.
func AsValidation(err error) (*ValidationError, bool) {
	var v *ValidationError
	ok := errors.As(err, &v)
	return v, ok
}
