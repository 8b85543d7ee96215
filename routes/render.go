package routes

import (
	"net/url"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// page is what every template receives.
type page struct {
	Title       string
	Description string
	Narrow      bool
	Scripts     []string
	User        *models.User
	CSRF        string
	Flash       *flash
	Data        any
}

// render writes a full HTML page with the common fields filled in.
func (h *handler) render(c *fiber.Ctx, status int, name string, p page) error {
	p.User = currentUser(c)
	p.CSRF = csrfToken(c)
	if p.Flash == nil {
		p.Flash = h.takeFlash(c)
	}
	c.Status(status)
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return h.views.Render(c.Response().BodyWriter(), name, &p)
}

// flash is a one-time message shown on the next page.
type flash struct {
	Kind    string
	Message string
}

// flashes are the messages a redirect can carry; the cookie holds only the
// key, so nobody can make the site display text of their choosing.
var flashes = map[string]flash{
	"welcome":          {"success", "Welcome! Your account is ready."},
	"signed-in":        {"success", "You are signed in."},
	"signed-out":       {"info", "You have been signed out."},
	"enrolled":         {"success", "You are enrolled. Your first reading is waiting below."},
	"already-enrolled": {"info", "You are already enrolled in this course."},
	"waitlisted":       {"warning", "The cohort is full, so you are on the waitlist. We will write to you when a seat opens."},
	"withdrawn":        {"info", "You have withdrawn from the course. You can join again at any time."},
	"reading-complete": {"success", "Reading marked as complete."},
	"course-complete":  {"success", "Congratulations — you completed the course! Your certificate is ready."},
	"revoked":          {"info", "The certificate has been revoked."},
}

func (h *handler) setFlash(c *fiber.Ctx, key string) {
	h.setCookie(c, "flash", key, 0)
}

func (h *handler) takeFlash(c *fiber.Ctx) *flash {
	key := c.Cookies(h.cookieName("flash"))
	if key == "" {
		return nil
	}
	h.clearCookie(c, "flash")
	if f, ok := flashes[key]; ok {
		return &f
	}
	return nil
}

// redirectWithFlash sends the browser on with a message for the next page.
func (h *handler) redirectWithFlash(c *fiber.Ctx, to, key string) error {
	h.setFlash(c, key)
	return c.Redirect(to, fiber.StatusSeeOther)
}

func loginURL(next string) string {
	if next == "" {
		return "/login"
	}
	return "/login?next=" + url.QueryEscape(next)
}
