package routes

import (
	"net/http"
	"time"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// enrollmentJSON is an enrollment as the API shows it.
type enrollmentJSON struct {
	ID               int64      `json:"id"`
	Course           string     `json:"course"`
	CourseTitle      string     `json:"course_title,omitempty"`
	CohortID         int64      `json:"cohort_id"`
	Status           string     `json:"status"`
	WaitlistPosition int        `json:"waitlist_position,omitempty"`
	EnrolledAt       time.Time  `json:"enrolled_at"`
	CompletedAt      *time.Time `json:"completed_at"`
	Percent          int        `json:"percent_complete"`
	CertificateCode  string     `json:"certificate_code,omitempty"`
}

// apiEnroll enrolls the caller: 201 with a seat, 202 on the waitlist, 200
// when already enrolled, 409 when enrollment is closed.
func (h *handler) apiEnroll(c *fiber.Ctx) error {
	course, err := h.store.CourseBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	res, err := h.store.Enroll(c.UserContext(), currentUser(c).ID, course)
	if err != nil {
		return err
	}
	status := http.StatusCreated
	switch {
	case res.Existing:
		status = http.StatusOK
	case res.Enrollment.Status == models.StatusWaitlisted:
		status = http.StatusAccepted
	}
	e := res.Enrollment
	return c.Status(status).JSON(enrollmentJSON{ID: e.ID, Course: course.Slug, CourseTitle: course.Title,
		CohortID: e.CohortID, Status: e.Status, WaitlistPosition: res.Position, EnrolledAt: e.CreatedAt,
		CompletedAt: e.CompletedAt})
}

// apiMyEnrollments lists the caller's enrollments with their progress.
func (h *handler) apiMyEnrollments(c *fiber.Ctx) error {
	views, err := h.myCourses(c)
	if err != nil {
		return err
	}
	out := make([]enrollmentJSON, 0, len(views))
	for _, v := range views {
		out = append(out, viewToEnrollmentJSON(v))
	}
	return c.JSON(fiber.Map{"enrollments": out})
}

func viewToEnrollmentJSON(v *models.CourseView) enrollmentJSON {
	e := v.Enrollment
	out := enrollmentJSON{ID: e.ID, Course: v.Course.Slug, CourseTitle: v.Course.Title, CohortID: e.CohortID,
		Status: e.Status, WaitlistPosition: v.Position, EnrolledAt: e.CreatedAt, CompletedAt: e.CompletedAt,
		Percent: v.Percent}
	if v.Certificate != nil {
		out.CertificateCode = v.Certificate.Code
	}
	return out
}
