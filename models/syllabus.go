package models

import (
	"context"
	"fmt"
)

// SyllabusEntry is one published reading in syllabus order.
type SyllabusEntry struct {
	Slug       string
	Title      string
	WeekNumber int
}

// syllabus lists a course's published readings in order, in one query.
func (s *Store) syllabus(ctx context.Context, courseID int64) ([]SyllabusEntry, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	var entries []SyllabusEntry
	err := db.Raw(`SELECT r.slug, r.title, w.number AS week_number FROM readings r JOIN weeks w ON w.id = r.week_id
WHERE r.course_id = ? AND r.published = ? ORDER BY w.number, r.position, r.id`, courseID, true).Scan(&entries).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to list readings: %w", err)
	}
	return entries, nil
}

// Neighbours are the published readings before and after one, in syllabus
// order.
type Neighbours struct {
	Prev, Next *SyllabusEntry
	// NextOpen says whether the next reading's week is open to the reader's
	// cohort now, decided as ReadingAccess decides it for the reading itself.
	NextOpen bool
}

// ReadingNeighbours finds the readings around the one a granted access is
// for, in one query.
func (s *Store) ReadingNeighbours(ctx context.Context, a *Access) (Neighbours, error) {
	syllabus, err := s.syllabus(ctx, a.Course.ID)
	if err != nil {
		return Neighbours{}, err
	}
	var n Neighbours
	for i := range syllabus {
		if syllabus[i].Slug != a.Reading.Slug {
			continue
		}
		if i > 0 {
			n.Prev = &syllabus[i-1]
		}
		if i+1 < len(syllabus) {
			n.Next = &syllabus[i+1]
			n.NextOpen = a.Cohort.WeekOpen(n.Next.WeekNumber, s.clock.Now())
		}
	}
	return n, nil
}
