package testdb

import (
	"context"
	"testing"

	"courseportal/models"
)

// AddCheck gives reading n (1 to 3) a check of two single-answer questions
// with a pass mark of 100 %: a score is 0, 50 or 100.
func (c *Class) AddCheck(t testing.TB, n int) *models.Check {
	t.Helper()
	question := func(prompt string, paragraph int) models.Question {
		return models.Question{Prompt: prompt, Kind: models.KindSingle, Paragraph: paragraph,
			Options: []models.Option{{Body: "Right", Correct: true}, {Body: "Wrong"}}}
	}
	in := &models.Check{PassPercent: 100, Questions: []models.Question{question("First", 1), question("Second", 2)}}
	check, err := c.Store.SaveCheck(context.Background(), 0, c.Course, &c.Course.Weeks[n-1].Readings[0], in)
	if err != nil {
		t.Fatal(err)
	}
	return check
}

// Attempt submits the named student's attempt at the check of reading n,
// answering the first right questions rightly and the others wrongly.
func (c *Class) Attempt(t testing.TB, name string, n int, check *models.Check, right int) {
	t.Helper()
	answers := models.Answers{}
	for i, q := range check.Questions {
		for _, o := range q.Options {
			if o.Correct == (i < right) {
				answers[q.ID] = []int64{o.ID}
				break
			}
		}
	}
	if _, err := c.Store.SubmitAttempt(context.Background(), c.Access(t, name, n), check, answers); err != nil {
		t.Fatalf("%s attempts the check of reading %d: %v", name, n, err)
	}
}

// SeedChecks gives readings 2 and 3 of the class of five (SeedFive) a check
// each and has the students attempt them:
//
//	         reading 2                      reading 3
//	ada      0 %, then 50 %: not passed     0 %: not passed
//	ben      100 %: passed                  —
//	cyd      —                              —
//	dee      50 %, then 100 %: passed       100 %: passed
//	eve      (withdrawn)
//
// It returns the two checks.
func (c *Class) SeedChecks(t testing.TB) (second, third *models.Check) {
	t.Helper()
	second, third = c.AddCheck(t, 2), c.AddCheck(t, 3)
	c.Attempt(t, "ada", 2, second, 0)
	c.Attempt(t, "ada", 2, second, 1)
	c.Attempt(t, "ada", 3, third, 0)
	c.Attempt(t, "ben", 2, second, 2)
	c.Attempt(t, "dee", 2, second, 1)
	c.Attempt(t, "dee", 2, second, 2)
	c.Attempt(t, "dee", 3, third, 2)
	return second, third
}
