package models

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// CheckResult is one person's standing on one check: how many attempts they
// made, their best score and whether they passed. Passing is for good.
type CheckResult struct {
	EnrollmentID  int64
	CheckID       int64
	Attempts      int
	BestPercent   int
	PassedAt      *time.Time
	LastAttemptAt time.Time
}

// Passed reports whether the person ever passed the check.
func (r *CheckResult) Passed() bool { return r != nil && r.PassedAt != nil }

// AttemptsLeft is how many attempts the person may still make; nil when
// the check has no limit.
func (c *Check) AttemptsLeft(r *CheckResult) *int {
	if c.MaxAttempts == nil {
		return nil
	}
	used := 0
	if r != nil {
		used = r.Attempts
	}
	left := max(0, *c.MaxAttempts-used)
	return &left
}

// CheckAttempt is one submitted attempt, kept with its answers.
type CheckAttempt struct {
	ID           int64
	EnrollmentID int64
	CheckID      int64
	Number       int
	ScorePercent int
	Passed       bool
	// Answers is {"question id": [option ids]} as JSON; RightAnswers the
	// ids of the questions answered right, as graded then.
	Answers      string
	RightAnswers string
	CreatedAt    time.Time
}

// Answers maps question ids to the chosen option ids.
type Answers map[int64][]int64

// QuestionResult is how one question of an attempt went.
type QuestionResult struct {
	Question *Question
	Chosen   []int64
	Correct  bool
	// Feedback is the feedback of the chosen options.
	Feedback string
}

// Chose reports whether the attempt chose the option.
func (q *QuestionResult) Chose(optionID int64) bool { return slices.Contains(q.Chosen, optionID) }

// AttemptResult is a graded attempt and what it changed.
type AttemptResult struct {
	Attempt *CheckAttempt
	Results []QuestionResult
	// Standing is the person's result on the check after this attempt.
	Standing        *CheckResult
	Check           *Check
	ReadingComplete bool
	CourseCompleted bool
	CertificateCode string
}

// ShowAnswers reports whether the result page may reveal the right options.
func (r *AttemptResult) ShowAnswers() bool { return r.Attempt.Passed || r.Check.ShowAnswersAfterFail }

// CheckStanding reads a person's result on a check; nil before any attempt.
func (s *Store) CheckStanding(ctx context.Context, enrollmentID, checkID int64) (*CheckResult, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	var rows []CheckResult
	if err := db.Where("enrollment_id = ? AND check_id = ?", enrollmentID, checkID).Limit(1).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: unable to load check result: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return &rows[0], nil
}

// validateAnswers checks that every question is answered with options of
// its own, one for a single-answer question, and reports every question
// that is not at once.
func (c *Check) validateAnswers(answers Answers) error {
	for qid := range answers {
		if c.Question(qid) == nil {
			return Invalid("answers", "The answers name a question this check does not have.")
		}
	}
	problems := make([]error, len(c.Questions))
	for i := range c.Questions {
		problems[i] = c.Questions[i].validateAnswer(i+1, answers[c.Questions[i].ID])
	}
	return joinInvalid(problems...)
}

// validateAnswer checks the options chosen for question number n.
func (q *Question) validateAnswer(n int, chosen []int64) error {
	field, number := "q-"+q.IDString(), strconv.Itoa(n)
	switch {
	case len(chosen) == 0:
		return Invalid(field, "Answer every question: question "+number+" has no answer.")
	case q.Kind == KindSingle && len(chosen) > 1:
		return Invalid(field, "Question "+number+" takes one answer.")
	case len(chosen) > len(q.Options):
		return Invalid(field, "Question "+number+" has fewer options than that.")
	}
	for _, oid := range chosen {
		if !slices.ContainsFunc(q.Options, func(o Option) bool { return o.ID == oid }) {
			return Invalid(field, "Question "+number+" has no such option.")
		}
	}
	return nil
}

// grade scores answers against the check's key: a question is right when
// exactly its right options are chosen.
func (c *Check) grade(answers Answers) (results []QuestionResult, score int) {
	right := 0
	for i := range c.Questions {
		q := &c.Questions[i]
		chosen := slices.Clone(answers[q.ID])
		slices.Sort(chosen)
		chosen = slices.Compact(chosen)
		var key []int64
		var feedback []string
		for _, o := range q.Options {
			if o.Correct {
				key = append(key, o.ID)
			}
			if slices.Contains(chosen, o.ID) && o.Feedback != "" {
				feedback = append(feedback, o.Feedback)
			}
		}
		slices.Sort(key)
		correct := slices.Equal(chosen, key)
		if correct {
			right++
		}
		results = append(results, QuestionResult{Question: q, Chosen: chosen, Correct: correct, Feedback: strings.Join(feedback, " ")})
	}
	return results, right * 100 / len(c.Questions)
}

// SubmitAttempt grades and records an attempt at a reading's check. The
// attempt is counted atomically against the limit (ErrNoAttemptsLeft once
// it is used up); passing is for good; a first pass completes the reading
// and, when it was the last requirement, the course with its certificate,
// in the same transaction.
func (s *Store) SubmitAttempt(ctx context.Context, a *Access, check *Check, answers Answers) (*AttemptResult, error) {
	if err := check.validateAnswers(answers); err != nil {
		return nil, err
	}
	results, score := check.grade(answers)
	passed := score >= check.PassPercent
	answersJSON, rightJSON, err := attemptJSON(answers, results)
	if err != nil {
		return nil, err
	}
	out := &AttemptResult{Results: results, Check: check}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		now, err := s.lockForCompletion(tx, a)
		if err != nil {
			return err
		}
		if err := s.claimReplayedWrite(tx); err != nil {
			return err
		}
		standing, err := s.countAttempt(tx, a.Enrollment.ID, check, score, passed, now)
		if err != nil {
			return err
		}
		out.Standing = standing
		out.Attempt = &CheckAttempt{EnrollmentID: a.Enrollment.ID, CheckID: check.ID, Number: standing.Attempts,
			ScorePercent: score, Passed: passed, Answers: answersJSON, RightAnswers: rightJSON, CreatedAt: now}
		if err := tx.Create(out.Attempt).Error; err != nil {
			return fmt.Errorf("store: unable to record attempt: %w", err)
		}
		if !standing.Passed() {
			return nil
		}
		return s.completeByCheck(tx, a, now, out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// countAttempt takes one attempt from the person's allowance in one
// conditional upsert, and returns their standing after it.
func (s *Store) countAttempt(tx *gorm.DB, enrollmentID int64, check *Check, score int, passed bool, now time.Time) (*CheckResult, error) {
	var passedAt *time.Time
	if passed {
		passedAt = &now
	}
	limit := ""
	args := []any{enrollmentID, check.ID, score, passedAt, now}
	if check.MaxAttempts != nil {
		limit = " WHERE check_results.attempts < ?"
		args = append(args, *check.MaxAttempts)
	}
	var rows []CheckResult
	err := tx.Raw(`INSERT INTO check_results (enrollment_id, check_id, attempts, best_percent, passed_at, last_attempt_at)
VALUES (?, ?, 1, ?, ?, ?)
ON CONFLICT (enrollment_id, check_id) DO UPDATE SET
  attempts = check_results.attempts + 1,
  best_percent = `+s.greatest()+`(check_results.best_percent, excluded.best_percent),
  passed_at = COALESCE(check_results.passed_at, excluded.passed_at),
  last_attempt_at = excluded.last_attempt_at`+limit+`
RETURNING enrollment_id, check_id, attempts, best_percent, passed_at, last_attempt_at`, args...).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to count attempt: %w", err)
	}
	if len(rows) == 0 {
		return nil, ErrNoAttemptsLeft
	}
	return &rows[0], nil
}

// completeByCheck completes the reading of a passed check, once, through
// the same path as "Mark as complete".
func (s *Store) completeByCheck(tx *gorm.DB, a *Access, now time.Time, out *AttemptResult) error {
	row, err := s.upsertProgress(tx, a, ProgressUpdate{}, 0, now, "")
	if err != nil {
		return err
	}
	out.ReadingComplete = true
	if row.CompletedAt != nil {
		return nil
	}
	var progress ProgressResult
	if err := s.completeReading(tx, a, now, &progress); err != nil {
		return err
	}
	out.CourseCompleted, out.CertificateCode = progress.CourseCompleted, progress.CertificateCode
	return nil
}

func attemptJSON(answers Answers, results []QuestionResult) (string, string, error) {
	keyed := make(map[string][]int64, len(answers))
	right := []int64{}
	for _, r := range results {
		keyed[r.Question.IDString()] = r.Chosen
		if r.Correct {
			right = append(right, r.Question.ID)
		}
	}
	a, err := json.Marshal(keyed)
	if err != nil {
		return "", "", fmt.Errorf("store: unable to encode answers: %w", err)
	}
	b, err := json.Marshal(right)
	if err != nil {
		return "", "", fmt.Errorf("store: unable to encode results: %w", err)
	}
	return string(a), string(b), nil
}
