package routes

import (
	"errors"
	"net/http"
	"strconv"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// adminCheckData is the check editor with its item analysis.
type adminCheckData struct {
	adminPage
	Reading *models.Reading
	Check   *models.Check
	Form    adminCheckForm
	Errors  formErrors
	// Paragraphs lists the reading's paragraphs (p-1 first) by their
	// opening words, for the cited-paragraph menus.
	Paragraphs []string
	Analysis   *models.ItemAnalysis
}

// QuestionAnalysis finds the analysis of one question of the check.
func (d adminCheckData) QuestionAnalysis(id string) *models.QuestionAnalysis {
	if d.Analysis == nil {
		return nil
	}
	for i := range d.Analysis.Questions {
		if d.Analysis.Questions[i].Question.IDString() == id {
			return &d.Analysis.Questions[i]
		}
	}
	return nil
}

// Chosen is how many first attempts chose an option (by its form id).
func (d adminCheckData) Chosen(qa *models.QuestionAnalysis, optionID string) int {
	return qa.Chosen[optionalID(optionID)]
}

// Separation words a question's discrimination, empty when the class is
// too small to have thirds.
func (d adminCheckData) Separation(qa *models.QuestionAnalysis) string {
	if qa.Discrimination == nil {
		return ""
	}
	return strconv.FormatFloat(*qa.Discrimination, 'f', 2, 64)
}

// CheckPath is the editor's address.
func (d adminCheckData) CheckPath() string {
	return "/admin/courses/" + d.Course.Slug + "/readings/" + d.Reading.Slug + "/check"
}

func (h *handler) adminCheckPage(c *fiber.Ctx, status int, r *models.Reading, d adminCheckData) error {
	d.adminPage, d.Reading = adminPage{Course: managedCourse(c), Tab: "readings"}, r
	doc, err := h.store.RenderedReading(c.UserContext(), r)
	if err != nil {
		return err
	}
	d.Paragraphs = doc.Openings
	if d.Check != nil {
		if d.Analysis, err = h.store.AnalyseCheck(c.UserContext(), d.Check); err != nil {
			return err
		}
	}
	return h.render(c, status, "admin_check", page{Title: h.t(c, "console.title.check", "Title", r.Title), Data: d})
}

// readingCheck loads the managed reading and its check (nil when none).
func (h *handler) readingCheck(c *fiber.Ctx) (*models.Reading, *models.Check, error) {
	r, err := h.managedReading(c)
	if err != nil {
		return nil, nil, err
	}
	check, err := h.store.CheckOf(c.UserContext(), r.ID)
	if errors.Is(err, models.ErrNotFound) {
		return r, nil, nil
	}
	return r, check, err
}

// adminCheckEdit shows the reading's check in the editor, with its item
// analysis, or an empty editor.
func (h *handler) adminCheckEdit(c *fiber.Ctx) error {
	r, check, err := h.readingCheck(c)
	if err != nil {
		return err
	}
	return h.adminCheckPage(c, http.StatusOK, r, adminCheckData{Check: check, Form: checkFormOf(check)})
}

// adminCheckSave saves the editor's check.
func (h *handler) adminCheckSave(c *fiber.Ctx) error {
	r, check, err := h.readingCheck(c)
	if err != nil {
		return err
	}
	form, err := parseCheckForm(c)
	if err != nil {
		return err
	}
	d := adminCheckData{Check: check, Form: form.withBlank()}
	in, errs := form.check()
	if !errs.ok() {
		d.Errors = errs
		return h.adminCheckPage(c, http.StatusUnprocessableEntity, r, d)
	}
	if _, err := h.store.SaveCheck(c.UserContext(), currentUser(c).ID, managedCourse(c), r, in); err != nil {
		v, invalid := models.AsValidation(err)
		if !invalid {
			return err
		}
		d.Errors = formErrors{"form": v.Message}
		return h.adminCheckPage(c, http.StatusUnprocessableEntity, r, d)
	}
	return h.redirectWithFlash(c, "/admin/courses/"+managedCourse(c).Slug+"/readings/"+r.Slug+"/check", "check-saved")
}

// adminCheckPreview shows the check as a student sees it, without answers
// and without a way to submit.
func (h *handler) adminCheckPreview(c *fiber.Ctx) error {
	r, check, err := h.readingCheck(c)
	if err != nil {
		return err
	}
	if check == nil {
		return errNotFound("This reading has no knowledge check yet.")
	}
	course := managedCourse(c)
	weeks, err := h.store.WeeksOf(c.UserContext(), course.ID)
	if err != nil {
		return err
	}
	a := &models.Access{Course: course, Reading: r, Week: &models.Week{Number: weekNumber(weeks, r.WeekID)}}
	return h.checkPage(c, http.StatusOK, checkData{Access: a, Check: check, Preview: true})
}
