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
	// MinMinutes is how long a person must have had the reading open before
	// "Mark as complete" is accepted; nil means half the estimated reading
	// time, 0 no minimum.
	MinMinutes *int
	// Language is the text's BCP 47 tag, "" for unknown (see Direction).
	Language  string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Minutes estimates the reading time at 200 words a minute.
func (r *Reading) Minutes() int { return max(1, (r.WordCount+199)/200) }

// MinimumOpen is the reading's minimum reading time (see MinMinutes).
func (r *Reading) MinimumOpen() time.Duration {
	if r.MinMinutes != nil {
		return time.Duration(*r.MinMinutes) * time.Minute
	}
	return time.Duration(r.Minutes()) * 30 * time.Second
}

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
