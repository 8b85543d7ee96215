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
	var r Reading
	if err := s.readRow(ctx, "reading", readingBySlugQuery, []any{courseID, slug}, r.dests()...); err != nil {
		return nil, err
	}
	return &r, nil
}

// readingColumns are every column of the readings table, in the order of
// Reading.dests.
const readingColumns = `id, course_id, week_id, slug, title, author, source_name, source_url, body_markdown,
  disclaimer, credits, position, required, published, version, word_count, paragraph_count, min_minutes,
  language, created_at, updated_at`

var readingBySlugQuery = "SELECT " + readingColumns + " FROM readings WHERE course_id = ? AND slug = ? LIMIT 1"

// dests are the reading's fields in the order of readingColumns.
func (r *Reading) dests() []any {
	return []any{&r.ID, &r.CourseID, &r.WeekID, &r.Slug, &r.Title, &r.Author, &r.SourceName, &r.SourceURL,
		&r.BodyMarkdown, &r.Disclaimer, &r.Credits, &r.Position, &r.Required, &r.Published, &r.Version,
		&r.WordCount, &r.ParagraphCount, &r.MinMinutes, &r.Language, &r.CreatedAt, &r.UpdatedAt}
}
