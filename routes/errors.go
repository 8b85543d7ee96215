package routes

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgconn"
)

// httpError is an error with the status, code and message the client sees.
type httpError struct {
	Status  int
	Code    string
	Message string
	Field   string
}

func (e *httpError) Error() string { return e.Code + ": " + e.Message }

func errStatus(status int, code, message string) error {
	return &httpError{Status: status, Code: code, Message: message}
}

func errNotFound(message string) error {
	if message == "" {
		message = "The page you asked for does not exist."
	}
	return errStatus(http.StatusNotFound, "not_found", message)
}

func errBadRequest(message string) error {
	return errStatus(http.StatusBadRequest, "bad_request", message)
}

// domainErrors maps the store's errors to what the client sees.
var domainErrors = []struct {
	err    error
	status int
	code   string
}{
	{models.ErrNotFound, http.StatusNotFound, "not_found"},
	{models.ErrEmailTaken, http.StatusConflict, "email_taken"},
	{models.ErrInvalidLogin, http.StatusUnauthorized, "invalid_login"},
	{models.ErrAccountDisabled, http.StatusForbidden, "account_disabled"},
	{models.ErrEnrollmentClosed, http.StatusConflict, "enrollment_closed"},
	{models.ErrNotEnrolled, http.StatusForbidden, "not_enrolled"},
	{models.ErrNotActive, http.StatusForbidden, "not_active"},
	{models.ErrAlreadyCompleted, http.StatusConflict, "already_completed"},
	{models.ErrReadingLocked, http.StatusForbidden, "reading_locked"},
	{models.ErrCapacityTooLow, http.StatusConflict, "capacity_too_low"},
	{models.ErrCertificateRevoke, http.StatusConflict, "already_revoked"},
	{models.ErrReadingHasProgress, http.StatusConflict, "reading_has_progress"},
	{models.ErrCohortFull, http.StatusConflict, "cohort_full"},
	{models.ErrEditConflict, http.StatusConflict, "edit_conflict"},
	{models.ErrSameCohort, http.StatusUnprocessableEntity, "same_cohort"},
	{models.ErrEnrollmentChanged, http.StatusConflict, "enrollment_changed"},
	{models.ErrDisableSelf, http.StatusConflict, "self_action"},
	{models.ErrDemoteSelf, http.StatusConflict, "self_action"},
	{models.ErrNotHolder, http.StatusForbidden, "forbidden"},
	{models.ErrCorrectionPending, http.StatusConflict, "correction_pending"},
	{models.ErrCorrectionDecided, http.StatusConflict, "correction_decided"},
	{models.ErrMFAAlreadyOn, http.StatusConflict, "mfa_already_on"},
	{models.ErrMFARequired, http.StatusConflict, "mfa_required"},
	{models.ErrNoAttemptsLeft, http.StatusConflict, "no_attempts_left"},
	{models.ErrAlreadyApplied, http.StatusConflict, "already_applied"},
	{models.ErrCheckRequired, http.StatusConflict, "check_required"},
	{models.ErrCheckHasAttempts, http.StatusConflict, "check_has_attempts"},
	{models.ErrNoCheck, http.StatusNotFound, "not_found"},
	{models.ErrBusy, http.StatusServiceUnavailable, "unavailable"},
}

// domainError finds the client-facing form of a domain error.
func domainError(err error) (*httpError, bool) {
	for _, d := range domainErrors {
		if errors.Is(err, d.err) {
			return &httpError{Status: d.status, Code: d.code, Message: sentence(d.err.Error())}, true
		}
	}
	return nil, false
}

// classify turns any error into what the client sees; ok is false for real
// failures, which are logged and shown without details.
func classify(err error) (e *httpError, ok bool) {
	var he *httpError
	if errors.As(err, &he) {
		return he, true
	}
	if v, isValidation := models.AsValidation(err); isValidation {
		return &httpError{Status: http.StatusUnprocessableEntity, Code: "invalid_field", Message: v.Message, Field: v.Field}, true
	}
	if he, ok := domainError(err); ok {
		return he, true
	}
	if databaseUnavailable(err) {
		return errUnavailable(), true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && (pgErr.Code == "22021" || pgErr.Code == "22P05") {
		// PostgreSQL refuses NUL bytes and invalid UTF-8 in text: bad input.
		return &httpError{Status: http.StatusBadRequest, Code: "bad_request",
			Message: "The request contains characters that are not allowed."}, true
	}
	var fe *fiber.Error
	if errors.As(err, &fe) && fe.Code < 500 {
		return &httpError{Status: fe.Code, Code: fiberCode(fe.Code), Message: fiberMessage(fe)}, true
	}
	return &httpError{Status: http.StatusInternalServerError, Code: "internal",
		Message: "Something went wrong on our side. Please try again in a moment."}, false
}

func fiberCode(status int) string {
	switch status {
	case http.StatusNotFound:
		return "not_found"
	case http.StatusRequestEntityTooLarge:
		return "body_too_large"
	case http.StatusMethodNotAllowed:
		return "method_not_allowed"
	case http.StatusUnsupportedMediaType:
		return "unsupported_media_type"
	case http.StatusRequestHeaderFieldsTooLarge:
		return "headers_too_large"
	}
	return "bad_request"
}

func fiberMessage(fe *fiber.Error) string {
	switch fe.Code {
	case http.StatusRequestEntityTooLarge:
		return "The request body is too large."
	case http.StatusNotFound:
		return "The page you asked for does not exist."
	case http.StatusMethodNotAllowed:
		return "This method is not allowed here."
	}
	return "The request could not be understood."
}

func sentence(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

// retryBusyAfter is the Retry-After, in seconds, of a request shed under
// load: a little longer than a request waits for a hashing slot.
const retryBusyAfter = "5"

// handleError is the application's one error handler: JSON for the API,
// an error page for browsers, no internals for anyone.
func (h *handler) handleError(c *fiber.Ctx, err error) error {
	he, ok := classify(err)
	if he.Status == http.StatusServiceUnavailable {
		c.Set(fiber.HeaderRetryAfter, retryBusyAfter)
	}
	reqID, _ := c.Locals("requestid").(string)
	if !ok {
		h.log.Error("request failed", "request_id", reqID, "method", c.Method(), "path", c.Path(), "error", err)
	}
	if he.Code == "unavailable" {
		h.outage.begin(err) // logged once per outage, not per request
		c.Set(fiber.HeaderRetryAfter, retryAfterHeader)
	}
	if wantsJSON(c) {
		body := fiber.Map{"code": he.Code, "message": he.Message}
		if he.Field != "" {
			body["field"] = he.Field
		}
		if !ok {
			body["request_id"] = reqID
		}
		return c.Status(he.Status).JSON(fiber.Map{"error": body})
	}
	loc := h.localizer(c)
	heading := http.StatusText(he.Status)
	if key := "error.status." + strconv.Itoa(he.Status); loc.Has(key) {
		heading = loc.T(key)
	}
	data := errorPage{Status: he.Status, Heading: heading, Message: he.Message}
	if !ok {
		data.RequestID = reqID
	}
	if he.Status == http.StatusForbidden && currentUser(c) == nil {
		data.Action = &link{URL: loginURL(safeNext(c.OriginalURL())), Label: loc.T("nav.login")}
	}
	return h.render(c, he.Status, "error", page{Title: data.Heading, Data: data})
}

type errorPage struct {
	Status    int
	Heading   string
	Message   string
	RequestID string
	Action    *link
}

type link struct{ URL, Label string }

// wantsJSON decides between an error page and a JSON error.
func wantsJSON(c *fiber.Ctx) bool {
	if strings.HasPrefix(c.Path(), "/api/") || strings.HasSuffix(c.Path(), ".json") {
		return true
	}
	accept := c.Get(fiber.HeaderAccept)
	return strings.Contains(accept, "application/json") && !strings.Contains(accept, "text/html")
}
