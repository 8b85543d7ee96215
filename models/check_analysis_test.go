package models_test

import (
	"context"
	"math"
	"testing"

	"courseportal/models"
	"courseportal/models/testdb"
)

// TestItemAnalysisMatchesHandComputedNumbers runs the analysis on a fixed
// class of six whose first attempts are, per question (R right, W wrong):
//
//	S1 RRR 100 · S2 RRW 66 · S3 RWR 66 · S4 RWW 33 · S5 WWR 33 · S6 WWW 0
//
// Top third S1, S2; bottom third S5, S6. By hand: Q1 4/6 right, D = 1 - 0;
// Q2 2/6 right (flagged), D = 1 - 0; Q3 3/6 right, D = 1/2 - 1/2 = 0.
func TestItemAnalysisMatchesHandComputedNumbers(t *testing.T) {
	store, _, check, _ := sixTakers(t)
	ctx := context.Background()
	got, err := store.AnalyseCheck(ctx, check)
	if err != nil {
		t.Fatal(err)
	}
	if got.Takers != 6 {
		t.Fatalf("takers = %d, want 6", got.Takers)
	}
	want := []struct {
		right          int
		share, disc    float64
		hard           bool
		chosenR, chosW int
	}{
		{4, 4.0 / 6, 1, false, 4, 2},
		{2, 2.0 / 6, 1, true, 2, 4},
		{3, 3.0 / 6, 0, false, 3, 3},
	}
	for i, w := range want {
		q := got.Questions[i]
		if q.Right != w.right || math.Abs(q.Share-w.share) > 1e-9 || q.Hard != w.hard || q.Discrimination == nil ||
			math.Abs(*q.Discrimination-w.disc) > 1e-9 ||
			q.Chosen[q.Question.Options[0].ID] != w.chosenR || q.Chosen[q.Question.Options[1].ID] != w.chosW {
			t.Errorf("Q%d = right %d, share %.3f, D %v, hard %v, chosen %v; want %+v", i+1, q.Right, q.Share,
				q.Discrimination, q.Hard, q.Chosen, w)
		}
	}
}

// sixTakers is the class of TestItemAnalysisMatchesHandComputedNumbers,
// with a function that adds a student and their first attempt.
func sixTakers(t *testing.T) (*models.Store, *models.Course, *models.Check, func(pattern string) *models.Access) {
	t.Helper()
	store, _ := testdb.Open(t)
	ctx := context.Background()
	course, _ := testdb.Course(t, store, 1, models.Cohort{})
	r := &course.Weeks[0].Readings[0]
	in := &models.Check{PassPercent: 100}
	for _, prompt := range []string{"Q1", "Q2", "Q3"} {
		in.Questions = append(in.Questions, models.Question{Prompt: prompt, Kind: models.KindSingle, Paragraph: 1,
			Options: []models.Option{{Body: "R", Correct: true}, {Body: "W"}}})
	}
	check, err := store.SaveCheck(ctx, 0, course, r, in)
	if err != nil {
		t.Fatal(err)
	}
	pick := func(pattern string) models.Answers {
		out := models.Answers{}
		for i, q := range check.Questions {
			o := q.Options[0]
			if pattern[i] == 'W' {
				o = q.Options[1]
			}
			out[q.ID] = []int64{o.ID}
		}
		return out
	}
	take := func(pattern string) *models.Access {
		t.Helper()
		u := testdb.User(t, store, models.RoleStudent)
		if _, err := store.Enroll(ctx, u.ID, course); err != nil {
			t.Fatal(err)
		}
		a := accessFor(t, store, u, course, r.Slug)
		if _, err := store.SubmitAttempt(ctx, a, check, pick(pattern)); err != nil {
			t.Fatal(err)
		}
		return a
	}
	var last *models.Access
	for _, pattern := range []string{"RRR", "RRW", "RWR", "RWW", "WWR", "WWW"} {
		last = take(pattern)
	}
	// A second attempt is not a first attempt: it changes nothing.
	if _, err := store.SubmitAttempt(ctx, last, check, pick("RRR")); err != nil {
		t.Fatal(err)
	}
	return store, course, check, take
}

// TestItemAnalysisIsKeptUntilAFirstAttemptChanges: the analysis is computed
// once per version of the check's first attempts; a new first attempt, a
// removed one or a changed question gives a new analysis, a second attempt
// does not.
func TestItemAnalysisIsKeptUntilAFirstAttemptChanges(t *testing.T) {
	store, course, saved, take := sixTakers(t)
	ctx := context.Background()
	analyse := func() (*models.Check, *models.ItemAnalysis) {
		t.Helper()
		check, err := store.CheckOf(ctx, saved.ReadingID)
		if err != nil {
			t.Fatal(err)
		}
		a, err := store.AnalyseCheck(ctx, check)
		if err != nil {
			t.Fatal(err)
		}
		return check, a
	}
	check, first := analyse()
	if first.Takers != 6 || first.Questions[0].Right != 4 {
		t.Fatalf("takers %d, Q1 right %d; want 6, 4", first.Takers, first.Questions[0].Right)
	}
	again, second := analyse()
	if again.AttemptsVersion != check.AttemptsVersion || second.Takers != 6 || second.Questions[0].Question != &again.Questions[0] {
		t.Errorf("a second view: version %d (was %d), takers %d, or its questions are not the check's",
			again.AttemptsVersion, check.AttemptsVersion, second.Takers)
	}
	a := take("RRR")
	check, third := analyse()
	if third.Takers != 7 || third.Questions[0].Right != 5 {
		t.Errorf("after a seventh first attempt: takers %d, Q1 right %d; want 7, 5", third.Takers, third.Questions[0].Right)
	}
	// A second attempt leaves the version alone.
	r := &course.Weeks[0].Readings[0]
	allRight := models.Answers{}
	for _, q := range check.Questions {
		allRight[q.ID] = []int64{q.Options[0].ID}
	}
	if _, err := store.SubmitAttempt(ctx, a, check, allRight); err != nil {
		t.Fatal(err)
	}
	if again, _ := analyse(); again.AttemptsVersion != check.AttemptsVersion {
		t.Errorf("a second attempt moved the version from %d to %d", check.AttemptsVersion, again.AttemptsVersion)
	}
	if err := store.DB().Exec("DELETE FROM check_attempts WHERE enrollment_id = ? AND number = 1",
		a.Enrollment.ID).Error; err != nil {
		t.Fatal(err)
	}
	if _, fourth := analyse(); fourth.Takers != 6 || fourth.Questions[0].Right != 4 {
		t.Errorf("after removing the seventh: takers %d, Q1 right %d; want 6, 4", fourth.Takers, fourth.Questions[0].Right)
	}
	// A question removed: the analysis follows the check's questions.
	check, _ = analyse()
	edited := &models.Check{PassPercent: check.PassPercent, Questions: check.Questions[:2]}
	if _, err := store.SaveCheck(ctx, 0, course, r, edited); err != nil {
		t.Fatal(err)
	}
	if _, fifth := analyse(); len(fifth.Questions) != 2 || fifth.Takers != 6 {
		t.Errorf("after removing a question: %d questions, %d takers; want 2, 6", len(fifth.Questions), fifth.Takers)
	}
}
