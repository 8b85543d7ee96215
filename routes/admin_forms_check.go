package routes

import (
	"fmt"
	"strconv"
	"strings"

	"courseportal/models"
	"courseportal/models/markdown"

	"github.com/gofiber/fiber/v2"
)

// adminCheckForm is the check editor: the settings, every question with
// six option slots, and one blank question to add. Blank slots are ignored.
type adminCheckForm struct {
	PassPercent string
	MaxAttempts string
	ShowAnswers bool
	Questions   []checkFormQuestion
}

type checkFormQuestion struct {
	ID        string
	Prompt    string
	Kind      string
	Paragraph int
	Remove    bool
	Options   []checkFormOption
}

type checkFormOption struct {
	ID       string
	Text     string
	Correct  bool
	Feedback string
}

// blankQuestion is the empty slot for a new question.
func blankQuestion() checkFormQuestion {
	return checkFormQuestion{Kind: models.KindSingle, Options: make([]checkFormOption, models.MaxOptions)}
}

// checkFormOf fills the editor from a check (nil: a new check).
func checkFormOf(c *models.Check) adminCheckForm {
	if c == nil {
		return adminCheckForm{PassPercent: "80", Questions: []checkFormQuestion{blankQuestion()}}
	}
	f := adminCheckForm{PassPercent: itoa(c.PassPercent), MaxAttempts: minutesText(c.MaxAttempts),
		ShowAnswers: c.ShowAnswersAfterFail}
	for _, q := range c.Questions {
		fq := checkFormQuestion{ID: q.IDString(), Prompt: q.Prompt, Kind: q.Kind, Paragraph: q.Paragraph,
			Options: make([]checkFormOption, models.MaxOptions)}
		for j, o := range q.Options {
			fq.Options[j] = checkFormOption{ID: o.IDString(), Text: o.Body, Correct: o.Correct, Feedback: o.Feedback}
		}
		f.Questions = append(f.Questions, fq)
	}
	f.Questions = append(f.Questions, blankQuestion())
	return f
}

// parseCheckForm reads the editor; questions are numbered q0, q1 … up to
// one past the last question the page showed.
func parseCheckForm(c *fiber.Ctx) (adminCheckForm, error) {
	if err := requireForm(c); err != nil {
		return adminCheckForm{}, err
	}
	f := adminCheckForm{PassPercent: formLine(c.FormValue("pass_percent")), MaxAttempts: formLine(c.FormValue("max_attempts")),
		ShowAnswers: formBool(c.FormValue("show_answers_after_fail"))}
	for i := 0; i <= models.MaxQuestions; i++ {
		prefix := fmt.Sprintf("q%d.", i)
		if c.FormValue(prefix+"kind") == "" {
			break
		}
		paragraph, _ := markdown.ParagraphNumber(c.FormValue(prefix + "paragraph"))
		q := checkFormQuestion{ID: c.FormValue(prefix + "id"), Prompt: strings.TrimSpace(formText(c.FormValue(prefix + "prompt"))),
			Kind: c.FormValue(prefix + "kind"), Paragraph: paragraph, Remove: formBool(c.FormValue(prefix + "remove"))}
		for j := range models.MaxOptions {
			op := fmt.Sprintf("%so%d.", prefix, j)
			q.Options = append(q.Options, checkFormOption{ID: c.FormValue(op + "id"), Text: formLine(c.FormValue(op + "text")),
				Correct: formBool(c.FormValue(op + "correct")), Feedback: strings.TrimSpace(formText(c.FormValue(op + "feedback")))})
		}
		f.Questions = append(f.Questions, q)
	}
	return f, nil
}

// blank reports whether a question slot was left empty.
func (q checkFormQuestion) blank() bool {
	if q.Prompt != "" {
		return false
	}
	for _, o := range q.Options {
		if o.Text != "" {
			return false
		}
	}
	return true
}

// check turns the form into the store's input, or the field errors.
func (f adminCheckForm) check() (*models.Check, formErrors) {
	errs := formErrors{}
	pass, err := strconv.Atoi(f.PassPercent)
	if err != nil || pass < 1 || pass > 100 {
		errs["pass_percent"] = "Give the pass mark as a whole percentage, from 1 to 100."
	}
	limit, ok := parseMinutes(f.MaxAttempts)
	if !ok || (limit != nil && *limit < 1) || (limit != nil && *limit > 100) {
		errs["max_attempts"] = "Allow from 1 to 100 attempts, or leave it empty for no limit."
	}
	c := &models.Check{PassPercent: pass, MaxAttempts: limit, ShowAnswersAfterFail: f.ShowAnswers}
	for _, fq := range f.Questions {
		if fq.Remove || fq.blank() {
			continue
		}
		q := models.Question{ID: optionalID(fq.ID), Prompt: fq.Prompt, Kind: fq.Kind, Paragraph: fq.Paragraph}
		for _, fo := range fq.Options {
			if fo.Text == "" {
				continue
			}
			q.Options = append(q.Options, models.Option{ID: optionalID(fo.ID), Body: fo.Text, Correct: fo.Correct, Feedback: fo.Feedback})
		}
		c.Questions = append(c.Questions, q)
	}
	if len(c.Questions) == 0 {
		errs["form"] = "Write at least one question, with its options."
	}
	return c, errs
}

// withBlank makes sure the form ends with an empty question slot.
func (f adminCheckForm) withBlank() adminCheckForm {
	if n := len(f.Questions); n == 0 || !f.Questions[n-1].blank() {
		f.Questions = append(f.Questions, blankQuestion())
	}
	return f
}
