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
	var last *models.Access
	for _, pattern := range []string{"RRR", "RRW", "RWR", "RWW", "WWR", "WWW"} {
		u := testdb.User(t, store, models.RoleStudent)
		if _, err := store.Enroll(ctx, u.ID, course); err != nil {
			t.Fatal(err)
		}
		last = accessFor(t, store, u, course, r.Slug)
		if _, err := store.SubmitAttempt(ctx, last, check, pick(pattern)); err != nil {
			t.Fatal(err)
		}
	}
	// A second attempt is not a first attempt: it changes nothing.
	if _, err := store.SubmitAttempt(ctx, last, check, pick("RRR")); err != nil {
		t.Fatal(err)
	}
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
