package routes

import (
	"errors"
	"net/http"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// adminReadingListData is the weeks-and-readings page.
type adminReadingListData struct {
	adminPage
	Outline *models.Course
	Readers map[int64]int
	// WeekEdit is a week form that failed validation, shown in place.
	WeekEdit *weekEdit
}

func (h *handler) adminReadingListPage(c *fiber.Ctx, status int, edit *weekEdit) error {
	course := managedCourse(c)
	outline, err := h.store.CourseOutline(c.UserContext(), course.Slug, true)
	if err != nil {
		return err
	}
	readers, err := h.store.ReaderCounts(c.UserContext(), course.ID)
	if err != nil {
		return err
	}
	d := adminReadingListData{adminPage: adminPage{Course: course, Tab: "readings"}, Outline: outline, Readers: readers, WeekEdit: edit}
	return h.render(c, status, "admin_readings", page{Title: h.t(c, "console.title.readings", "Course", course.Title), Data: d})
}

// adminReadingList shows every week with its readings, drafts included, and
// the buttons that reorder, publish and require them.
func (h *handler) adminReadingList(c *fiber.Ctx) error {
	return h.adminReadingListPage(c, http.StatusOK, nil)
}

// managedReading loads the reading named by :reading of the managed course.
func (h *handler) managedReading(c *fiber.Ctx) (*models.Reading, error) {
	r, err := h.store.ReadingBySlug(c.UserContext(), managedCourse(c).ID, c.Params("reading"))
	if err != nil {
		return nil, consoleNotFound(err, "This course has no such reading.")
	}
	return r, nil
}

// consoleNotFound words a not-found for the console.
func consoleNotFound(err error, message string) error {
	if errors.Is(err, models.ErrNotFound) {
		return errNotFound(message)
	}
	return err
}
