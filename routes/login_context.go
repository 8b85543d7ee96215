package routes

import (
	"errors"
	"net/url"
	"strings"
	"unicode/utf8"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// maxEmailLength bounds an address taken from a link, as the form does.
const maxEmailLength = 254

// loginURLFor is the login form with the address filled in and the place the
// person was going; either may be empty.
func loginURLFor(email, next string) string {
	q := url.Values{}
	if email != "" {
		q.Set("email", email)
	}
	if next = safeNext(next); next != "" {
		q.Set("next", next)
	}
	if len(q) == 0 {
		return "/login"
	}
	return "/login?" + q.Encode()
}

// prefilledEmail is the address a link asks the login form to show: trimmed,
// at most maxEmailLength bytes of valid text without control characters,
// otherwise nothing. The template escapes it.
func prefilledEmail(c *fiber.Ctx) string {
	email := strings.TrimSpace(c.Query("email"))
	if len(email) > maxEmailLength || !utf8.ValidString(email) || strings.IndexFunc(email, isControl) >= 0 {
		return ""
	}
	return email
}

// describeNext names in words the page a login leads on to ("your course
// home for International Relations", "the console"), or gives its path when
// no better name is known. next has passed safeNext; empty gives empty.
func (h *handler) describeNext(c *fiber.Ctx, next string) (string, error) {
	u, err := url.Parse(next)
	if next == "" || err != nil {
		return "", nil
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	switch {
	case u.Path == "/dashboard":
		return h.t(c, "login.place.dashboard"), nil
	case parts[0] == "admin":
		return h.t(c, "login.place.console"), nil
	case u.Path == "/account/mfa":
		return h.t(c, "login.place.mfa"), nil
	case parts[0] == "learn" || parts[0] == "join":
		if len(parts) < 2 {
			break
		}
		course, err := h.publishedCourseNamed(c, parts[1])
		if err != nil || course == nil {
			return u.Path, err
		}
		switch {
		case parts[0] == "join" && len(parts) == 2:
			return h.t(c, "login.place.join", "Course", course.Title), nil
		case len(parts) == 2:
			return h.t(c, "login.place.learn", "Course", course.Title), nil
		case len(parts) == 4 && parts[2] == "readings":
			return h.t(c, "login.place.reading", "Course", course.Title), nil
		case len(parts) == 5 && parts[2] == "readings" && parts[4] == "check":
			return h.t(c, "login.place.check", "Course", course.Title), nil
		}
	}
	return u.Path, nil
}

// publishedCourseNamed finds a published course by a slug taken from a
// link; nil when there is none (or the text cannot be a slug).
func (h *handler) publishedCourseNamed(c *fiber.Ctx, slug string) (*models.Course, error) {
	if slug == "" || len(slug) > 200 || !utf8.ValidString(slug) {
		return nil, nil
	}
	course, err := h.store.PublishedCourse(c.UserContext(), slug)
	if errors.Is(err, models.ErrNotFound) {
		return nil, nil
	}
	return course, err
}
