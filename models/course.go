package models

import (
	"context"
	"fmt"
	"time"
)

// Course is one certificate course.
type Course struct {
	ID           int64
	Slug         string
	Title        string
	Subtitle     string
	Description  string
	Provider     string
	ContactEmail string
	ContactURL   string
	ContactPhone string
	Published    bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Weeks        []Week `gorm:"foreignKey:CourseID"`
}

// Week is one module of a course.
type Week struct {
	ID       int64
	CourseID int64
	Number   int
	Title    string
	Summary  string
	Readings []Reading `gorm:"foreignKey:WeekID"`
}

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

// ListCourses returns the published courses.
func (s *Store) ListCourses(ctx context.Context) ([]Course, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	var courses []Course
	if err := db.Where("published = ?", true).Order("title").Find(&courses).Error; err != nil {
		return nil, fmt.Errorf("store: unable to list courses: %w", err)
	}
	return courses, nil
}

// CourseBySlug loads a course without its weeks.
func (s *Store) CourseBySlug(ctx context.Context, slug string) (*Course, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	var c Course
	if err := db.Where("slug = ?", slug).Take(&c).Error; err != nil {
		return nil, notFound(err)
	}
	return &c, nil
}

// CourseOutline loads a course with its weeks and their published readings
// (all readings when includeDrafts) in three queries.
func (s *Store) CourseOutline(ctx context.Context, slug string, includeDrafts bool) (*Course, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	var c Course
	err := db.Where("slug = ?", slug).
		Preload("Weeks", func(q *gormDB) *gormDB { return q.Order("number") }).
		Preload("Weeks.Readings", func(q *gormDB) *gormDB {
			q = q.Omit("body_markdown").Order("position, id")
			if !includeDrafts {
				q = q.Where("published = ?", true)
			}
			return q
		}).
		Take(&c).Error
	if err != nil {
		return nil, notFound(err)
	}
	return &c, nil
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

// CourseByID loads a course without its weeks.
func (s *Store) CourseByID(ctx context.Context, id int64) (*Course, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	var c Course
	if err := db.Take(&c, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &c, nil
}
