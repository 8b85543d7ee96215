package models_test

import (
	"context"
	"errors"
	"testing"

	"courseportal/models"
)

// TestCheckOfReadsTheCheckWhole: the check, its questions and their options
// in order, in one statement on PostgreSQL (two on SQLite), NULLs of the
// joins read as none; a reading without a check is not found.
func TestCheckOfReadsTheCheckWhole(t *testing.T) {
	limit := 3
	store, _, course, _, saved := checkedCourse(t, &limit)
	ctx := context.Background()
	counter := &models.QueryCounter{}
	if err := store.DB().Use(counter); err != nil {
		t.Fatal(err)
	}
	before := counter.Count()
	check, err := store.CheckOf(ctx, saved.ReadingID)
	if err != nil {
		t.Fatal(err)
	}
	statements := int64(1)
	if store.Dialect() == models.SQLite {
		statements = 2
	}
	if n := counter.Count() - before; n != statements {
		t.Errorf("CheckOf ran %d statements, want %d on %s", n, statements, store.Dialect())
	}
	if check.ID != saved.ID || check.PassPercent != 100 || check.MaxAttempts == nil || *check.MaxAttempts != 3 {
		t.Errorf("check = %+v, want id %d, pass 100, at most 3 attempts", check, saved.ID)
	}
	want := twoQuestions(nil).Questions
	if len(check.Questions) != len(want) {
		t.Fatalf("%d questions, want %d", len(check.Questions), len(want))
	}
	for i, q := range check.Questions {
		w := want[i]
		if q.ID != saved.Questions[i].ID || q.CheckID != check.ID || q.Position != i+1 || q.Prompt != w.Prompt ||
			q.Kind != w.Kind || q.Paragraph != w.Paragraph || len(q.Options) != len(w.Options) {
			t.Fatalf("question %d = %+v, want %+v", i+1, q, w)
		}
		for j, o := range q.Options {
			wo := w.Options[j]
			if o.ID != saved.Questions[i].Options[j].ID || o.QuestionID != q.ID || o.Position != j+1 || o.Body != wo.Body ||
				o.Correct != wo.Correct || o.Feedback != wo.Feedback {
				t.Errorf("question %d option %d = %+v, want %+v", i+1, j+1, o, wo)
			}
		}
	}
	// A question without options, then a check without questions.
	db := store.DB()
	if err := db.Exec("DELETE FROM check_options WHERE question_id = ?", check.Questions[1].ID).Error; err != nil {
		t.Fatal(err)
	}
	if check, err = store.CheckOf(ctx, saved.ReadingID); err != nil || len(check.Questions) != 2 ||
		check.Questions[1].Options == nil || len(check.Questions[1].Options) != 0 {
		t.Fatalf("with a question without options: %+v, %v", check, err)
	}
	if err := db.Exec("DELETE FROM check_questions WHERE check_id = ?", check.ID).Error; err != nil {
		t.Fatal(err)
	}
	if check, err = store.CheckOf(ctx, saved.ReadingID); err != nil || check.ID != saved.ID || check.Questions == nil ||
		len(check.Questions) != 0 {
		t.Fatalf("without questions: %+v, %v", check, err)
	}
	other := course.Weeks[0].Readings
	for _, r := range other {
		if r.ID == saved.ReadingID {
			continue
		}
		if _, err := store.CheckOf(ctx, r.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("a reading without a check: %v, want not found", err)
		}
	}
	if _, err := store.CheckOf(ctx, -1); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("no reading: %v, want not found", err)
	}
}
