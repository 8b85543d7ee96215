package routes

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// checkData is the knowledge check page: the form, or the result of an
// attempt.
type checkData struct {
	Access   *models.Access
	Check    *models.Check
	Standing *models.CheckResult
	// AttemptsLeft is nil when attempts are unlimited.
	AttemptsLeft *int
	// Chosen keeps a refused form's choices: option id → chosen.
	Chosen map[int64]bool
	Errors fieldErrors
	// Result is set on the page that follows an attempt.
	Result *models.AttemptResult
	// Preview is the console's view of the form: nothing to submit.
	Preview bool
}

// Unlimited reports whether the check allows any number of attempts.
func (d checkData) Unlimited() bool { return d.AttemptsLeft == nil }

// Left is the number of attempts left when they are limited.
func (d checkData) Left() int {
	if d.AttemptsLeft == nil {
		return 0
	}
	return *d.AttemptsLeft
}

// CanAttempt reports whether the form may be sent again.
func (d checkData) CanAttempt() bool { return d.AttemptsLeft == nil || *d.AttemptsLeft > 0 }

// ReadingURL is the reader page the check belongs to.
func (d checkData) ReadingURL() string {
	return "/learn/" + d.Access.Course.Slug + "/readings/" + d.Access.Reading.Slug
}

// loadCheck opens a reading's check for the signed-in person: the same
// access rules as the reading itself.
func (h *handler) loadCheck(c *fiber.Ctx, courseSlug, readingSlug string) (*models.Access, *models.Check, *models.CheckResult, error) {
	ctx := c.UserContext()
	a, err := h.store.ReadingAccess(ctx, currentUser(c).ID, courseSlug, readingSlug)
	if err != nil {
		return a, nil, nil, err
	}
	if a.CheckID == 0 {
		return a, nil, nil, models.ErrNoCheck
	}
	check, err := h.store.CheckOf(ctx, a.Reading.ID)
	if err != nil {
		return a, nil, nil, err
	}
	standing, err := h.store.CheckStanding(ctx, a.Enrollment.ID, check.ID)
	return a, check, standing, err
}

func (h *handler) checkPage(c *fiber.Ctx, status int, d checkData) error {
	d.AttemptsLeft = d.Check.AttemptsLeft(d.Standing)
	title := h.t(c, "reader.check") + " · " + d.Access.Reading.Title
	if d.Result != nil {
		title = h.t(c, "check.your_result") + " · " + d.Access.Reading.Title
	}
	return h.render(c, status, "check", page{Title: title, Data: d})
}

// checkShow is the check as a plain form: radio buttons or checkboxes
// named q-<question id> whose values are option ids, and no answers.
func (h *handler) checkShow(c *fiber.Ctx) error {
	a, check, standing, err := h.loadCheck(c, c.Params("slug"), c.Params("reading"))
	if err != nil {
		return h.checkDenied(c, a, err)
	}
	// Saved for offline with its reading, like the reader (see readerShow).
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	return h.checkPage(c, http.StatusOK, checkData{Access: a, Check: check, Standing: standing})
}

// checkSubmit grades an attempt and shows the result.
func (h *handler) checkSubmit(c *fiber.Ctx) error {
	if err := requireForm(c); err != nil {
		return err
	}
	a, check, standing, err := h.loadCheck(c, c.Params("slug"), c.Params("reading"))
	if err != nil {
		return h.checkDenied(c, a, err)
	}
	answers, chosen := formAnswers(c, check)
	res, err := h.store.SubmitAttempt(c.UserContext(), a, check, answers)
	if list := models.Validations(err); len(list) > 0 {
		return h.checkPage(c, http.StatusUnprocessableEntity,
			checkData{Access: a, Check: check, Standing: standing, Chosen: chosen, Errors: answerErrors(list)})
	}
	if errors.Is(err, models.ErrNoAttemptsLeft) {
		return h.checkPage(c, http.StatusConflict, checkData{Access: a, Check: check, Standing: standing,
			Errors: formError("You have used every attempt this check allows.")})
	}
	if err != nil {
		return err
	}
	return h.checkPage(c, http.StatusOK, checkData{Access: a, Check: check, Standing: res.Standing, Result: res})
}

// answerErrors turns refused answers into messages: one per question
// (field q-<id>, linked to the question's first option, whose id it is),
// or one about the whole form.
func answerErrors(list []*models.ValidationError) fieldErrors {
	var errs fieldErrors
	for _, v := range list {
		if strings.HasPrefix(v.Field, "q-") {
			errs = errs.with(v.Field, v.Message)
		} else {
			errs = errs.with("", v.Message)
		}
	}
	return errs
}

// formAnswers reads the q-<id> inputs of the check's questions; values that
// are not option ids are kept as 0, which grading refuses.
func formAnswers(c *fiber.Ctx, check *models.Check) (models.Answers, map[int64]bool) {
	answers, chosen := models.Answers{}, map[int64]bool{}
	args := c.Request().PostArgs()
	form, _ := c.MultipartForm()
	for _, q := range check.Questions {
		name := "q-" + q.IDString()
		values := make([]string, 0, len(q.Options))
		for _, v := range args.PeekMulti(name) {
			values = append(values, string(v))
		}
		if form != nil {
			values = append(values, form.Value[name]...)
		}
		for _, v := range values[:min(len(values), models.MaxOptions+1)] {
			id, _ := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			answers[q.ID] = append(answers[q.ID], id)
			chosen[id] = true
		}
	}
	return answers, chosen
}

// checkDenied explains why a check cannot be opened.
func (h *handler) checkDenied(c *fiber.Ctx, a *models.Access, err error) error {
	if errors.Is(err, models.ErrNoCheck) {
		return errNotFound("This reading has no knowledge check.")
	}
	return h.readingDenied(c, a, err)
}
