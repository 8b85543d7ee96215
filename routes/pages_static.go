package routes

import (
	"context"
	"net/http"
	"sync"
	"time"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// Each server reads the footer's contact at most once a minute; a course
// saved on this server is shown at once, on the others within the minute.
const (
	contactTTL         = time.Minute
	contactReadTimeout = 500 * time.Millisecond
)

// siteContact holds the course team's contact that every page's footer
// shows, read from the database now and then rather than on every page.
type siteContact struct {
	mu     sync.Mutex
	readAt time.Time
	value  models.Contact
}

// contact returns the footer's contact. When the database does not answer
// it keeps what it had, so an error page still renders, and tries again
// after the TTL.
func (h *handler) contact(ctx context.Context) models.Contact {
	sc := h.siteContact
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if !sc.readAt.IsZero() && time.Since(sc.readAt) < contactTTL {
		return sc.value
	}
	ctx, cancel := context.WithTimeout(ctx, contactReadTimeout)
	defer cancel()
	c, err := h.store.SiteContact(ctx)
	sc.readAt = time.Now()
	if err != nil {
		h.log.Warn("footer contact not refreshed", "error", err)
		return sc.value
	}
	sc.value = c
	return c
}

// forgetContact makes the next page read the contact again, after staff
// changed a course's details.
func (h *handler) forgetContact() {
	h.siteContact.mu.Lock()
	h.siteContact.readAt = time.Time{}
	h.siteContact.mu.Unlock()
}

// accessibilityShow is the accessibility statement: what was tested, with
// which tools, what is known not to work, and how to report a problem.
func (h *handler) accessibilityShow(c *fiber.Ctx) error {
	return h.render(c, http.StatusOK, "accessibility", page{Title: h.t(c, "accessibility.page_title"), Narrow: true,
		Description: h.t(c, "accessibility.meta")})
}

// privacyData is what the privacy page states from the code's own numbers.
type privacyData struct {
	SessionIdle, StaffSessionIdle, SessionMaxAge string
	ThrottleWindow, ThrottleKept, RateKept       string
	HousekeepingEvery                            string
	ResetLink, VerifyLink, EmailChangeLink       string
}

// privacyShow is the privacy page: what is stored, for how long, and who
// sees it.
func (h *handler) privacyShow(c *fiber.Ctx) error {
	loc := h.localizer(c)
	d := privacyData{
		SessionIdle:       loc.Span(models.SessionIdle),
		StaffSessionIdle:  loc.Span(models.StaffSessionIdle),
		SessionMaxAge:     loc.Span(models.SessionMaxAge),
		ThrottleWindow:    loc.Span(models.ClientAttemptWindow),
		ThrottleKept:      loc.Span(max(models.ClientAttemptWindow, models.LoginFailureWindow) + models.PurgeMargin),
		RateKept:          loc.Span(models.LongestRateWindow() + models.PurgeMargin),
		HousekeepingEvery: loc.Span(models.HousekeepingInterval),
		ResetLink:         loc.Span(models.PasswordResetLifetime),
		VerifyLink:        loc.Span(models.VerifyEmailLifetime),
		EmailChangeLink:   loc.Span(models.EmailChangeLifetime),
	}
	return h.render(c, http.StatusOK, "privacy", page{Title: h.t(c, "privacy.page_title"), Narrow: true, Data: d,
		Description: h.t(c, "privacy.meta")})
}
