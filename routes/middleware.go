package routes

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

const (
	localUser    = "user"
	localSession = "session"
	localToken   = "session_token"
	localBearer  = "bearer"
)

// contentSecurityPolicy allows only the portal's own scripts and styles.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders sets the headers every response carries.
func (h *handler) securityHeaders(c *fiber.Ctx) error {
	c.Set("Content-Security-Policy", contentSecurityPolicy)
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	c.Set("X-Frame-Options", "DENY")
	c.Set("Cross-Origin-Opener-Policy", "same-origin")
	c.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
	c.Set(fiber.HeaderCacheControl, "no-store")
	if h.secure {
		c.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
	}
	return c.Next()
}

// rejectBadText refuses URLs with NUL bytes or invalid UTF-8 before any
// handler or query sees them.
func rejectBadText(c *fiber.Ctx) error {
	if !cleanText(c.Path()) || !cleanText(string(c.Request().URI().QueryString())) {
		return errBadRequest("The address contains characters that are not allowed.")
	}
	return c.Next()
}

// cleanText reports whether s, URL-decoded, is valid UTF-8 without NUL.
func cleanText(s string) bool {
	if decoded, err := url.PathUnescape(s); err == nil {
		s = decoded
	}
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

// cookieName prefixes names with __Host- over https, which stops sibling
// subdomains from planting them.
func (h *handler) cookieName(name string) string {
	if h.secure {
		return "__Host-" + name
	}
	return name
}

func (h *handler) setCookie(c *fiber.Ctx, name, value string, maxAge time.Duration) {
	c.Cookie(&fiber.Cookie{Name: h.cookieName(name), Value: value, Path: "/", HTTPOnly: true,
		Secure: h.secure, SameSite: fiber.CookieSameSiteLaxMode, MaxAge: int(maxAge.Seconds())})
}

func (h *handler) clearCookie(c *fiber.Ctx, name string) {
	c.Cookie(&fiber.Cookie{Name: h.cookieName(name), Value: "", Path: "/", HTTPOnly: true,
		Secure: h.secure, SameSite: fiber.CookieSameSiteLaxMode, MaxAge: -1, Expires: time.Unix(1, 0)})
}

// loadSession resolves the session cookie or bearer token to a user. A
// request without either costs no query.
func (h *handler) loadSession(c *fiber.Ctx) error {
	token, bearer := "", false
	if auth := c.Get(fiber.HeaderAuthorization); auth != "" {
		scheme, value, found := strings.Cut(auth, " ")
		if !found || !strings.EqualFold(scheme, "Bearer") || value == "" {
			return errStatus(http.StatusUnauthorized, "invalid_token", "The Authorization header must be \"Bearer TOKEN\".")
		}
		token, bearer = strings.TrimSpace(value), true
	} else {
		token = c.Cookies(h.cookieName("session"))
	}
	if token == "" {
		return c.Next()
	}
	user, sess, err := h.store.UserBySession(c.UserContext(), token)
	switch {
	case errors.Is(err, models.ErrNotFound):
		if bearer {
			return errStatus(http.StatusUnauthorized, "invalid_token", "The token is unknown or expired.")
		}
		h.clearCookie(c, "session")
	case err != nil:
		return err
	default:
		signIn(c, user, sess, token, bearer)
	}
	return c.Next()
}

// signIn makes the request the person's, as loadSession does and the
// reader's quick path after its own session check.
func signIn(c *fiber.Ctx, user *models.User, sess *models.Session, token string, bearer bool) {
	c.Locals(localUser, user)
	c.Locals(localSession, sess)
	c.Locals(localToken, token)
	c.Locals(localBearer, bearer)
}

// currentSession is the signed-in user's session, or nil.
func currentSession(c *fiber.Ctx) *models.Session {
	s, _ := c.Locals(localSession).(*models.Session)
	return s
}

// currentUser is the signed-in user, or nil.
func currentUser(c *fiber.Ctx) *models.User {
	u, _ := c.Locals(localUser).(*models.User)
	return u
}

// requireUser sends anonymous visitors to log in (and back afterwards), or
// answers 401 to API clients.
func (h *handler) requireUser(c *fiber.Ctx) error {
	if currentUser(c) != nil {
		return c.Next()
	}
	if wantsJSON(c) {
		return errStatus(http.StatusUnauthorized, "unauthenticated", "Sign in first: send the session cookie or an Authorization: Bearer token.")
	}
	if c.Method() != fiber.MethodGet {
		return c.Redirect("/login", fiber.StatusSeeOther)
	}
	return c.Redirect(loginURL(safeNext(c.OriginalURL())), fiber.StatusSeeOther)
}

// requireStaff admits instructors and admins; per-course ownership is checked
// by the handlers that know the course.
func (h *handler) requireStaff(c *fiber.Ctx) error {
	if !currentUser(c).IsStaff() {
		return errStatus(http.StatusForbidden, "forbidden", "This page is for instructors and administrators.")
	}
	return c.Next()
}

// requireAdmin admits administrators only.
func (h *handler) requireAdmin(c *fiber.Ctx) error {
	if !currentUser(c).IsAdmin() {
		return errStatus(http.StatusForbidden, "forbidden", "This page is for administrators.")
	}
	return c.Next()
}

// isOneClickUnsubscribe recognises RFC 8058's one-click unsubscribe: a mail
// client POSTs "List-Unsubscribe=One-Click" to a reminder's link, with no
// cookie and so no CSRF token. It is exempt from the CSRF check because the
// signed token in the path is the whole authority (a forger would need that
// secret, and with it could post anyway), and such a request can only turn
// reminders off (unsubscribeSubmit); resubscribing still needs the token.
func isOneClickUnsubscribe(c *fiber.Ctx) bool {
	rest, ok := strings.CutPrefix(c.Path(), "/unsubscribe/")
	return ok && c.Method() == fiber.MethodPost && rest != "" && !strings.Contains(rest, "/") &&
		isForm(c) && c.FormValue("List-Unsubscribe") == "One-Click"
}

// isForm reports an URL-encoded form body, the only form encoding accepted
// (multipart is refused before any handler runs).
func isForm(c *fiber.Ctx) bool {
	return strings.HasPrefix(strings.ToLower(c.Get(fiber.HeaderContentType)), fiber.MIMEApplicationForm)
}

// safeNext keeps a post-login redirect on this site: a path of our own,
// without control characters (browsers drop tabs and newlines, so "/\t/x"
// would become "//x", another host) and without a scheme or host.
func safeNext(next string) string {
	if next == "" || len(next) > 512 || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") ||
		strings.ContainsRune(next, '\\') || strings.IndexFunc(next, isControl) >= 0 {
		return ""
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || strings.HasPrefix(u.Path, "//") {
		return ""
	}
	return next
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }
