package routes

import (
	"strings"
	"time"

	"courseportal/views/i18n"

	"github.com/gofiber/fiber/v2"
)

const localLanguage = "language"

// languageCookieAge is how long a visitor's choice of language is kept.
const languageCookieAge = 365 * 24 * time.Hour

// chooseLanguage picks the interface language of the request: ?lang= (a
// visitor's choice is kept in a cookie), else the account's choice, else
// the visitor's cookie, else Accept-Language.
func (h *handler) chooseLanguage(c *fiber.Ctx) error {
	h.settleLanguage(c)
	return c.Next()
}

// settleLanguage keeps the request's language for the rest of it; the
// reader's fast path calls it once it knows the person.
func (h *handler) settleLanguage(c *fiber.Ctx) {
	c.Locals(localLanguage, h.resolveLanguage(c))
	c.Vary(fiber.HeaderAcceptLanguage)
}

func (h *handler) resolveLanguage(c *fiber.Ctx) *i18n.Localizer {
	langs := h.views.Languages()
	if isConsole(c.Path()) {
		// The console is English only: its pages stay English and left to
		// right as a whole rather than mixing in the chosen language.
		return langs.Default()
	}
	user := currentUser(c)
	if loc, ok := h.askedLanguage(c); ok {
		if user == nil {
			h.setLanguageCookie(c, loc.Code())
		}
		return loc
	}
	if user != nil && user.Language != "" {
		if loc, ok := langs.Lookup(user.Language); ok {
			return loc
		}
	}
	return h.browserLanguage(c)
}

// askedLanguage is the language ?lang= names, when it is one offered.
func (h *handler) askedLanguage(c *fiber.Ctx) (*i18n.Localizer, bool) {
	q := c.Query("lang")
	if q == "" {
		return nil, false
	}
	return h.views.Languages().Lookup(q)
}

// browserLanguage is the visitor's cookie, else Accept-Language.
func (h *handler) browserLanguage(c *fiber.Ctx) *i18n.Localizer {
	langs := h.views.Languages()
	if loc, ok := langs.Lookup(c.Cookies(h.cookieName("lang"))); ok {
		return loc
	}
	return langs.Match(c.Get(fiber.HeaderAcceptLanguage))
}

// sharedLanguage chooses the language of a resource that is the same for
// everyone who reads it in that language, served without a session and
// kept by browsers and the service worker: the manifest and the offline
// page. Pages link them with ?lang= in their own language (which already
// follows the account's choice); without it the cookie or Accept-Language
// decide, and the answer says it varies with them. Nothing is kept: the
// worker fetches the page in every language at install, which must not
// change the visitor's choice.
func (h *handler) sharedLanguage(c *fiber.Ctx) *i18n.Localizer {
	loc, ok := h.askedLanguage(c)
	if !ok {
		loc = h.browserLanguage(c)
		c.Vary(fiber.HeaderCookie, fiber.HeaderAcceptLanguage)
	}
	c.Locals(localLanguage, loc)
	return loc
}

// isConsole reports a path of the staff console.
func isConsole(path string) bool { return path == "/admin" || strings.HasPrefix(path, "/admin/") }

func (h *handler) setLanguageCookie(c *fiber.Ctx, code string) {
	if code == "" {
		h.clearCookie(c, "lang")
		return
	}
	h.setCookie(c, "lang", code, languageCookieAge)
}

// localizer is the request's language; pages served before the language
// is chosen (the offline page, early errors) follow Accept-Language.
func (h *handler) localizer(c *fiber.Ctx) *i18n.Localizer {
	if loc, ok := c.Locals(localLanguage).(*i18n.Localizer); ok {
		return loc
	}
	return h.resolveLanguage(c)
}

// t looks a message up in the request's language.
func (h *handler) t(c *fiber.Ctx, id string, pairs ...any) string {
	return h.localizer(c).T(id, pairs...)
}

// languageSubmit saves the language chosen in the footer's selector (field
// lang, "" to follow the browser): on the account when signed in, in a
// cookie in any case, and goes back to the page (field next).
func (h *handler) languageSubmit(c *fiber.Ctx) error {
	if err := requireForm(c); err != nil {
		return err
	}
	code := c.FormValue("lang")
	if code != "" {
		loc, ok := h.views.Languages().Lookup(code)
		if !ok {
			return errBadRequest("Choose one of the languages offered.")
		}
		code = loc.Code()
	}
	if user := currentUser(c); user != nil {
		if err := h.store.SetLanguage(c.UserContext(), user, code); err != nil {
			return err
		}
	}
	h.setLanguageCookie(c, code)
	next := safeNext(c.FormValue("next"))
	if next == "" {
		next = "/"
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}
