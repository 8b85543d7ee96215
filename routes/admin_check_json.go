package routes

import (
	"errors"
	"strconv"

	"courseportal/models"
	"courseportal/models/markdown"

	"github.com/gofiber/fiber/v2"
)

// checkExportJSON is a check with its answers, as staff export and import
// it. Ids are kept on import, so saving an export back changes nothing.
type checkExportJSON struct {
	PassPercent          int                  `json:"pass_percent"`
	MaxAttempts          *int                 `json:"max_attempts"`
	ShowAnswersAfterFail bool                 `json:"show_answers_after_fail"`
	Questions            []questionExportJSON `json:"questions"`
}

type questionExportJSON struct {
	ID        string             `json:"id,omitempty"`
	Prompt    string             `json:"prompt"`
	Kind      string             `json:"kind"`
	Paragraph string             `json:"paragraph"`
	Options   []optionExportJSON `json:"options"`
}

type optionExportJSON struct {
	ID       string `json:"id,omitempty"`
	Text     string `json:"text"`
	Correct  bool   `json:"correct"`
	Feedback string `json:"feedback"`
}

func exportCheck(c *models.Check) checkExportJSON {
	out := checkExportJSON{PassPercent: c.PassPercent, MaxAttempts: c.MaxAttempts,
		ShowAnswersAfterFail: c.ShowAnswersAfterFail, Questions: []questionExportJSON{}}
	for _, q := range c.Questions {
		qj := questionExportJSON{ID: q.IDString(), Prompt: q.Prompt, Kind: q.Kind, Paragraph: q.Anchor(),
			Options: []optionExportJSON{}}
		for _, o := range q.Options {
			qj.Options = append(qj.Options, optionExportJSON{ID: o.IDString(), Text: o.Body, Correct: o.Correct, Feedback: o.Feedback})
		}
		out.Questions = append(out.Questions, qj)
	}
	return out
}

// check turns an imported document into the store's input.
func (in checkExportJSON) check() (*models.Check, error) {
	if len(in.Questions) > models.MaxQuestions {
		return nil, models.Invalid("questions", "A check has at most "+itoa(models.MaxQuestions)+" questions.")
	}
	c := &models.Check{PassPercent: in.PassPercent, MaxAttempts: in.MaxAttempts, ShowAnswersAfterFail: in.ShowAnswersAfterFail}
	for i, qj := range in.Questions {
		paragraph, ok := markdown.ParagraphNumber(qj.Paragraph)
		if !ok {
			return nil, models.Invalid("questions."+itoa(i+1)+".paragraph", `Each question cites its paragraph, like "p-4".`)
		}
		if len(qj.Options) > models.MaxOptions {
			return nil, models.Invalid("questions."+itoa(i+1)+".options", "A question has at most six options.")
		}
		q := models.Question{ID: optionalID(qj.ID), Prompt: qj.Prompt, Kind: qj.Kind, Paragraph: paragraph}
		for _, oj := range qj.Options {
			q.Options = append(q.Options, models.Option{ID: optionalID(oj.ID), Body: oj.Text, Correct: oj.Correct, Feedback: oj.Feedback})
		}
		c.Questions = append(c.Questions, q)
	}
	return c, nil
}

// optionalID reads an id of an exported question or option; anything else
// is a new one.
func optionalID(s string) int64 {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id < 0 {
		return 0
	}
	return id
}

// adminCheckExport is GET …/readings/:reading/check.json: the check with
// its answers.
func (h *handler) adminCheckExport(c *fiber.Ctx) error {
	r, err := h.managedReading(c)
	if err != nil {
		return err
	}
	check, err := h.store.CheckOf(c.UserContext(), r.ID)
	if errors.Is(err, models.ErrNotFound) {
		return errNotFound("This reading has no knowledge check yet.")
	}
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(exportCheck(check))
}

// adminCheckImport is PUT …/readings/:reading/check.json: it replaces the
// check with the document sent and answers with the check as saved.
func (h *handler) adminCheckImport(c *fiber.Ctx) error {
	r, err := h.managedReading(c)
	if err != nil {
		return err
	}
	var body checkExportJSON
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	in, err := body.check()
	if err != nil {
		return err
	}
	saved, err := h.store.SaveCheck(c.UserContext(), currentUser(c).ID, managedCourse(c), r, in)
	if err != nil {
		return err
	}
	return c.JSON(exportCheck(saved))
}

// adminCheckDelete removes a check nobody has attempted yet.
func (h *handler) adminCheckDelete(c *fiber.Ctx) error {
	r, err := h.managedReading(c)
	if err != nil {
		return err
	}
	err = h.store.DeleteCheck(c.UserContext(), currentUser(c).ID, managedCourse(c), r)
	if errors.Is(err, models.ErrNotFound) {
		return errNotFound("This reading has no knowledge check.")
	}
	if err != nil {
		return err
	}
	return h.redirectWithFlash(c, "/admin/courses/"+managedCourse(c).Slug+"/readings/"+r.Slug, "check-deleted")
}
