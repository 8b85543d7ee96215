package models_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"courseportal/models"
	"courseportal/models/testdb"
)

// twoQuestions is a check of a single-answer and a select-all question.
func twoQuestions(limit *int) *models.Check {
	return &models.Check{PassPercent: 100, MaxAttempts: limit, Questions: []models.Question{
		{Prompt: "Single", Kind: models.KindSingle, Paragraph: 2, Options: []models.Option{
			{Body: "Right", Correct: true, Feedback: "Yes, see p-2."}, {Body: "Wrong", Feedback: "No."}}},
		{Prompt: "Select all", Kind: models.KindMultiple, Paragraph: 5, Options: []models.Option{
			{Body: "A", Correct: true}, {Body: "B", Correct: true}, {Body: "C", Feedback: "C is not."}}},
	}}
}

// checkedCourse is a one-week course whose reading has a check, with one
// enrolled student.
func checkedCourse(t *testing.T, limit *int) (*models.Store, *models.FixedClock, *models.Course, *models.Access, *models.Check) {
	t.Helper()
	store, clock := testdb.Open(t)
	ctx := context.Background()
	course, _ := testdb.Course(t, store, 1, models.Cohort{})
	r := &course.Weeks[0].Readings[0]
	check, err := store.SaveCheck(ctx, 0, course, r, twoQuestions(limit))
	if err != nil {
		t.Fatal(err)
	}
	u := testdb.User(t, store, models.RoleStudent)
	if _, err := store.Enroll(ctx, u.ID, course); err != nil {
		t.Fatal(err)
	}
	return store, clock, course, accessFor(t, store, u, course, r.Slug), check
}

// answers picks the right options, or (right=false) every wrong one.
func answers(c *models.Check, right bool) models.Answers {
	out := models.Answers{}
	for _, q := range c.Questions {
		for _, o := range q.Options {
			if o.Correct == right {
				out[q.ID] = append(out[q.ID], o.ID)
			}
		}
		if !right && len(out[q.ID]) == 0 {
			out[q.ID] = []int64{q.Options[0].ID}
		}
	}
	return out
}

func TestParallelAttemptsNeverExceedTheLimit(t *testing.T) {
	limit := 3
	store, _, _, a, check := checkedCourse(t, &limit)
	ctx := context.Background()
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, refused := 0, 0
	for range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			copyOf := *a
			_, err := store.SubmitAttempt(ctx, &copyOf, check, answers(check, false))
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case errors.Is(err, models.ErrNoAttemptsLeft):
				refused++
			default:
				t.Errorf("attempt: %v", err)
			}
		}()
	}
	wg.Wait()
	var stored int64
	if err := store.DB().Model(&models.CheckAttempt{}).Where("enrollment_id = ?", a.Enrollment.ID).Count(&stored).Error; err != nil {
		t.Fatal(err)
	}
	if ok != 3 || refused != 9 || stored != 3 {
		t.Fatalf("%d accepted, %d refused, %d stored; want 3, 9, 3", ok, refused, stored)
	}
	standing, err := store.CheckStanding(ctx, a.Enrollment.ID, check.ID)
	if err != nil || standing.Attempts != 3 || *check.AttemptsLeft(standing) != 0 {
		t.Fatalf("standing = %+v, %v", standing, err)
	}
}

func TestPassingIsForGoodAndEveryAttemptIsKept(t *testing.T) {
	store, _, course, a, check := checkedCourse(t, nil)
	ctx := context.Background()
	wrong, err := store.SubmitAttempt(ctx, a, check, answers(check, false))
	if err != nil || wrong.Attempt.Passed || wrong.Attempt.ScorePercent != 0 || wrong.ReadingComplete {
		t.Fatalf("wrong attempt = %+v, %v", wrong, err)
	}
	if wrong.Results[0].Feedback != "No." || wrong.Results[0].Question.Anchor() != "p-2" {
		t.Fatalf("feedback of the wrong answer = %q at %s", wrong.Results[0].Feedback, wrong.Results[0].Question.Anchor())
	}
	right, err := store.SubmitAttempt(ctx, a, check, answers(check, true))
	if err != nil || !right.Attempt.Passed || right.Attempt.ScorePercent != 100 || !right.ReadingComplete ||
		!right.CourseCompleted || right.CertificateCode == "" {
		t.Fatalf("right attempt = %+v, %v", right, err)
	}
	again, err := store.SubmitAttempt(ctx, a, check, answers(check, false))
	if err != nil || again.Attempt.Passed || !again.Standing.Passed() || again.Standing.BestPercent != 100 || again.CourseCompleted {
		t.Fatalf("a failed attempt after passing = %+v (standing %+v), %v", again.Attempt, again.Standing, err)
	}
	var attempts []models.CheckAttempt
	if err := store.DB().Order("number").Find(&attempts).Error; err != nil {
		t.Fatal(err)
	}
	if len(attempts) != 3 || attempts[1].Answers == "" || attempts[1].RightAnswers == "[]" || attempts[2].Number != 3 {
		t.Fatalf("kept attempts = %+v", attempts)
	}
	view, err := store.LearnerCourse(ctx, a.Enrollment.UserID, course.Slug)
	if err != nil || !view.Readings()[0].Completed() || view.Enrollment.Status != models.StatusCompleted {
		t.Fatalf("after passing: reading completed %v, enrollment %s, %v", view.Readings()[0].Completed(), view.Enrollment.Status, err)
	}
}

func TestAnswersAreValidatedBeforeCounting(t *testing.T) {
	limit := 1
	store, _, _, a, check := checkedCourse(t, &limit)
	ctx := context.Background()
	q1, q2 := check.Questions[0], check.Questions[1]
	for name, bad := range map[string]models.Answers{
		"unanswered":          {q1.ID: {q1.Options[0].ID}},
		"two for a single":    {q1.ID: {q1.Options[0].ID, q1.Options[1].ID}, q2.ID: {q2.Options[0].ID}},
		"another's option":    {q1.ID: {q2.Options[0].ID}, q2.ID: {q2.Options[0].ID}},
		"an unknown question": {q1.ID: {q1.Options[0].ID}, q2.ID: {q2.Options[0].ID}, 999999: {1}},
	} {
		if _, err := store.SubmitAttempt(ctx, a, check, bad); err == nil {
			t.Errorf("%s: accepted", name)
		} else if _, ok := models.AsValidation(err); !ok {
			t.Errorf("%s: %v, want a validation error", name, err)
		}
	}
	if _, err := store.SubmitAttempt(ctx, a, check, answers(check, true)); err != nil {
		t.Fatalf("the only attempt was used up by refused answers: %v", err)
	}
}

func TestCheckBlocksMarkAsCompleteAndScrollCompletion(t *testing.T) {
	store, clock, _, a, _ := checkedCourse(t, nil)
	ctx := context.Background()
	if _, err := store.CompleteReading(ctx, a); !errors.Is(err, models.ErrCheckRequired) {
		t.Fatalf("mark as complete on a reading with a check: %v", err)
	}
	var res *models.ProgressResult
	for range 4 {
		clock.Advance(time.Minute)
		var err error
		if res, err = store.RecordProgress(ctx, a, models.ProgressUpdate{Percent: 100, Position: "p-10", Seconds: 60}); err != nil {
			t.Fatal(err)
		}
	}
	if res.Completed {
		t.Fatal("scroll evidence completed a reading whose check is not passed")
	}
}

func TestLastCheckPassedConcurrentlyWithProgressCompletesOnce(t *testing.T) {
	for round := range 5 {
		store, clock := testdb.Open(t)
		ctx := context.Background()
		course, _ := testdb.Course(t, store, 2, models.Cohort{})
		checked := &course.Weeks[1].Readings[0]
		check, err := store.SaveCheck(ctx, 0, course, checked, twoQuestions(nil))
		if err != nil {
			t.Fatal(err)
		}
		u := testdb.User(t, store, models.RoleStudent)
		if _, err := store.Enroll(ctx, u.ID, course); err != nil {
			t.Fatal(err)
		}
		plain := accessFor(t, store, u, course, "reading-1")
		// reading-1 has been read to its end for long enough; the next
		// report completes it, while the check of reading-2 is passed.
		for range 3 {
			clock.Advance(time.Minute)
			if _, err := store.RecordProgress(ctx, plain, models.ProgressUpdate{Percent: 99, Position: "p-9", Seconds: 60}); err != nil {
				t.Fatal(err)
			}
		}
		clock.Advance(time.Minute)
		withCheck := accessFor(t, store, u, course, checked.Slug)
		var wg sync.WaitGroup
		codes := make(chan string, 2)
		wg.Add(2)
		go func() {
			defer wg.Done()
			res, err := store.RecordProgress(ctx, plain, models.ProgressUpdate{Percent: 100, Position: "p-10", Seconds: 60})
			if err != nil {
				t.Errorf("progress: %v", err)
				return
			}
			if !res.Completed {
				t.Errorf("round %d: the last report did not complete reading-1: %+v", round, res)
			}
			codes <- res.CertificateCode
		}()
		go func() {
			defer wg.Done()
			res, err := store.SubmitAttempt(ctx, withCheck, check, answers(check, true))
			if err != nil {
				t.Errorf("attempt: %v", err)
				return
			}
			codes <- res.CertificateCode
		}()
		wg.Wait()
		close(codes)
		issued := 0
		for code := range codes {
			if code != "" {
				issued++
			}
		}
		var certs int64
		if err := store.DB().Model(&models.Certificate{}).Count(&certs).Error; err != nil {
			t.Fatal(err)
		}
		if certs != 1 || issued != 1 {
			t.Fatalf("round %d: %d certificates stored, %d reported issued; want 1 and 1", round, certs, issued)
		}
	}
}

func TestMarkAsCompleteWaitsForTheMinimumReadingTime(t *testing.T) {
	store, clock := testdb.Open(t)
	ctx := context.Background()
	course, _ := testdb.Course(t, store, 1, models.Cohort{})
	r := course.Weeks[0].Readings[0]
	three := 3
	r.MinMinutes = &three
	if err := store.SaveReading(ctx, &r); err != nil {
		t.Fatal(err)
	}
	u := testdb.User(t, store, models.RoleStudent)
	if _, err := store.Enroll(ctx, u.ID, course); err != nil {
		t.Fatal(err)
	}
	a := accessFor(t, store, u, course, r.Slug)
	if err := store.NoteOpened(ctx, a); err != nil {
		t.Fatal(err)
	}
	clock.Advance(2 * time.Minute)
	_, err := store.CompleteReading(ctx, accessFor(t, store, u, course, r.Slug))
	var soon *models.TooSoonError
	if !errors.As(err, &soon) || soon.Left != time.Minute {
		t.Fatalf("after 2 of 3 minutes: %v, want too soon by 1 minute", err)
	}
	clock.Advance(time.Minute)
	res, err := store.CompleteReading(ctx, accessFor(t, store, u, course, r.Slug))
	if err != nil || !res.Completed || !res.CourseCompleted {
		t.Fatalf("after 3 minutes: %+v, %v", res, err)
	}
}

func TestDefaultMinimumIsHalfTheEstimatedReadingTime(t *testing.T) {
	r := models.Reading{WordCount: 1000} // 5 minutes at 200 words a minute
	if got := r.MinimumOpen(); got != 150*time.Second {
		t.Fatalf("default minimum = %s, want 2m30s", got)
	}
	zero := 0
	r.MinMinutes = &zero
	if got := r.MinimumOpen(); got != 0 {
		t.Fatalf("minimum with 0 minutes = %s, want none", got)
	}
}
