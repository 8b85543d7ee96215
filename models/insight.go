package models

import (
	"context"
	"errors"
	"time"
)

// SmallCohort is the class size below which the insight pages speak of
// counts only: with fewer students a share points at a person.
const SmallCohort = 5

// ReadingInsight is where a cohort stops reading one text, how long it
// stays, and how its check's questions fare.
type ReadingInsight struct {
	Reading *Reading
	// Cohort is the cohort looked at; nil means every cohort of the course.
	Cohort *CohortChoice
	// Cohorts lists every cohort of the course, newest start first.
	Cohorts []CohortChoice
	// Students is everyone who held a seat in the cohort (withdrawn too):
	// the base of every share.
	Students int
	// Opened counts the students who opened the reading; NeverScrolled
	// those of them who never reported a paragraph read.
	Opened        int
	NeverScrolled int
	Completed     int
	Paragraphs    []ParagraphReach
	Sections      []SectionTime
	Completions   []CompletionDay
	// Check is the item analysis of the reading's check (over every
	// cohort's first attempts), nil when it has none.
	Check *ItemAnalysis
}

// ParagraphReach is one paragraph of the drop-off curve.
type ParagraphReach struct {
	Number  int
	Opening string
	// Reached counts the students whose furthest paragraph is this one or
	// a later one; Stopped those whose furthest is exactly this one.
	Reached int
	Stopped int
}

// The sections of a reading that have no heading of their own: the
// paragraphs before the first heading, or the whole of a reading without
// headings. The page words them in the reader's language.
const (
	SectionOpening = "opening"
	SectionWhole   = "whole"
)

// SectionTime is one section of the reading (the text under a heading).
type SectionTime struct {
	// Title is the section's heading; "" for a section without one, which
	// Untitled names (SectionOpening or SectionWhole).
	Title       string
	Untitled    string
	First, Last int // paragraph numbers
	// Reached counts the students who reached its first paragraph.
	Reached int
	// MedianSeconds is the median over those students of the time spent
	// in the section, estimated from each student's reading time (to the
	// minute: see minuteSeconds) shared over the paragraphs they reached by
	// their length in words.
	MedianSeconds int
}

// CompletionDay is one day of the completion curve.
type CompletionDay struct {
	Day       int // days since the cohort started, from 0
	Completed int // completions that day
	Total     int // completions up to and including that day
}

// Small reports a class too small for shares to stay anonymous.
func (r *ReadingInsight) Small() bool { return r.Students < SmallCohort }

// Share is part as a whole percentage of the class.
func (r *ReadingInsight) Share(part int) int { return sharePercent(part, r.Students) }

func sharePercent(part, whole int) int {
	if whole == 0 {
		return 0
	}
	return (part*100 + whole/2) / whole
}

// insightScope is the cohorts one insight page sums over.
type insightScope struct {
	// courseID is the course; cohortID the cohort looked at, or 0 for
	// every cohort of the course.
	courseID, cohortID int64
	ids                []int64
	starts             map[int64]time.Time
	// seated is everyone who held a seat in the cohorts (active, completed
	// or withdrawn): the base of every share.
	seated int
}

// CohortChoice is one cohort of the reading insight's filter.
type CohortChoice struct {
	ID   int64
	Name string
}

// scopeQuery lists a course's cohorts, newest start first, with their
// seats from the kept counts (cohort_counts, one row per cohort).
const scopeQuery = `SELECT co.id, co.name, co.starts_at, COALESCE(cc.active + cc.completed + cc.withdrawn, 0)
FROM cohorts co LEFT JOIN cohort_counts cc ON cc.cohort_id = co.id
WHERE co.course_id = ? ORDER BY co.starts_at DESC, co.id DESC`

// scopeOf reads the course's cohorts and their seats in one statement: the
// scope is the cohort cohortID, or every cohort of the course when it is 0.
// It returns that cohort's choice too, found among the others so that the
// page needs no statement of its own for it; ErrNotFound when the course
// has no such cohort.
func (s *Store) scopeOf(ctx context.Context, courseID, cohortID int64) (*insightScope, []CohortChoice, *CohortChoice, error) {
	sc := &insightScope{courseID: courseID, cohortID: cohortID, starts: map[int64]time.Time{}}
	var choices []CohortChoice
	var chosen *CohortChoice
	var c CohortChoice
	var startsAt time.Time
	var seated int
	err := s.readRows(ctx, "cohorts", scopeQuery, []any{courseID}, []any{&c.ID, &c.Name, &startsAt, &seated}, func() error {
		choices = append(choices, c)
		if cohortID != 0 && cohortID != c.ID {
			return nil
		}
		if cohortID != 0 {
			k := c
			chosen = &k
		}
		sc.ids = append(sc.ids, c.ID)
		sc.starts[c.ID] = startsAt
		sc.seated += seated
		return nil
	})
	if err != nil {
		return nil, nil, nil, err
	}
	if cohortID != 0 && chosen == nil {
		return nil, nil, nil, ErrNotFound
	}
	return sc, choices, chosen, nil
}

// ReadingInsight reads the insight of a reading for the cohort cohortID (0:
// every cohort of the course) from the counters the progress writes keep: a
// few small queries whatever the class size. ErrNotFound when the course
// has no such cohort.
func (s *Store) ReadingInsight(ctx context.Context, course *Course, r *Reading, cohortID int64) (*ReadingInsight, error) {
	return s.readingInsight(ctx, course, r, cohortID, s.storedCounts)
}

// insightCounts loads the counter rows of a reading for the scope's
// cohorts.
type insightCounts func(ctx context.Context, scope *insightScope, readingID int64) ([]readingStop, []completionCount, error)

func (s *Store) readingInsight(ctx context.Context, course *Course, r *Reading, cohortID int64, counts insightCounts) (*ReadingInsight, error) {
	doc, err := s.RenderedReading(ctx, r)
	if err != nil {
		return nil, err
	}
	scope, cohorts, cohort, err := s.scopeOf(ctx, course.ID, cohortID)
	if err != nil {
		return nil, err
	}
	out := &ReadingInsight{Reading: r, Cohort: cohort, Cohorts: cohorts}
	if len(scope.ids) == 0 {
		return out, nil
	}
	stops, completions, err := counts(ctx, scope, r.ID)
	if err != nil {
		return nil, err
	}
	out.Students = scope.seated
	out.addStops(stops, doc.Openings, doc.ParagraphWords, sectionsOf(doc))
	out.addCompletions(completions, scope, s.clock.Now())
	check, err := s.CheckOf(ctx, r.ID)
	if errors.Is(err, ErrNotFound) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	out.Check, err = s.AnalyseCheck(ctx, check)
	return out, err
}
