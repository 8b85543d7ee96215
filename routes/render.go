package routes

import (
	"net/http"
	"net/url"
	"sync"

	"courseportal/models"
	"courseportal/views/i18n"

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
	loc := h.localizer(c)
	if key, values, ok := frameOf(name, loc, &p); ok {
		shape, err := h.frames.lookup(h.views, loc, key, &p)
		if err != nil {
			return err
		}
		if shape != nil {
			return h.renderFramed(c, loc, shape, &key, &values, &p)
		}
	}
	return h.views.Render(c.Response().BodyWriter(), name, loc, &p)
}

// renderFramed writes a console page in its frame's pieces: the whole page,
// or its head and foot around the content its template writes. A template
// error resets what was written.
func (h *handler) renderFramed(c *fiber.Ctx, loc *i18n.Localizer, shape *frameShape, key *frameKey, v *frameValues, p *page) error {
	res := c.Response()
	buf := frameBuffers.Get().(*[]byte)
	defer frameBuffers.Put(buf)
	*buf = shape.appendPart((*buf)[:0], 0, v)
	res.AppendBody(*buf)
	if key.whole {
		return nil
	}
	if err := h.views.RenderPart(res.BodyWriter(), key.page, "content", loc, p); err != nil {
		res.ResetBody()
		return err
	}
	*buf = shape.appendPart((*buf)[:0], 1, v)
	res.AppendBody(*buf)
	return nil
}

// frameBuffers keep the buffers frames are written into between views.
var frameBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 32<<10); return &b }}

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
