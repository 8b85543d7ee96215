package routes

import (
	"net/http"
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
	// OfflineKey names the signed-in person's saved readings on the device.
	OfflineKey string
	// OfflineSession names the sign-in that writes queued on the device
	// belong to (offlineSession).
	OfflineSession string
	Flash          *flash
	// Contact is the course team's, in the footer.
	Contact models.Contact
	// Here is the page's own address, where the language selector returns.
	Here string
	Data any
}

// render writes a full HTML page with the common fields filled in.
func (h *handler) render(c *fiber.Ctx, status int, name string, p page) error {
	h.fillPage(c, &p)
	c.Status(status)
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return h.views.Render(c.Response().BodyWriter(), name, h.localizer(c), &p)
}

// renderAround writes a page whose middle was written in Go (a long table):
// its template's head part, the middle's bytes, then its tail part, straight
// to the response, sparing the template a copy of the middle. A template
// error resets what was written.
func (h *handler) renderAround(c *fiber.Ctx, name, head string, middle []byte, tail string, p *page) error {
	h.fillPage(c, p)
	loc := h.localizer(c)
	c.Status(http.StatusOK)
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	w := c.Response().BodyWriter()
	err := h.views.RenderPart(w, name, head, loc, p)
	if err == nil {
		_, err = w.Write(middle)
	}
	if err == nil {
		err = h.views.RenderPart(w, name, tail, loc, p)
	}
	if err != nil {
		c.Response().ResetBody()
	}
	return err
}

// fillPage fills in the fields every page carries, for render and for the
// reader, which writes its page in parts.
func (h *handler) fillPage(c *fiber.Ctx, p *page) {
	// The service worker shows its offline page in the language of the
	// last page the network gave, which it reads here.
	c.Set(fiber.HeaderContentLanguage, h.localizer(c).Code())
	p.User = currentUser(c)
	p.CSRF = csrfToken(c)
	p.OfflineKey = offlineKey(p.User)
	p.Contact = h.contact(c.UserContext())
	if p.User != nil {
		token, _ := c.Locals(localToken).(string)
		p.OfflineSession = offlineSession(token)
	}
	if p.Flash == nil {
		p.Flash = h.takeFlash(c, h.localizer(c))
	}
	p.Here = c.Path()
}

func loginURL(next string) string {
	if next == "" {
		return "/login"
	}
	return "/login?next=" + url.QueryEscape(next)
}
