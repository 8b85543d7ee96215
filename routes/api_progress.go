package routes

import (
	"errors"
	"net/http"
	"time"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// progressBody is PUT /api/v1/me/readings/:reading/progress.
type progressBody struct {
	Course   string `json:"course"`
	Percent  *int   `json:"percent"`
	Position string `json:"position"`
	Seconds  int    `json:"seconds"`
}

// progressQuick records a report sent with a session cookie and its CSRF
// token in one statement on PostgreSQL (models.RecordProgressBySession),
// before the session middleware, under the same rules. Anything it cannot
// serve (no cookie, a bearer token, a bad token or body, a refusal, SQLite)
// goes on to apiProgressUpdate's route, which decides and explains; so does
// a report replayed from a device's offline queue.
func (h *handler) progressQuick(c *fiber.Ctx) error {
	token := c.Cookies(h.cookieName("session"))
	// A report a device kept offline goes through queuedUnderThisSession.
	if token == "" || c.Get(fiber.HeaderAuthorization) != "" || c.Get("X-Offline-Session") != "" ||
		!csrfMatches(c.Get("X-CSRF-Token"), h.signer.csrfMAC(bindSession, token)) {
		return c.Next()
	}
	var body progressBody
	if err := decodeJSON(c, &body); err != nil || body.Course == "" || body.Percent == nil {
		return c.Next()
	}
	res, err := h.store.RecordProgressBySession(c.UserContext(), token, body.Course, c.Params("reading"),
		models.ProgressUpdate{Percent: *body.Percent, Position: body.Position, Seconds: body.Seconds})
	if errors.Is(err, models.ErrNoQuickPath) {
		return c.Next() // nothing was written: the ordinary route decides and explains
	}
	if err != nil {
		// The report may be written already: the ordinary route would write it twice.
		return err
	}
	return c.JSON(h.progressResultJSON(c.Params("reading"), res))
}

// apiProgressUpdate records what the reader's script saw.
func (h *handler) apiProgressUpdate(c *fiber.Ctx) error {
	var body progressBody
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	if body.Course == "" {
		return &httpError{Status: http.StatusUnprocessableEntity, Code: "invalid_field", Field: "course",
			Message: "course is required: the slug of the course the reading belongs to."}
	}
	if body.Percent == nil {
		return &httpError{Status: http.StatusUnprocessableEntity, Code: "invalid_field", Field: "percent",
			Message: "percent is required (0-100)."}
	}
	access, err := h.store.ReadingAccess(c.UserContext(), currentUser(c).ID, body.Course, c.Params("reading"))
	if err != nil {
		if errors.Is(err, models.ErrNotFound) {
			return errNotFound("No such course or reading.")
		}
		return err
	}
	res, err := h.store.RecordProgress(c.UserContext(), access,
		models.ProgressUpdate{Percent: *body.Percent, Position: body.Position, Seconds: body.Seconds})
	if err != nil {
		return err
	}
	return c.JSON(h.progressResultJSON(access.Reading.Slug, res))
}

type progressResultJSON struct {
	Reading         string `json:"reading"`
	Percent         int    `json:"percent"`
	Position        string `json:"position"`
	Seconds         int    `json:"seconds"`
	Completed       bool   `json:"completed"`
	CourseCompleted bool   `json:"course_completed"`
	CertificateURL  string `json:"certificate_url"`
}

func (h *handler) progressResultJSON(slug string, r *models.ProgressResult) progressResultJSON {
	out := progressResultJSON{Reading: slug, Percent: r.Percent, Position: r.Position(), Seconds: r.SecondsRead,
		Completed: r.Completed, CourseCompleted: r.CourseCompleted}
	if r.CertificateCode != "" {
		out.CertificateURL = "/certificates/" + r.CertificateCode
	}
	return out
}

type readingProgressJSON struct {
	Slug        string     `json:"slug"`
	Title       string     `json:"title"`
	Week        int        `json:"week"`
	Required    bool       `json:"required"`
	Open        bool       `json:"open"`
	Percent     int        `json:"percent"`
	Position    string     `json:"position"`
	Seconds     int        `json:"seconds"`
	Completed   bool       `json:"completed"`
	CompletedAt *time.Time `json:"completed_at"`
	LastActive  *time.Time `json:"last_activity_at"`
}

// apiMyProgress is the caller's progress through one course.
func (h *handler) apiMyProgress(c *fiber.Ctx) error {
	v, err := h.store.LearnerCourse(c.UserContext(), currentUser(c).ID, c.Params("slug"))
	if err != nil {
		return err
	}
	if v.Enrollment == nil {
		return models.ErrNotEnrolled
	}
	readings := []readingProgressJSON{}
	for _, rs := range v.Readings() {
		r := readingProgressJSON{Slug: rs.Reading.Slug, Title: rs.Reading.Title, Week: rs.Week,
			Required: rs.Reading.Required, Open: rs.Open, Percent: rs.Percent(), Completed: rs.Completed()}
		if p := rs.Progress; p != nil {
			r.Position, r.Seconds, r.CompletedAt, r.LastActive = p.Position(), p.SecondsRead, p.CompletedAt, &p.LastActivityAt
		}
		readings = append(readings, r)
	}
	out := viewToEnrollmentJSON(v)
	return c.JSON(fiber.Map{"course": v.Course.Slug, "enrollment": out, "status": out.Status,
		"percent": v.Percent, "required_readings": v.RequiredCount, "completed_readings": v.CompletedCount,
		"readings": readings})
}
