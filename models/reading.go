package models

import (
	"context"
	"time"
)

// Reading is an assigned text, written in Markdown.
type Reading struct {
	ID             int64
	CourseID       int64
	WeekID         int64
	Slug           string
	Title          string
	Author         string
	SourceName     string
	SourceURL      string
	BodyMarkdown   string
	Disclaimer     string
	Credits        string
	Position       int
	Required       bool
	Published      bool
	Version        int
	WordCount      int
	ParagraphCount int
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Minutes estimates the reading time at 200 words a minute.
func (r *Reading) Minutes() int { return max(1, (r.WordCount+199)/200) }

// ReadingBySlug loads one reading of a course, with its body.
func (s *Store) ReadingBySlug(ctx context.Context, courseID int64, slug string) (*Reading, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	var r Reading
	if err := db.Where("course_id = ? AND slug = ?", courseID, slug).Take(&r).Error; err != nil {
		return nil, notFound(err)
	}
	return &r, nil
}
