package routes

import (
	"errors"
	"net/http"
	"strconv"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// checkJSON is a check as a student receives it: no answers.
type checkJSON struct {
	PassPercent  int                 `json:"pass_percent"`
	AttemptsLeft *int                `json:"attempts_left"`
	Passed       bool                `json:"passed"`
	Questions    []checkQuestionJSON `json:"questions"`
}

type checkQuestionJSON struct {
	ID      string            `json:"id"`
	Prompt  string            `json:"prompt"`
	Kind    string            `json:"kind"`
	Options []checkOptionJSON `json:"options"`
}

type checkOptionJSON struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// apiCheckShow is GET /api/v1/me/courses/:slug/readings/:reading/check.
func (h *handler) apiCheckShow(c *fiber.Ctx) error {
	_, check, standing, err := h.loadCheck(c, c.Params("slug"), c.Params("reading"))
	if err != nil {
		return apiCheckError(err)
	}
	out := checkJSON{PassPercent: check.PassPercent, AttemptsLeft: check.AttemptsLeft(standing),
		Passed: standing.Passed(), Questions: []checkQuestionJSON{}}
	for _, q := range check.Questions {
		qj := checkQuestionJSON{ID: q.IDString(), Prompt: q.Prompt, Kind: q.Kind, Options: []checkOptionJSON{}}
		for _, o := range q.Options {
			qj.Options = append(qj.Options, checkOptionJSON{ID: o.IDString(), Text: o.Body})
		}
		out.Questions = append(out.Questions, qj)
	}
	return c.JSON(out)
}

// attemptBody is POST …/check/attempts.
type attemptBody struct {
	Answers map[string][]string `json:"answers"`
}

type attemptJSON struct {
	ScorePercent int                `json:"score_percent"`
	Passed       bool               `json:"passed"`
	Results      []questionResultJS `json:"results"`
}

type questionResultJS struct {
	Question  string `json:"question"`
	Correct   bool   `json:"correct"`
	Feedback  string `json:"feedback"`
	Paragraph string `json:"paragraph"`
}

// apiCheckAttempt grades an attempt: 201 with the result, 409
// no_attempts_left once the limit is used up.
func (h *handler) apiCheckAttempt(c *fiber.Ctx) error {
	var body attemptBody
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	answers, err := parseAnswers(body.Answers)
	if err != nil {
		return err
	}
	a, check, _, err := h.loadCheck(c, c.Params("slug"), c.Params("reading"))
	if err != nil {
		return apiCheckError(err)
	}
	res, err := h.store.SubmitAttempt(c.UserContext(), a, check, answers)
	if errors.Is(err, models.ErrNoAttemptsLeft) {
		return errStatus(http.StatusConflict, "no_attempts_left", "You have used every attempt this check allows.")
	}
	if err != nil {
		return err
	}
	out := attemptJSON{ScorePercent: res.Attempt.ScorePercent, Passed: res.Attempt.Passed, Results: []questionResultJS{}}
	for _, r := range res.Results {
		out.Results = append(out.Results, questionResultJS{Question: r.Question.IDString(), Correct: r.Correct,
			Feedback: r.Feedback, Paragraph: r.Question.Anchor()})
	}
	return c.Status(http.StatusCreated).JSON(out)
}

// parseAnswers turns {"<question id>": ["<option id>", …]} into ids.
func parseAnswers(raw map[string][]string) (models.Answers, error) {
	if raw == nil {
		return nil, &httpError{Status: http.StatusUnprocessableEntity, Code: "invalid_field", Field: "answers",
			Message: `answers is required: {"<question id>": ["<option id>", …]}.`}
	}
	if len(raw) > models.MaxQuestions {
		return nil, &httpError{Status: http.StatusUnprocessableEntity, Code: "invalid_field", Field: "answers",
			Message: "answers names more questions than a check can have."}
	}
	answers := models.Answers{}
	for q, options := range raw {
		qid, err := strconv.ParseInt(q, 10, 64)
		if err != nil || len(options) > models.MaxOptions {
			return nil, &httpError{Status: http.StatusUnprocessableEntity, Code: "invalid_field", Field: "answers",
				Message: "answers maps question ids to lists of at most six option ids."}
		}
		for _, o := range options {
			oid, err := strconv.ParseInt(o, 10, 64)
			if err != nil {
				return nil, &httpError{Status: http.StatusUnprocessableEntity, Code: "invalid_field", Field: "answers",
					Message: "Option ids are strings of digits, as the check lists them."}
			}
			answers[qid] = append(answers[qid], oid)
		}
	}
	return answers, nil
}

// apiCheckError words the refusals of the check API.
func apiCheckError(err error) error {
	if errors.Is(err, models.ErrNoCheck) {
		return errNotFound("This reading has no knowledge check.")
	}
	if errors.Is(err, models.ErrNotFound) {
		return errNotFound("No such course or reading.")
	}
	return err
}
