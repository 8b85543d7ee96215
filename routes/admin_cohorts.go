package routes

import (
	"net/http"
	"time"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// adminCohortListData lists a course's cohorts.
type adminCohortListData struct {
	adminPage
	Cohorts []*models.ConsoleCohort
	Now     time.Time
}

// adminCohortList shows each cohort with its seats, capacity and waitlist.
func (h *handler) adminCohortList(c *fiber.Ctx) error {
	course := managedCourse(c)
	cohorts, err := h.store.CohortsOf(c.UserContext(), course.ID)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, "admin_cohorts", page{Title: h.t(c, "console.title.cohorts", "Course", course.Title),
		Data: adminCohortListData{adminPage: adminPage{Course: course, Tab: "cohorts"}, Cohorts: cohorts, Now: h.store.Now()}})
}

// adminCohortNewData is the form for a new cohort.
type adminCohortNewData struct {
	adminPage
	Form   adminCohortForm
	Errors formErrors
}

func (h *handler) adminCohortNewPage(c *fiber.Ctx, status int, d adminCohortNewData) error {
	d.adminPage = adminPage{Course: managedCourse(c), Tab: "cohorts"}
	return h.render(c, status, "admin_cohort_new", page{Title: h.t(c, "console.title.cohort_new", "Course", d.Course.Title), Data: d})
}

// adminCohortNew is an empty cohort form, starting next Monday.
func (h *handler) adminCohortNew(c *fiber.Ctx) error {
	now := h.store.Now().UTC()
	days := (8 - int(now.Weekday())) % 7
	if days == 0 {
		days = 7
	}
	start := time.Date(now.Year(), now.Month(), now.Day()+days, 9, 0, 0, 0, time.UTC)
	form := adminCohortForm{StartsAt: inputTime(&start), Pacing: models.PacingScheduled}
	return h.adminCohortNewPage(c, http.StatusOK, adminCohortNewData{Form: form})
}

// adminCohortCreate adds a cohort to the course.
func (h *handler) adminCohortCreate(c *fiber.Ctx) error {
	course := managedCourse(c)
	form, err := parseCohortForm(c)
	if err != nil {
		return err
	}
	in, errs := form.input()
	if !errs.ok() {
		return h.adminCohortNewPage(c, http.StatusUnprocessableEntity, adminCohortNewData{Form: form, Errors: errs})
	}
	k, err := h.store.CreateCohortFor(c.UserContext(), currentUser(c).ID, course, in)
	if err != nil {
		errs, status, err := refusal(err)
		if err != nil {
			return err
		}
		return h.adminCohortNewPage(c, status, adminCohortNewData{Form: form, Errors: errs})
	}
	return h.redirectWithFlash(c, cohortURL(course, k.ID), "cohort-created")
}

func cohortURL(course *models.Course, id int64) string {
	return "/admin/courses/" + course.Slug + "/cohorts/" + itoa(id)
}
