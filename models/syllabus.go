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

// Syllabus lists a course's published readings in order, in one query.
func (s *Store) Syllabus(ctx context.Context, courseID int64) ([]SyllabusEntry, error) {
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
