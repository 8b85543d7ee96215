package routes

import (
	"net/http"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// adminCourseData is the course details page.
type adminCourseData struct {
	adminPage
	Form   adminCourseForm
	Errors formErrors
	Rules  *models.CourseRules
}

func (h *handler) adminCoursePage(c *fiber.Ctx, status int, d adminCourseData) error {
	d.adminPage = adminPage{Course: managedCourse(c), Tab: "details"}
	var err error
	if d.Rules, err = h.store.CourseRulesOf(c.UserContext(), d.Course.ID); err != nil {
		return err
	}
	return h.render(c, status, "admin_course", page{Title: h.t(c, "console.title.course", "Course", d.Course.Title), Data: d})
}

// adminCourseShow is the form with the course's title, texts and contacts.
func (h *handler) adminCourseShow(c *fiber.Ctx) error {
	return h.adminCoursePage(c, http.StatusOK, adminCourseData{Form: courseFormOf(managedCourse(c))})
}

// adminCourseSave saves the course details.
func (h *handler) adminCourseSave(c *fiber.Ctx) error {
	course := managedCourse(c)
	form, err := parseCourseForm(c)
	if err != nil {
		return err
	}
	if errs := form.validate(); !errs.ok() {
		return h.adminCoursePage(c, http.StatusUnprocessableEntity, adminCourseData{Form: form, Errors: errs})
	}
	if err := h.store.UpdateCourse(c.UserContext(), currentUser(c).ID, course, form.details()); err != nil {
		errs, status, err := refusal(err)
		if err != nil {
			return err
		}
		return h.adminCoursePage(c, status, adminCourseData{Form: form, Errors: errs})
	}
	h.forgetContact()
	return h.redirectWithFlash(c, "/admin/courses/"+course.Slug, "course-saved")
}

// adminWeekSave saves one week's title and summary from the readings page.
func (h *handler) adminWeekSave(c *fiber.Ctx) error {
	course := managedCourse(c)
	n, err := pathNumber(c, "number", 32)
	if err != nil {
		return err
	}
	number := int(n)
	form, err := parseWeekForm(c)
	if err != nil {
		return err
	}
	edit := weekEdit{Number: number, Form: form, Errors: form.validate()}
	if edit.Errors.ok() {
		err := h.store.UpdateWeek(c.UserContext(), currentUser(c).ID, course, number, form.Title, form.Summary)
		if err == nil {
			return h.redirectWithFlash(c, "/admin/courses/"+course.Slug+"/readings#week-"+itoa(number), "week-saved")
		}
		if edit.Errors, _, err = refusal(err); err != nil {
			return err
		}
	}
	return h.adminReadingListPage(c, http.StatusUnprocessableEntity, &edit)
}

// weekEdit is a week form sent back with its errors.
type weekEdit struct {
	Number int
	Form   adminWeekForm
	Errors formErrors
}
