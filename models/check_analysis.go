package models

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
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

// analysisCache keeps the latest item analysis of each check, with the
// check's attempts version and the questions and options it was computed
// for. The version is read with the check on every view, from the
// database, so every instance sees a new first attempt at once.
type analysisCache struct {
	mu       sync.RWMutex
	analyses map[int64]cachedAnalysis
}

type cachedAnalysis struct {
	version  int64
	shape    string
	analysis *ItemAnalysis
}

func newAnalysisCache() *analysisCache { return &analysisCache{analyses: map[int64]cachedAnalysis{}} }

// shapeOf names a check's questions and options by id, in order: what an
// analysis's numbers belong to.
func shapeOf(check *Check) string {
	var b strings.Builder
	for _, q := range check.Questions {
		b.WriteString(strconv.FormatInt(q.ID, 10))
		for _, o := range q.Options {
			b.WriteByte(',')
			b.WriteString(strconv.FormatInt(o.ID, 10))
		}
		b.WriteByte(';')
	}
	return b.String()
}

// AnalyseCheck gives the item analysis of a check from everyone's first
// attempt. It reads the attempts (one query) only when they changed since
// the analysis kept for the check (check.AttemptsVersion) or when the
// check's questions or options did; otherwise it takes the kept numbers,
// pointing at the questions as loaded now.
func (s *Store) AnalyseCheck(ctx context.Context, check *Check) (*ItemAnalysis, error) {
	shape := shapeOf(check)
	s.analyses.mu.RLock()
	cached, ok := s.analyses.analyses[check.ID]
	s.analyses.mu.RUnlock()
	if ok && cached.version == check.AttemptsVersion && cached.shape == shape {
		return cached.analysis.about(check), nil
	}
	out, err := s.analyseAttempts(ctx, check)
	if err != nil {
		return nil, err
	}
	s.analyses.mu.Lock()
	if kept, ok := s.analyses.analyses[check.ID]; !ok || kept.version <= check.AttemptsVersion {
		s.analyses.analyses[check.ID] = cachedAnalysis{version: check.AttemptsVersion, shape: shape, analysis: out}
	}
	s.analyses.mu.Unlock()
	return out.about(check), nil
}

// about is a copy of the analysis whose questions are the check's (of the
// same shape); the counts are shared and never written to.
func (a *ItemAnalysis) about(check *Check) *ItemAnalysis {
	out := &ItemAnalysis{Takers: a.Takers, Questions: slices.Clone(a.Questions)}
	for i := range out.Questions {
		out.Questions[i].Question = &check.Questions[i]
	}
	return out
}

// analyseAttempts computes the item analysis from every first attempt, in
// one query.
func (s *Store) analyseAttempts(ctx context.Context, check *Check) (*ItemAnalysis, error) {
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
