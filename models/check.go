package models

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"courseportal/models/markdown"

	"github.com/jackc/pgx/v5/pgtype"
	"gorm.io/gorm"
)

// Question kinds.
const (
	KindSingle   = "single"
	KindMultiple = "multiple"
)

// Limits of a knowledge check.
const (
	MaxQuestions      = 50
	MinOptions        = 2
	MaxOptions        = 6
	maxPromptRunes    = 1000
	maxOptionRunes    = 500
	maxFeedbackRunes  = 1000
	maxAttemptsLimit  = 100
	defaultPassPercnt = 80
)

// Check is a reading's knowledge check.
type Check struct {
	ID        int64
	ReadingID int64
	// PassPercent is the score that passes, from 1 to 100.
	PassPercent int
	// MaxAttempts limits the attempts per person; nil means no limit.
	MaxAttempts *int
	// ShowAnswersAfterFail shows the right options after a failed attempt
	// (they are always shown after a passed one).
	ShowAnswersAfterFail bool
	CreatedAt            time.Time
	UpdatedAt            time.Time
	// AttemptsVersion changes whenever a first attempt at the check is
	// added, changed or removed (a trigger of migration 17 keeps it): the
	// item analysis is computed again only then.
	AttemptsVersion int64      `gorm:"->"`
	Questions       []Question `gorm:"foreignKey:CheckID"`
}

// Question is one question of a check.
type Question struct {
	ID       int64
	CheckID  int64
	Position int
	Prompt   string
	Kind     string
	// Paragraph is the number of the reading's paragraph that explains the
	// answer (the reader's anchor p-N).
	Paragraph int
	Options   []Option `gorm:"foreignKey:QuestionID"`
}

// TableName pins the table name.
func (Question) TableName() string { return "check_questions" }

// Anchor is the cited paragraph's anchor, like "p-4".
func (q *Question) Anchor() string { return markdown.ParagraphID(q.Paragraph) }

// IDString is the question's id as forms and JSON carry it.
func (q *Question) IDString() string { return strconv.FormatInt(q.ID, 10) }

// Option is one answer a question offers.
type Option struct {
	ID         int64
	QuestionID int64
	Position   int
	Body       string
	Correct    bool
	Feedback   string
}

// TableName pins the table name.
func (Option) TableName() string { return "check_options" }

// IDString is the option's id as forms and JSON carry it.
func (o *Option) IDString() string { return strconv.FormatInt(o.ID, 10) }

// Question finds one of the check's questions by id.
func (c *Check) Question(id int64) *Question {
	for i := range c.Questions {
		if c.Questions[i].ID == id {
			return &c.Questions[i]
		}
	}
	return nil
}

// CheckOf loads a reading's check with its questions and options in order;
// ErrNotFound when the reading has none. On PostgreSQL, a round trip away,
// it reads them in one statement, the check repeated on every row of its
// questions and options; SQLite runs in the process, where reading the
// check's columns again on every row (its times parsed from text each
// time) costs more than a second statement.
func (s *Store) CheckOf(ctx context.Context, readingID int64) (*Check, error) {
	if s.dialect == SQLite {
		return s.checkThenQuestions(ctx, readingID)
	}
	var c Check
	var q questionRow
	dests := append(c.dests(), q.dests()...)
	found := false
	err := s.readRows(ctx, "check", checkWithQuestionsQuery, []any{readingID}, dests, func() error {
		if !found {
			found, c.Questions = true, []Question{}
		}
		q.addTo(&c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, ErrNotFound
	}
	return &c, nil
}

// checkThenQuestions reads a reading's check, then its questions joined to
// their options.
func (s *Store) checkThenQuestions(ctx context.Context, readingID int64) (*Check, error) {
	var c Check
	if err := s.readRow(ctx, "check", checkOfQuery, []any{readingID}, c.dests()...); err != nil {
		return nil, err
	}
	c.Questions = []Question{}
	var q questionRow
	err := s.readRows(ctx, "check questions", questionsQuery, []any{c.ID}, q.dests(), func() error {
		q.addTo(&c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// checkColumns are every column of the checks table, in the order of
// Check.dests.
const checkColumns = "id, reading_id, pass_percent, max_attempts, show_answers_after_fail, created_at, updated_at, attempts_version"

// questionOwnColumns and optionOwnColumns are the columns of the
// check_questions and check_options tables that a check's rows read: all
// but the key of the check or question they belong to, known already.
const (
	questionOwnColumns = "id, position, prompt, kind, paragraph"
	optionOwnColumns   = "id, position, body, correct, feedback"
)

// questionColumns are a question's columns joined to one of its options',
// in the order of questionRow.dests.
var questionColumns = qualified("q", questionOwnColumns) + ", " + qualified("o", optionOwnColumns)

// checkWithQuestionsQuery reads a reading's check, once on each row of its
// questions joined to their options (a check without questions has one
// row); checkOfQuery the check alone, and questionsQuery its questions.
var (
	checkWithQuestionsQuery = "SELECT " + qualified("c", checkColumns) + ", " + questionColumns + `
FROM checks c LEFT JOIN check_questions q ON q.check_id = c.id LEFT JOIN check_options o ON o.question_id = q.id
WHERE c.reading_id = ? ORDER BY q.position, q.id, o.position, o.id`
	checkOfQuery   = "SELECT " + checkColumns + " FROM checks WHERE reading_id = ? LIMIT 1"
	questionsQuery = "SELECT " + questionColumns + `
FROM check_questions q LEFT JOIN check_options o ON o.question_id = q.id
WHERE q.check_id = ? ORDER BY q.position, q.id, o.position, o.id`
)

// dests are the check's own fields in the order of checkColumns.
func (c *Check) dests() []any {
	return []any{&c.ID, &c.ReadingID, &c.PassPercent, &c.MaxAttempts, &c.ShowAnswersAfterFail, &c.CreatedAt,
		&c.UpdatedAt, &c.AttemptsVersion}
}

// loadCheck reads a reading's check with its questions and their options,
// in order, in two queries: the check, then its questions joined to their
// options.
func loadCheck(db *gorm.DB, readingID int64) (*Check, error) {
	var c Check
	if err := db.Where("reading_id = ?", readingID).Take(&c).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, ErrNotFound
		}
		return nil, fmt.Errorf("store: unable to load check: %w", err)
	}
	if err := loadQuestions(db, &c); err != nil {
		return nil, err
	}
	return &c, nil
}

// questionRow is a row of a check's questions joined to their options: a
// question without options, or a check without questions, leaves the
// other side's columns NULL. Its nullable types are pgx's own, which pgx
// decodes straight into and database/sql (SQLite) scans too.
type questionRow struct {
	questionID, questionPosition, paragraph pgtype.Int8
	prompt, kind                            pgtype.Text
	optionID, optionPosition                pgtype.Int8
	body, feedback                          pgtype.Text
	correct                                 nullBool
}

// dests are the row's fields in the order of questionColumns.
func (q *questionRow) dests() []any {
	return []any{&q.questionID, &q.questionPosition, &q.prompt, &q.kind, &q.paragraph,
		&q.optionID, &q.optionPosition, &q.body, &q.correct, &q.feedback}
}

// addTo adds the row's question to c, unless it is the last one added, and
// its option to that question; the rows come in the questions' order.
func (q *questionRow) addTo(c *Check) {
	if !q.questionID.Valid {
		return
	}
	if n := len(c.Questions); n == 0 || c.Questions[n-1].ID != q.questionID.Int64 {
		c.Questions = append(c.Questions, Question{ID: q.questionID.Int64, CheckID: c.ID, Position: int(q.questionPosition.Int64),
			Prompt: q.prompt.String, Kind: q.kind.String, Paragraph: int(q.paragraph.Int64), Options: []Option{}})
	}
	if q.optionID.Valid {
		last := &c.Questions[len(c.Questions)-1]
		last.Options = append(last.Options, Option{ID: q.optionID.Int64, QuestionID: last.ID, Position: int(q.optionPosition.Int64),
			Body: q.body.String, Correct: q.correct.Bool, Feedback: q.feedback.String})
	}
}

// loadQuestions reads a check's questions joined to their options, in
// order, within db's transaction.
func loadQuestions(db *gorm.DB, c *Check) error {
	rows, err := db.Raw(questionsQuery, c.ID).Rows()
	if err != nil {
		return fmt.Errorf("store: unable to load check questions: %w", err)
	}
	defer func() { _ = rows.Close() }()
	c.Questions = []Question{}
	var q questionRow
	dests := q.dests()
	for rows.Next() {
		if err := rows.Scan(dests...); err != nil {
			return fmt.Errorf("store: unable to read check questions: %w", err)
		}
		q.addTo(c)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: unable to read check questions: %w", err)
	}
	return nil
}

// validate checks a check against the reading it belongs to.
func (c *Check) validate(paragraphs int) error {
	if c.PassPercent < 1 || c.PassPercent > 100 {
		return Invalid("pass_percent", "The pass mark must be between 1 and 100 %.")
	}
	if c.MaxAttempts != nil && (*c.MaxAttempts < 1 || *c.MaxAttempts > maxAttemptsLimit) {
		return Invalid("max_attempts", fmt.Sprintf("Allow between 1 and %d attempts, or leave it empty for no limit.", maxAttemptsLimit))
	}
	if len(c.Questions) == 0 || len(c.Questions) > MaxQuestions {
		return Invalid("questions", fmt.Sprintf("A check has between 1 and %d questions.", MaxQuestions))
	}
	for i := range c.Questions {
		if err := c.Questions[i].validate(i+1, paragraphs); err != nil {
			return err
		}
	}
	return nil
}

func (q *Question) validate(n, paragraphs int) error {
	field := "questions." + strconv.Itoa(n)
	label := "Question " + strconv.Itoa(n)
	if err := validateText(field+".prompt", label+"'s text", q.Prompt, true, maxPromptRunes); err != nil {
		return err
	}
	if q.Kind != KindSingle && q.Kind != KindMultiple {
		return Invalid(field+".kind", label+" must be “single” (one right answer) or “multiple” (select all that apply).")
	}
	if q.Paragraph < 1 || q.Paragraph > paragraphs {
		return Invalid(field+".paragraph", fmt.Sprintf("%s must cite one of the reading's paragraphs, p-1 to p-%d.", label, paragraphs))
	}
	if len(q.Options) < MinOptions || len(q.Options) > MaxOptions {
		return Invalid(field+".options", fmt.Sprintf("%s needs between %d and %d options.", label, MinOptions, MaxOptions))
	}
	right := 0
	for j := range q.Options {
		o := &q.Options[j]
		of := fmt.Sprintf("%s.options.%d", field, j+1)
		ol := fmt.Sprintf("%s, option %d,", label, j+1)
		if err := validateText(of+".text", ol+" text", o.Body, true, maxOptionRunes); err != nil {
			return err
		}
		if err := validateText(of+".feedback", ol+" feedback", o.Feedback, false, maxFeedbackRunes); err != nil {
			return err
		}
		if o.Correct {
			right++
		}
	}
	switch {
	case right == 0:
		return Invalid(field+".options", label+" needs a right option.")
	case q.Kind == KindSingle && right > 1:
		return Invalid(field+".options", label+" has one right answer, but several options are marked right.")
	}
	return nil
}
