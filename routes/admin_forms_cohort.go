package routes

import (
	"strconv"
	"strings"
	"time"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// adminCohortForm is the cohort form. Dates are kept as typed, so a bad
// value is shown back as it was entered.
type adminCohortForm struct {
	Name           string
	StartsAt       string
	EnrollOpensAt  string
	EnrollClosesAt string
	Capacity       string
	Pacing         string
}

// dateTimeLayouts are what <input type="datetime-local"> and
// <input type="date"> send; values are taken as UTC.
var dateTimeLayouts = []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02"}

const dateTimeInput = "2006-01-02T15:04"

func inputTime(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.UTC().Format(dateTimeInput)
}

func cohortFormOf(k *models.Cohort) adminCohortForm {
	f := adminCohortForm{Name: k.Name, StartsAt: inputTime(&k.StartsAt), EnrollOpensAt: inputTime(k.EnrollOpensAt),
		EnrollClosesAt: inputTime(k.EnrollClosesAt), Pacing: k.Pacing}
	if k.Capacity != nil {
		f.Capacity = strconv.Itoa(*k.Capacity)
	}
	return f
}

func parseCohortForm(c *fiber.Ctx) (adminCohortForm, error) {
	if err := requireForm(c); err != nil {
		return adminCohortForm{}, err
	}
	return adminCohortForm{Name: formLine(c.FormValue("name")), StartsAt: formLine(c.FormValue("starts_at")),
		EnrollOpensAt: formLine(c.FormValue("enroll_opens_at")), EnrollClosesAt: formLine(c.FormValue("enroll_closes_at")),
		Capacity: formLine(c.FormValue("capacity")), Pacing: formLine(c.FormValue("pacing"))}, nil
}

// parseUTC reads a date or date-and-time typed into a form, as UTC.
func parseUTC(value string) (time.Time, bool) {
	for _, layout := range dateTimeLayouts {
		if t, err := time.ParseInLocation(layout, value, time.UTC); err == nil && t.Year() >= 2000 && t.Year() <= 2200 {
			return t, true
		}
	}
	return time.Time{}, false
}

// input validates the form and converts it; errs holds every problem.
func (f adminCohortForm) input() (models.CohortInput, formErrors) {
	errs := formErrors{}
	in := models.CohortInput{Name: f.Name, Pacing: f.Pacing}
	errs.checkLength("name", "The name", f.Name, true, 200)
	const badDate = "Enter a date and time like 2026-03-09 09:00 (UTC)."
	if f.StartsAt == "" {
		errs["starts_at"] = "The start date is required."
	} else if t, ok := parseUTC(f.StartsAt); ok {
		in.StartsAt = t
	} else {
		errs["starts_at"] = badDate
	}
	for _, opt := range []struct {
		field, value string
		dst          **time.Time
	}{{"enroll_opens_at", f.EnrollOpensAt, &in.EnrollOpensAt}, {"enroll_closes_at", f.EnrollClosesAt, &in.EnrollClosesAt}} {
		if opt.value == "" {
			continue
		}
		if t, ok := parseUTC(opt.value); ok {
			*opt.dst = &t
		} else {
			errs[opt.field] = badDate
		}
	}
	if in.EnrollOpensAt != nil && in.EnrollClosesAt != nil && !in.EnrollClosesAt.After(*in.EnrollOpensAt) {
		errs["enroll_closes_at"] = "Enrollment must close after it opens."
	}
	if f.Capacity != "" {
		n, err := strconv.Atoi(strings.TrimSpace(f.Capacity))
		if err != nil || n < 1 || n > 100000 {
			errs["capacity"] = "Enter a whole number of seats from 1 to 100000, or leave it empty for unlimited."
		} else {
			in.Capacity = &n
		}
	}
	if f.Pacing != models.PacingScheduled && f.Pacing != models.PacingSelfPaced {
		errs["pacing"] = "Choose scheduled or self-paced."
	}
	return in, errs
}
