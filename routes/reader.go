package routes

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// readerData is the reader page's personal part.
type readerData struct {
	Access *models.Access
	// Text is the reading's own language and direction.
	Text     models.TextDirection
	Percent  int
	Done     bool
	Position string
	models.Neighbours
	// CompletableAt is when "Mark as complete" opens, zero once it is open.
	CompletableAt time.Time
}

// HasCheck reports whether a knowledge check completes the reading.
func (d readerData) HasCheck() bool { return d.Access.CheckID != 0 }

// CheckURL is the reading's knowledge check.
func (d readerData) CheckURL() string {
	return "/learn/" + d.Access.Course.Slug + "/readings/" + d.Access.Reading.Slug + "/check"
}

// readerShow renders a reading for an enrolled person whose week is open:
// one query for the access checks and progress, one for the syllabus, and
// the article rendered once per version. The first view also notes when the
// person opened it. readerQuick serves the views after the first in one
// statement; this is the route for everything else.
func (h *handler) readerShow(c *fiber.Ctx) error {
	a, err := h.store.ReadingAccess(c.UserContext(), currentUser(c).ID, c.Params("slug"), c.Params("reading"))
	if err != nil {
		return h.readingDenied(c, a, err)
	}
	if err := h.store.NoteOpened(c.UserContext(), a); err != nil {
		return err
	}
	around, err := h.store.ReadingNeighbours(c.UserContext(), a)
	if err != nil {
		return err
	}
	return h.renderReader(c, h.readerDataFor(a, around))
}

// readerQuick serves the reader page with one round trip to the database
// when the request carries the session cookie of a person who may read the
// reading and has opened it before: the session, the access checks, the
// progress and the readings around come from one prepared statement
// (VisitReading), under the rules loadSession and ReadingAccess apply. A
// first view adds the write that notes the opening, as readerShow does.
// Any other request (no cookie, a bearer token, an ended session, a
// refusal, an error) goes on to readerShow's route, which decides as it
// always has.
func (h *handler) readerQuick(c *fiber.Ctx) error {
	token := c.Cookies(h.cookieName("session"))
	if token == "" || c.Get(fiber.HeaderAuthorization) != "" {
		return c.Next()
	}
	v, err := h.store.VisitReading(c.UserContext(), token, c.Params("slug"), c.Params("reading"))
	if err != nil {
		return c.Next()
	}
	if err := h.store.NoteOpened(c.UserContext(), v.Access); err != nil {
		return err
	}
	signIn(c, v.User, v.Session, token, false)
	if _, err := h.bindCSRF(c, ""); err != nil {
		return err
	}
	// The language as chooseLanguage picks it, the account's saved one
	// coming from the same statement.
	h.settleLanguage(c)
	return h.renderReader(c, h.readerDataFor(v.Access, v.Neighbours))
}

// readerDataFor is the personal part of the page of a granted access.
func (h *handler) readerDataFor(a *models.Access, around models.Neighbours) readerData {
	d := readerData{Access: a, Neighbours: around}
	if p := a.Progress; p != nil {
		d.Percent, d.Done, d.Position = p.Percent, p.CompletedAt != nil, p.Position()
		if d.Done {
			d.Percent = 100
		}
		if at := p.FirstOpenedAt.Add(a.Reading.MinimumOpen()); !d.Done && h.store.Now().Before(at) {
			d.CompletableAt = at
		}
	}
	return d
}

// readingDenied explains why a reading cannot be opened. A person on the
// waitlist or before the week opens gets 403 with a page that says when and
// what to do meanwhile; the JSON errors stay not_active and reading_locked.
func (h *handler) readingDenied(c *fiber.Ctx, a *models.Access, err error) error {
	switch {
	case errors.Is(err, models.ErrNotEnrolled):
		return c.Redirect("/join/"+a.Course.Slug, fiber.StatusSeeOther)
	case errors.Is(err, models.ErrNotActive):
		if wantsJSON(c) {
			return errStatus(http.StatusForbidden, "not_active",
				"You are on the waitlist for this course. Readings open as soon as you get a seat.")
		}
		_, position, err := h.store.EnrollmentFor(c.UserContext(), currentUser(c).ID, a.Course.ID)
		if err != nil {
			return err
		}
		return h.render(c, http.StatusForbidden, "reading_denied", page{Title: h.t(c, "title.waitlist"), Narrow: true,
			Data: readingDeniedData{Access: a, Waitlisted: true, Position: position}})
	case errors.Is(err, models.ErrReadingLocked):
		opens := a.Cohort.WeekOpensAt(a.Week.Number)
		if wantsJSON(c) {
			return errStatus(http.StatusForbidden, "reading_locked",
				"This reading belongs to week "+itoa(a.Week.Number)+", which opens on "+opens.Format("Monday 2 January 2006")+".")
		}
		return h.render(c, http.StatusForbidden, "reading_denied", page{Title: h.t(c, "title.week_locked", "Number", a.Week.Number),
			Narrow: true, Data: readingDeniedData{Access: a, OpensAt: opens}})
	case errors.Is(err, models.ErrNotFound):
		return errNotFound("This course has no such reading.")
	}
	return err
}

// readingDeniedData is the page of a reading that is not open to the person
// yet: either its week opens later, or they wait for a seat.
type readingDeniedData struct {
	Access     *models.Access
	OpensAt    time.Time
	Waitlisted bool
	Position   int
}

// OpensClock is the time of day the week opens.
func (d readingDeniedData) OpensClock() string { return d.OpensAt.UTC().Format("15:04 UTC") }

// readingComplete is the "Mark as complete" form; it works without
// JavaScript.
func (h *handler) readingComplete(c *fiber.Ctx) error {
	access, err := h.store.ReadingAccess(c.UserContext(), currentUser(c).ID, c.Params("slug"), c.Params("reading"))
	if err != nil {
		return h.readingDenied(c, access, err)
	}
	res, err := h.store.CompleteReading(c.UserContext(), access)
	if err != nil {
		return h.completionRefused(c, access, err)
	}
	if res.CourseCompleted {
		return h.redirectWithFlash(c, "/learn/"+access.Course.Slug, "course-complete")
	}
	return h.redirectWithFlash(c, "/learn/"+access.Course.Slug, "reading-complete")
}

// completionRefused answers a "Mark as complete" that came too early (409
// too_soon: a page that says when, or JSON with the seconds left), or on a
// reading that its knowledge check completes.
func (h *handler) completionRefused(c *fiber.Ctx, a *models.Access, err error) error {
	readingURL := "/learn/" + a.Course.Slug + "/readings/" + a.Reading.Slug
	if errors.Is(err, models.ErrCheckRequired) && !wantsJSON(c) {
		return c.Redirect(readingURL+"/check", fiber.StatusSeeOther)
	}
	var soon *models.TooSoonError
	if !errors.As(err, &soon) {
		return err
	}
	seconds := int((soon.Left + time.Second - 1) / time.Second)
	c.Set(fiber.HeaderRetryAfter, strconv.Itoa(seconds))
	if wantsJSON(c) {
		message := "You opened this reading less than " + models.HumanDuration(a.Reading.MinimumOpen()) +
			" ago. “Mark as complete” opens in " + models.HumanDuration(soon.Left) + ", at " + soon.At.Format("15:04 MST") + "."
		return c.Status(http.StatusConflict).JSON(fiber.Map{"error": fiber.Map{"code": "too_soon", "message": message,
			"seconds_left": seconds, "available_at": soon.At}})
	}
	loc := h.localizer(c)
	message := loc.T("too_soon.message", "Minimum", loc.Duration(a.Reading.MinimumOpen()), "Left", loc.Duration(soon.Left),
		"At", soon.At.Format("15:04 MST"))
	return h.render(c, http.StatusConflict, "too_soon", page{Title: h.t(c, "too_soon.code"), Narrow: true,
		Data: fiber.Map{"Message": message, "ReadingURL": readingURL, "Title": a.Reading.Title}})
}
