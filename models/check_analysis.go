package models

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
)

// hardShare is the share of right first attempts below which a question is
// flagged: most of the class gets it wrong.
const hardShare = 0.5

// ItemAnalysis describes how a check's questions behave on the class's
// first attempts.
type ItemAnalysis struct {
	// Takers is how many people made a first attempt.
	Takers    int
	Questions []QuestionAnalysis
}

// QuestionAnalysis is one question's numbers.
type QuestionAnalysis struct {
	Question *Question
	// Right counts the first attempts that answered it right; Share is
	// Right / Takers.
	Right int
	Share float64
	// Chosen counts, per option id, the first attempts that chose it.
	Chosen map[int64]int
	// Discrimination is the share right among the top third of the class
	// (by first-attempt score) minus the share among the bottom third, from
	// -1 to 1; nil with fewer than three takers.
	Discrimination *float64
	// Hard flags a question most of the class gets wrong.
	Hard bool
}

// firstAttempt is one person's first attempt as analysed.
type firstAttempt struct {
	EnrollmentID int64
	ScorePercent int
	Answers      string
	RightAnswers string
	chosen       map[int64][]int64
	right        map[int64]bool
}

// AnalyseCheck computes the item analysis of a check from everyone's first
// attempt, in one query.
func (s *Store) AnalyseCheck(ctx context.Context, check *Check) (*ItemAnalysis, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	var attempts []firstAttempt
	err := db.Raw(`SELECT enrollment_id, score_percent, answers, right_answers FROM check_attempts
WHERE check_id = ? AND number = 1 ORDER BY score_percent DESC, enrollment_id`, check.ID).Scan(&attempts).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to load first attempts: %w", err)
	}
	for i := range attempts {
		if err := attempts[i].decode(); err != nil {
			return nil, err
		}
	}
	return analyse(check, attempts), nil
}

func (a *firstAttempt) decode() error {
	var keyed map[string][]int64
	var right []int64
	if err := json.Unmarshal([]byte(a.Answers), &keyed); err != nil {
		return fmt.Errorf("store: unable to read attempt answers: %w", err)
	}
	if err := json.Unmarshal([]byte(a.RightAnswers), &right); err != nil {
		return fmt.Errorf("store: unable to read attempt results: %w", err)
	}
	a.chosen, a.right = map[int64][]int64{}, map[int64]bool{}
	for k, v := range keyed {
		id, err := strconv.ParseInt(k, 10, 64)
		if err == nil {
			a.chosen[id] = v
		}
	}
	for _, id := range right {
		a.right[id] = true
	}
	return nil
}

// analyse works on attempts sorted from the highest score down.
func analyse(check *Check, attempts []firstAttempt) *ItemAnalysis {
	out := &ItemAnalysis{Takers: len(attempts)}
	third := len(attempts) / 3
	for i := range check.Questions {
		q := &check.Questions[i]
		qa := QuestionAnalysis{Question: q, Chosen: map[int64]int{}}
		for _, a := range attempts {
			if a.right[q.ID] {
				qa.Right++
			}
			for _, o := range a.chosen[q.ID] {
				if slices.ContainsFunc(q.Options, func(opt Option) bool { return opt.ID == o }) {
					qa.Chosen[o]++
				}
			}
		}
		if out.Takers > 0 {
			qa.Share = float64(qa.Right) / float64(out.Takers)
			qa.Hard = qa.Share < hardShare
		}
		if third > 0 {
			d := shareRight(attempts[:third], q.ID) - shareRight(attempts[len(attempts)-third:], q.ID)
			qa.Discrimination = &d
		}
		out.Questions = append(out.Questions, qa)
	}
	return out
}

func shareRight(group []firstAttempt, questionID int64) float64 {
	right := 0
	for _, a := range group {
		if a.right[questionID] {
			right++
		}
	}
	return float64(right) / float64(len(group))
}

// SharePercent is Share as a whole percentage.
func (q *QuestionAnalysis) SharePercent() int { return int(q.Share*100 + 0.5) }
