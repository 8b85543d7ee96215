package routes

import (
	"courseportal/views/i18n"

	"github.com/gofiber/fiber/v2"
)

// flash is a one-time message shown on the next page.
type flash struct {
	Kind    string
	Message string
}

// flashes are the messages a redirect can carry to the student pages and
// public pages, with their kind; the text is the catalogue's "flash.<key>"
// in the reader's language. The cookie holds only the key, so nobody can
// make the site display text of their choosing.
var flashes = map[string]string{
	"welcome":          "success",
	"signed-in":        "success",
	"signed-out":       "info",
	"enrolled":         "success",
	"already-enrolled": "info",
	"waitlisted":       "warning",
	"withdrawn":        "info",
	"reading-complete": "success",
	"course-complete":  "success",
	"revoked":          "info",

	// Two-step sign-in.
	"mfa-required": "warning",
	"mfa-expired":  "warning",
	"mfa-off":      "info",

	// Name corrections.
	"name-correction-sent": "success",
	"name-corrected":       "success", // shown on the certificate's public page

	// Accounts.
	"verification-sent": "success",
	"email-verified":    "success",
	"email-change-sent": "info",
	"email-changed":     "success",
	"password-reset":    "success",
	"password-changed":  "success",
	"profile-saved":     "success",
	"preferences-saved": "success",
	"sessions-ended":    "success",
	"account-deleted":   "info",
}

// consoleFlashes are the messages a redirect carries to a console page,
// with their kind; the text is the catalogue's "console.flash.<key>".
var consoleFlashes = map[string]string{
	"name-refused":          "info",
	"course-saved":          "success",
	"week-saved":            "success",
	"reading-created":       "success",
	"reading-saved":         "success",
	"reading-moved":         "success",
	"reading-not-moved":     "info",
	"reading-published":     "success",
	"reading-unpublished":   "success",
	"reading-required":      "success",
	"reading-optional":      "success",
	"reading-deleted":       "success",
	"check-saved":           "success",
	"check-deleted":         "success",
	"cohort-created":        "success",
	"cohort-saved":          "success",
	"cohort-promoted":       "success",
	"enrollment-moved":      "success",
	"enrollment-removed":    "success",
	"role-changed":          "success",
	"user-disabled":         "success",
	"user-enabled":          "success",
	"instructor-assigned":   "success",
	"instructor-unassigned": "success",
	"reset-link-sent":       "success",
}

func (h *handler) setFlash(c *fiber.Ctx, key string) {
	h.setCookie(c, "flash", key, 0)
}

func (h *handler) takeFlash(c *fiber.Ctx, loc *i18n.Localizer) *flash {
	key := c.Cookies(h.cookieName("flash"))
	if key == "" {
		return nil
	}
	h.clearCookie(c, "flash")
	if kind, ok := flashes[key]; ok {
		return &flash{Kind: kind, Message: loc.T("flash." + key)}
	}
	if kind, ok := consoleFlashes[key]; ok {
		return &flash{Kind: kind, Message: loc.T("console.flash." + key)}
	}
	return nil
}

// redirectWithFlash sends the browser on with a message for the next page.
func (h *handler) redirectWithFlash(c *fiber.Ctx, to, key string) error {
	h.setFlash(c, key)
	return c.Redirect(to, fiber.StatusSeeOther)
}
