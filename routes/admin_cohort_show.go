package routes

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// membersPerPage is the length of a page of a cohort's seated students.
const membersPerPage = 50

// waitlistShown is how much of a waitlist the cohort page lists.
const waitlistShown = 200

// adminCohortData is one cohort: its form, its students and its waitlist.
type adminCohortData struct {
	adminPage
	Cohort        *models.Cohort
	Others        []*models.ConsoleCohort
	Form          adminCohortForm
	Errors        formErrors
	Seated        []models.ConsoleMember
	SeatedTotal   int64
	Waitlist      []models.ConsoleMember
	WaitlistTotal int64
	Page          int
	Pages         int
	Now           time.Time
}

// managedCohort loads the cohort :id of the managed course.
func (h *handler) managedCohort(c *fiber.Ctx) (*models.Cohort, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, errNotFound("This course has no such cohort.")
	}
	k, err := h.store.CohortByID(c.UserContext(), id)
	if errors.Is(err, models.ErrNotFound) || (err == nil && k.CourseID != managedCourse(c).ID) {
		return nil, errNotFound("This course has no such cohort.")
	}
	return k, err
}

func (h *handler) adminCohortPage(c *fiber.Ctx, status int, k *models.Cohort, form adminCohortForm, errs formErrors) error {
	course := managedCourse(c)
	ctx := c.UserContext()
	d := adminCohortData{adminPage: adminPage{Course: course, Tab: "cohorts"}, Cohort: k, Form: form, Errors: errs, Now: h.store.Now()}
	d.Page, _ = strconv.Atoi(c.Query("page"))
	d.Page = max(d.Page, 1)
	var err error
	d.Seated, d.SeatedTotal, err = h.store.CohortMembers(ctx, k.ID, []string{models.StatusActive, models.StatusCompleted},
		membersPerPage, (d.Page-1)*membersPerPage)
	if err != nil {
		return err
	}
	d.Pages = int((d.SeatedTotal + membersPerPage - 1) / membersPerPage)
	if d.Waitlist, d.WaitlistTotal, err = h.store.CohortMembers(ctx, k.ID, []string{models.StatusWaitlisted}, waitlistShown, 0); err != nil {
		return err
	}
	all, err := h.store.CohortsOf(ctx, course.ID)
	if err != nil {
		return err
	}
	for _, other := range all {
		if other.ID != k.ID {
			d.Others = append(d.Others, other)
		}
	}
	return h.render(c, status, "admin_cohort", page{Title: h.t(c, "console.title.cohort", "Name", k.Name, "Course", course.Title), Scripts: []string{"js/admin.js"}, Data: d})
}

// adminCohortShow is the cohort page.
func (h *handler) adminCohortShow(c *fiber.Ctx) error {
	k, err := h.managedCohort(c)
	if err != nil {
		return err
	}
	return h.adminCohortPage(c, http.StatusOK, k, cohortFormOf(k), nil)
}

// adminCohortSave saves a cohort. Lowering capacity below the seats taken is
// refused; raising it seats the waitlist in order.
func (h *handler) adminCohortSave(c *fiber.Ctx) error {
	course := managedCourse(c)
	k, err := h.managedCohort(c)
	if err != nil {
		return err
	}
	form, err := parseCohortForm(c)
	if err != nil {
		return err
	}
	in, errs := form.input()
	if !errs.ok() {
		return h.adminCohortPage(c, http.StatusUnprocessableEntity, k, form, errs)
	}
	promoted, err := h.store.UpdateCohort(c.UserContext(), currentUser(c).ID, course, k.ID, in)
	if errors.Is(err, models.ErrCapacityTooLow) {
		errs = formErrors{"capacity": h.localizer(c).N("console.msg_n.capacity_too_low", k.SeatsTaken)}
		return h.adminCohortPage(c, http.StatusConflict, k, form, errs)
	}
	if err != nil {
		var status int
		if errs, status, err = refusal(err); err != nil {
			return err
		}
		return h.adminCohortPage(c, status, k, form, errs)
	}
	if len(promoted) > 0 {
		return h.redirectWithFlash(c, cohortURL(course, k.ID), "cohort-promoted")
	}
	return h.redirectWithFlash(c, cohortURL(course, k.ID), "cohort-saved")
}
