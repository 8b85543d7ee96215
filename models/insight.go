package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// SmallCohort is the class size below which the insight pages speak of
// counts only: with fewer students a share points at a person.
const SmallCohort = 5

// ReadingInsight is where a cohort stops reading one text, how long it
// stays, and how its check's questions fare.
type ReadingInsight struct {
	Reading *Reading
	// Cohort is the cohort looked at; nil means every cohort of the course.
	Cohort *Cohort
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
	ids    []int64
	starts map[int64]time.Time
	// seated is everyone who held a seat in the cohorts (active, completed
	// or withdrawn): the base of every share.
	seated int
}

// CohortChoice is one cohort of the reading insight's filter.
type CohortChoice struct {
	ID   int64
	Name string
}

// scopeOf reads the course's cohorts, newest start first, with their seats
// from the kept counts (cohort_counts, one row per cohort), in one query:
// the scope is the given cohort, or every cohort of the course.
func scopeOf(db *gorm.DB, courseID int64, cohort *Cohort) (*insightScope, []CohortChoice, error) {
	rows, err := db.Raw(`SELECT co.id, co.name, co.starts_at, COALESCE(cc.active + cc.completed + cc.withdrawn, 0) AS seated
FROM cohorts co LEFT JOIN cohort_counts cc ON cc.cohort_id = co.id
WHERE co.course_id = ? ORDER BY co.starts_at DESC, co.id DESC`, courseID).Rows()
	if err != nil {
		return nil, nil, fmt.Errorf("store: unable to load cohorts: %w", err)
	}
	defer func() { _ = rows.Close() }()
	sc := &insightScope{starts: map[int64]time.Time{}}
	var choices []CohortChoice
	for rows.Next() {
		var c CohortChoice
		var startsAt time.Time
		var seated int
		if err := rows.Scan(&c.ID, &c.Name, &startsAt, &seated); err != nil {
			return nil, nil, fmt.Errorf("store: unable to read cohorts: %w", err)
		}
		choices = append(choices, c)
		if cohort != nil && cohort.ID != c.ID {
			continue
		}
		sc.ids = append(sc.ids, c.ID)
		sc.starts[c.ID] = startsAt
		sc.seated += seated
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("store: unable to load cohorts: %w", err)
	}
	return sc, choices, nil
}

// ReadingInsight reads the insight of a reading for one cohort (nil: every
// cohort of the course) from the counters the progress writes keep: a few
// small queries whatever the class size.
func (s *Store) ReadingInsight(ctx context.Context, course *Course, r *Reading, cohort *Cohort) (*ReadingInsight, error) {
	return s.readingInsight(ctx, course, r, cohort, s.storedCounts)
}

// insightCounts loads the counter rows of a reading for the scope's
// cohorts.
type insightCounts func(db *gorm.DB, scope *insightScope, readingID int64) ([]readingStop, []completionCount, error)

func (s *Store) readingInsight(ctx context.Context, course *Course, r *Reading, cohort *Cohort, counts insightCounts) (*ReadingInsight, error) {
	doc, err := s.RenderedReading(ctx, r)
	if err != nil {
		return nil, err
	}
	out := &ReadingInsight{Reading: r, Cohort: cohort}
	db, cancel := s.conn(ctx)
	defer cancel()
	scope, cohorts, err := scopeOf(db, course.ID, cohort)
	if err != nil {
		return nil, err
	}
	out.Cohorts = cohorts
	if len(scope.ids) == 0 {
		return out, nil
	}
	stops, completions, err := counts(db, scope, r.ID)
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
