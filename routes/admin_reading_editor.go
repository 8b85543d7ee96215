package routes

import (
	"errors"
	"html/template"
	"net/http"
	"strconv"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// adminReadingEditData is the reading editor, for a new or an existing
// reading.
type adminReadingEditData struct {
	adminPage
	Weeks   []models.Week
	Reading *models.Reading
	Readers int
	Form    adminReadingForm
	Errors  formErrors
	Preview template.HTML
}

// Action is where the editor's form posts.
func (d adminReadingEditData) Action() string {
	base := "/admin/courses/" + d.Course.Slug + "/readings"
	if d.Reading == nil {
		return base
	}
	return base + "/" + d.Reading.Slug
}

func (h *handler) adminReadingEditor(c *fiber.Ctx, status int, d adminReadingEditData) error {
	course := managedCourse(c)
	d.adminPage = adminPage{Course: course, Tab: "readings"}
	var err error
	if d.Weeks, err = h.store.WeeksOf(c.UserContext(), course.ID); err != nil {
		return err
	}
	if d.Preview, err = renderPreview(d.Form.BodyMarkdown); err != nil {
		d.Preview = ""
	}
	title := h.t(c, "console.title.reading_new", "Course", course.Title)
	if d.Reading != nil {
		title = h.t(c, "console.title.reading", "Title", d.Reading.Title)
	}
	return h.render(c, status, "admin_reading", page{Title: title, Scripts: []string{"js/admin.js"}, Data: d})
}

// adminReadingNew is an empty editor; ?week=N preselects the week.
func (h *handler) adminReadingNew(c *fiber.Ctx) error {
	week, _ := strconv.Atoi(c.Query("week"))
	form := adminReadingForm{Week: week, Required: true}
	return h.adminReadingEditor(c, http.StatusOK, adminReadingEditData{Form: form})
}

// adminReadingCreate adds the reading at the end of its week, or shows the
// preview when the "Preview" button sent the form.
func (h *handler) adminReadingCreate(c *fiber.Ctx) error {
	course := managedCourse(c)
	form, err := parseReadingForm(c)
	if err != nil {
		return err
	}
	d := adminReadingEditData{Form: form}
	if form.Preview {
		return h.adminReadingEditor(c, http.StatusOK, d)
	}
	if d.Errors = form.validate(); !d.Errors.ok() {
		return h.adminReadingEditor(c, http.StatusUnprocessableEntity, d)
	}
	r, err := h.store.CreateReading(c.UserContext(), currentUser(c).ID, course, form.input())
	if err != nil {
		var status int
		if d.Errors, status, err = refusal(err); err != nil {
			return err
		}
		return h.adminReadingEditor(c, status, d)
	}
	return h.redirectWithFlash(c, "/admin/courses/"+course.Slug+"/readings#reading-"+r.Slug, "reading-created")
}

// adminReadingEdit opens the editor on a reading.
func (h *handler) adminReadingEdit(c *fiber.Ctx) error {
	r, err := h.managedReading(c)
	if err != nil {
		return err
	}
	d, err := h.readingEditData(c, r)
	if err != nil {
		return err
	}
	d.Form = readingFormOf(r, weekNumber(d.Weeks, r.WeekID))
	return h.adminReadingEditor(c, http.StatusOK, d)
}

// readingEditData fills what the editor shows about an existing reading.
func (h *handler) readingEditData(c *fiber.Ctx, r *models.Reading) (adminReadingEditData, error) {
	d := adminReadingEditData{Reading: r}
	readers, err := h.store.ReaderCounts(c.UserContext(), r.CourseID)
	if err != nil {
		return d, err
	}
	d.Readers = readers[r.ID]
	d.Weeks, err = h.store.WeeksOf(c.UserContext(), r.CourseID)
	return d, err
}

func weekNumber(weeks []models.Week, id int64) int {
	for _, w := range weeks {
		if w.ID == id {
			return w.Number
		}
	}
	return 0
}

// adminReadingSave saves an edited reading (a new version; progress is
// kept), or shows the preview.
func (h *handler) adminReadingSave(c *fiber.Ctx) error {
	course := managedCourse(c)
	r, err := h.managedReading(c)
	if err != nil {
		return err
	}
	form, err := parseReadingForm(c)
	if err != nil {
		return err
	}
	d, err := h.readingEditData(c, r)
	if err != nil {
		return err
	}
	d.Form = form
	if form.Preview {
		return h.adminReadingEditor(c, http.StatusOK, d)
	}
	if d.Errors = form.validate(); !d.Errors.ok() {
		return h.adminReadingEditor(c, http.StatusUnprocessableEntity, d)
	}
	saved, err := h.store.UpdateReading(c.UserContext(), currentUser(c).ID, course, r.ID, form.Version, form.input())
	if errors.Is(err, models.ErrEditConflict) {
		// Offer to save over the newer version, knowingly.
		d.Form.Version = r.Version
		d.Errors = formErrors{"form": h.t(c, "console.msg_n.edit_conflict", "Version", r.Version)}
		return h.adminReadingEditor(c, http.StatusConflict, d)
	}
	if err != nil {
		var status int
		if d.Errors, status, err = refusal(err); err != nil {
			return err
		}
		return h.adminReadingEditor(c, status, d)
	}
	return h.redirectWithFlash(c, "/admin/courses/"+course.Slug+"/readings/"+saved.Slug, "reading-saved")
}
