package routes

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

func (h *handler) signupShow(c *fiber.Ctx) error {
	if currentUser(c) != nil {
		return c.Redirect("/dashboard", fiber.StatusSeeOther)
	}
	next := safeNext(c.Query("next"))
	return h.render(c, http.StatusOK, "signup", page{Title: h.t(c, "nav.signup"), Narrow: true, Data: formPage{Next: next}})
}

func (h *handler) signupSubmit(c *fiber.Ctx) error {
	form, err := parseAccountForm(c)
	if err != nil {
		return err
	}
	refused, err := h.reserveClientAttempt(c)
	if err != nil {
		return err
	}
	if refused != "" {
		return h.render(c, http.StatusTooManyRequests, "signup", page{Title: h.t(c, "nav.signup"), Narrow: true,
			Data: formPage{Form: form.display(), Errors: formError(refused), Next: form.Next}})
	}
	user, err := h.store.Register(c.UserContext(), form.account(h.localizer(c).Code()), h.baseURL)
	if err != nil {
		login := takenEmailLogin(err, form.Email, form.Next)
		errs, status, err := fieldRefusal(err)
		if err != nil {
			return err
		}
		return h.render(c, status, "signup", page{Title: h.t(c, "nav.signup"), Narrow: true,
			Data: formPage{Form: form.display(), Errors: errs, Next: form.Next, LoginURL: login}})
	}
	if err := h.signIn(c, user); err != nil {
		return err
	}
	return h.redirectWithFlash(c, orDefault(form.Next, "/dashboard"), "welcome")
}

func (h *handler) loginShow(c *fiber.Ctx) error {
	if currentUser(c) != nil {
		return c.Redirect(orDefault(safeNext(c.Query("next")), "/dashboard"), fiber.StatusSeeOther)
	}
	next := safeNext(c.Query("next"))
	purpose, err := h.describeNext(c, next)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, "login", page{Title: h.t(c, "nav.login"), Narrow: true,
		Data: formPage{Form: accountForm{Email: prefilledEmail(c)}, Next: next, Continue: purpose}})
}

func (h *handler) loginSubmit(c *fiber.Ctx) error {
	form, err := parseAccountForm(c)
	if err != nil {
		return err
	}
	user, status, errs, err := h.tryLogin(c, form)
	if err != nil {
		return err
	}
	if user == nil {
		purpose, err := h.describeNext(c, form.Next)
		if err != nil {
			return err
		}
		return h.render(c, status, "login", page{Title: h.t(c, "nav.login"), Narrow: true,
			Data: formPage{Form: form.display(), Errors: errs, Next: form.Next, Continue: purpose}})
	}
	if user.HasMFA() {
		return h.startMFAChallenge(c, user, form.Next)
	}
	if err := h.signIn(c, user); err != nil {
		return err
	}
	return h.redirectWithFlash(c, orDefault(form.Next, "/dashboard"), "signed-in")
}

// tryLogin checks the form's fields, then the credentials. It returns the
// user, or the status and messages to show.
func (h *handler) tryLogin(c *fiber.Ctx, form accountForm) (*models.User, int, fieldErrors, error) {
	if errs := loginFieldErrors(form); len(errs) > 0 {
		return nil, http.StatusUnprocessableEntity, errs, nil
	}
	user, status, message, err := h.checkLogin(c, form.Email, form.Password)
	return user, status, formError(message), err
}

// loginFieldErrors names every field of the login form left empty or
// malformed, before any attempt is counted.
func loginFieldErrors(form accountForm) fieldErrors {
	var errs fieldErrors
	switch {
	case form.Email == "":
		errs = errs.with("email", "Enter your email address.")
	case len(form.Email) > 254 || models.ValidateEmail(models.NormalizeEmail(form.Email)) != nil:
		errs = errs.with("email", "Enter a valid email address, like name@example.org.")
	}
	switch {
	case form.Password == "":
		errs = errs.with("password", "Enter your password.")
	case len(form.Password) > 4*models.MaxPasswordLength:
		errs = errs.with("password", "The password is too long.")
	}
	return errs
}

// checkLogin applies throttling and checks the password. It returns the user,
// or the status and message to show.
func (h *handler) checkLogin(c *fiber.Ctx, email, password string) (*models.User, int, string, error) {
	ctx := c.UserContext()
	if email == "" || password == "" {
		return nil, http.StatusUnprocessableEntity, "Please enter your email address and password.", nil
	}
	if len(password) > 4*models.MaxPasswordLength || len(email) > 254 {
		return nil, http.StatusUnprocessableEntity, "Email or password is too long.", nil
	}
	if models.ValidateEmail(models.NormalizeEmail(email)) != nil {
		return nil, http.StatusUnprocessableEntity, "Please enter a valid email address.", nil
	}
	wait, clientAttempt, err := h.store.ReserveClientAttempt(ctx, c.IP(), h.clientLimit)
	if err != nil {
		return nil, 0, "", err
	}
	if wait > 0 {
		return nil, http.StatusTooManyRequests, tooManyFromClient(c, wait), nil
	}
	device, err := h.knownDevice(c, email)
	if err != nil {
		return nil, 0, "", err
	}
	// Refused before hashing: a locked account costs no argon2id.
	if wait, err = h.store.ReserveLoginAttempt(ctx, email, device); err != nil {
		return nil, 0, "", err
	}
	if wait > 0 {
		setRetryAfter(c, wait)
		return nil, http.StatusTooManyRequests, "Too many failed attempts for this account. Try again in " +
			humanDuration(wait) + ".", nil
	}
	user, err := h.store.Authenticate(ctx, email, password)
	switch {
	case errors.Is(err, models.ErrInvalidLogin):
		// The reserved attempts stay as the failure.
		return nil, http.StatusUnauthorized, "Email or password is incorrect.", nil
	case errors.Is(err, models.ErrAccountDisabled):
		return nil, http.StatusForbidden, "This account is disabled. Contact the course team for help.", nil
	case err != nil:
		return nil, 0, "", err
	}
	if err := h.store.ClearLoginFailures(ctx, email, device); err != nil {
		return nil, 0, "", err
	}
	if err := h.store.ForgetClientAttempt(ctx, clientAttempt); err != nil {
		return nil, 0, "", err
	}
	return user, 0, "", nil
}

// reserveClientAttempt counts a sign-up or join against the client's
// address; it returns the message to show when the client is over its limit.
func (h *handler) reserveClientAttempt(c *fiber.Ctx) (string, error) {
	wait, _, err := h.store.ReserveClientAttempt(c.UserContext(), c.IP(), h.clientLimit)
	if err != nil || wait == 0 {
		return "", err
	}
	return tooManyFromClient(c, wait), nil
}

// tooManyFromClient sets Retry-After and words the refusal of a client over
// its limit.
func tooManyFromClient(c *fiber.Ctx, wait time.Duration) string {
	setRetryAfter(c, wait)
	return "Too many attempts from your network. Try again in " + humanDuration(wait) + "."
}

func setRetryAfter(c *fiber.Ctx, wait time.Duration) {
	c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(wait.Round(time.Second).Seconds())))
}

// signIn starts a new session (a new ID at every sign-in, so a planted
// cookie is useless) and rotates the CSRF token.
func (h *handler) signIn(c *fiber.Ctx, user *models.User) error {
	if old, _ := c.Locals(localToken).(string); old != "" {
		if err := h.store.DeleteSession(c.UserContext(), old); err != nil {
			return err
		}
	}
	token, err := h.store.CreateSession(c.UserContext(), user.ID, c.Get(fiber.HeaderUserAgent))
	if err != nil {
		return err
	}
	if err := h.rememberDevice(c, user.Email); err != nil {
		return err
	}
	h.setCookie(c, "session", token, models.SessionMaxAge)
	c.Locals(localUser, user)
	c.Locals(localToken, token)
	return h.rotateCSRF(c)
}

func (h *handler) logout(c *fiber.Ctx) error {
	if token, _ := c.Locals(localToken).(string); token != "" {
		if err := h.store.DeleteSession(c.UserContext(), token); err != nil {
			return err
		}
	}
	if err := h.forgetThisBrowser(c); err != nil {
		return err
	}
	return h.redirectWithFlash(c, "/", "signed-out")
}

// forgetThisBrowser ends the request's sign-in on this browser: the cookie,
// the request's person and a fresh CSRF token. A shared phone keeps nothing
// of the person who left: Chromium and Firefox drop the site's caches and
// storage (saved readings, queued progress, the service worker) on the
// Clear-Site-Data header; offline.js clears the saved readings itself before
// the form is sent, for the others.
func (h *handler) forgetThisBrowser(c *fiber.Ctx) error {
	h.clearCookie(c, "session")
	c.Set("Clear-Site-Data", `"cache", "storage"`)
	c.Locals(localUser, nil)
	c.Locals(localToken, "")
	return h.rotateCSRF(c)
}

func orDefault(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

func humanDuration(d time.Duration) string {
	minutes := int((d + time.Minute - 1) / time.Minute)
	if minutes <= 1 {
		return "a minute"
	}
	return strconv.Itoa(minutes) + " minutes"
}
