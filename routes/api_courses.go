package routes

import (
	"errors"
	"time"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

type courseJSON struct {
	Slug        string      `json:"slug"`
	Title       string      `json:"title"`
	Subtitle    string      `json:"subtitle"`
	Description string      `json:"description"`
	Provider    string      `json:"provider"`
	URL         string      `json:"url"`
	Contact     contactJSON `json:"contact"`
	Weeks       []weekJSON  `json:"weeks,omitempty"`
	Cohort      *cohortJSON `json:"open_cohort,omitempty"`
}

type contactJSON struct {
	Email string `json:"email"`
	URL   string `json:"url"`
	Phone string `json:"phone"`
}

type weekJSON struct {
	Number   int           `json:"number"`
	Title    string        `json:"title"`
	Summary  string        `json:"summary"`
	Readings []readingJSON `json:"readings"`
}

type readingJSON struct {
	Slug     string `json:"slug"`
	Title    string `json:"title"`
	Minutes  int    `json:"minutes"`
	Required bool   `json:"required"`
	Source   string `json:"source,omitempty"`
}

type cohortJSON struct {
	ID             int64      `json:"id"`
	Name           string     `json:"name"`
	Pacing         string     `json:"pacing"`
	StartsAt       time.Time  `json:"starts_at"`
	EnrollOpensAt  *time.Time `json:"enroll_opens_at"`
	EnrollClosesAt *time.Time `json:"enroll_closes_at"`
	Capacity       *int       `json:"capacity"`
	SeatsTaken     int        `json:"seats_taken"`
}

func (h *handler) courseToJSON(c *models.Course) courseJSON {
	out := courseJSON{Slug: c.Slug, Title: c.Title, Subtitle: c.Subtitle, Description: c.Description,
		Provider: c.Provider, URL: h.baseURL + "/courses/" + c.Slug,
		Contact: contactJSON{Email: c.ContactEmail, URL: c.ContactURL, Phone: c.ContactPhone}}
	for _, w := range c.Weeks {
		wj := weekJSON{Number: w.Number, Title: w.Title, Summary: w.Summary, Readings: []readingJSON{}}
		for i := range w.Readings {
			r := &w.Readings[i]
			wj.Readings = append(wj.Readings, readingJSON{Slug: r.Slug, Title: r.Title, Minutes: r.Minutes(),
				Required: r.Required, Source: r.SourceName})
		}
		out.Weeks = append(out.Weeks, wj)
	}
	return out
}

func cohortToJSON(c *models.Cohort) *cohortJSON {
	if c == nil {
		return nil
	}
	return &cohortJSON{ID: c.ID, Name: c.Name, Pacing: c.Pacing, StartsAt: c.StartsAt, EnrollOpensAt: c.EnrollOpensAt,
		EnrollClosesAt: c.EnrollClosesAt, Capacity: c.Capacity, SeatsTaken: c.SeatsTaken}
}

// apiCourses lists the published courses.
func (h *handler) apiCourses(c *fiber.Ctx) error {
	courses, err := h.store.ListCourses(c.UserContext())
	if err != nil {
		return err
	}
	out := make([]courseJSON, 0, len(courses))
	for i := range courses {
		out = append(out, h.courseToJSON(&courses[i]))
	}
	return c.JSON(fiber.Map{"courses": out})
}

// apiCourse is one course with its syllabus and open cohort.
func (h *handler) apiCourse(c *fiber.Ctx) error {
	ctx := c.UserContext()
	course, err := h.store.PublishedOutline(ctx, c.Params("slug"))
	if err != nil {
		return err
	}
	out := h.courseToJSON(course)
	cohort, err := h.store.OpenCohort(ctx, course.ID)
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		return err
	}
	out.Cohort = cohortToJSON(cohort)
	return c.JSON(out)
}
