package routes

import (
	"net/http"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// registerAdmin adds the console: courses, weeks, readings, cohorts, people
// and the audit log. Every route checks role, and ownership of the course.
func (h *handler) registerAdmin(app *fiber.App) {
	// staff: instructors and admins; course: staff who manage :slug; admin:
	// administrators only.
	staff := func(next fiber.Handler) []fiber.Handler { return []fiber.Handler{h.requireUser, h.requireStaff, next} }
	course := func(next fiber.Handler) []fiber.Handler {
		return []fiber.Handler{h.requireUser, h.requireStaff, h.requireManagedCourse, next}
	}
	admin := func(next fiber.Handler) []fiber.Handler { return []fiber.Handler{h.requireUser, h.requireAdmin, next} }

	app.Get("/admin/", staff(h.adminOverview)...)
	app.Get("/admin/certificates", staff(h.adminCertificateList)...)

	app.Get("/admin/courses/:slug", course(h.adminCourseShow)...)
	app.Post("/admin/courses/:slug", course(h.adminCourseSave)...)
	app.Post("/admin/courses/:slug/preview", course(h.adminPreview)...)
	app.Get("/admin/courses/:slug/readings", course(h.adminReadingList)...)
	app.Post("/admin/courses/:slug/weeks/:number", course(h.adminWeekSave)...)
	app.Get("/admin/courses/:slug/readings/new", course(h.adminReadingNew)...)
	app.Post("/admin/courses/:slug/readings", course(h.adminReadingCreate)...)
	app.Get("/admin/courses/:slug/readings/:reading", course(h.adminReadingEdit)...)
	app.Post("/admin/courses/:slug/readings/:reading", course(h.adminReadingSave)...)
	app.Post("/admin/courses/:slug/readings/:reading/move", course(h.adminReadingMove)...)
	app.Post("/admin/courses/:slug/readings/:reading/publish", course(h.adminReadingPublish)...)
	app.Post("/admin/courses/:slug/readings/:reading/require", course(h.adminReadingRequire)...)
	app.Post("/admin/courses/:slug/readings/:reading/delete", course(h.adminReadingDelete)...)
	app.Get("/admin/courses/:slug/cohorts", course(h.adminCohortList)...)
	app.Get("/admin/courses/:slug/cohorts/new", course(h.adminCohortNew)...)
	app.Post("/admin/courses/:slug/cohorts", course(h.adminCohortCreate)...)
	app.Get("/admin/courses/:slug/cohorts/:id", course(h.adminCohortShow)...)
	app.Post("/admin/courses/:slug/cohorts/:id", course(h.adminCohortSave)...)
	app.Post("/admin/courses/:slug/enrollments/:id/move", course(h.adminEnrollmentMove)...)
	app.Post("/admin/courses/:slug/enrollments/:id/remove", course(h.adminEnrollmentRemove)...)

	app.Get("/admin/users", admin(h.adminUserList)...)
	app.Get("/admin/users/:id", admin(h.adminUserShow)...)
	app.Post("/admin/users/:id/role", admin(h.adminUserRole)...)
	app.Post("/admin/users/:id/disable", admin(h.adminUserDisable)...)
	app.Post("/admin/users/:id/enable", admin(h.adminUserEnable)...)
	app.Post("/admin/users/:id/courses", admin(h.adminUserAssign)...)
	app.Post("/admin/users/:id/courses/:course/remove", admin(h.adminUserUnassign)...)
	app.Get("/admin/audit", admin(h.adminAuditList)...)
}

const localCourse = "admin_course"

// requireManagedCourse loads the course named by :slug and admits only the
// people who manage it: admins, and the course's instructors.
func (h *handler) requireManagedCourse(c *fiber.Ctx) error {
	course, err := h.store.CourseBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	ok, err := h.store.CanManageCourse(c.UserContext(), currentUser(c), course.ID)
	if err != nil {
		return err
	}
	if !ok {
		return errStatus(http.StatusForbidden, "forbidden", "Only administrators and this course's instructors can manage it.")
	}
	c.Locals(localCourse, course)
	return c.Next()
}

// managedCourse is the course requireManagedCourse admitted.
func managedCourse(c *fiber.Ctx) *models.Course {
	course, _ := c.Locals(localCourse).(*models.Course)
	return course
}

// adminPage is what every console page receives besides its own data: the
// course it is about (nil outside a course) and which tab is open.
type adminPage struct {
	Course *models.Course
	Tab    string
}
