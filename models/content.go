package models

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"courseportal/models/markdown"

	"gorm.io/gorm"
)

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// ValidateSlug checks a URL slug such as "afghanistan-peace-summits".
func ValidateSlug(field, slug string) error {
	if len(slug) == 0 || len(slug) > 100 || !slugPattern.MatchString(slug) {
		return Invalid(field, "Use lowercase letters, digits and single dashes, like week-2-theories.")
	}
	return nil
}

func validateText(field, label, value string, required bool, maxRunes int) error {
	switch {
	case required && strings.TrimSpace(value) == "":
		return Invalid(field, label+" is required.")
	case !utf8.ValidString(value) || strings.ContainsRune(value, 0):
		return Invalid(field, label+" contains characters that are not allowed.")
	case utf8.RuneCountInString(value) > maxRunes:
		return Invalid(field, fmt.Sprintf("%s is too long (%d characters at most).", label, maxRunes))
	}
	return nil
}

// CreateCourse stores a new course with its weeks numbered from 1.
func (s *Store) CreateCourse(ctx context.Context, c *Course) error {
	if err := ValidateSlug("slug", c.Slug); err != nil {
		return err
	}
	if err := validateText("title", "The title", c.Title, true, 200); err != nil {
		return err
	}
	now := s.clock.Now()
	c.CreatedAt, c.UpdatedAt = now, now
	return s.tx(ctx, func(tx *gorm.DB) error {
		weeks := c.Weeks
		c.Weeks = nil
		if err := tx.Create(c).Error; err != nil {
			if isUniqueViolation(err) {
				return Invalid("slug", "Another course already uses this slug.")
			}
			return fmt.Errorf("store: unable to create course: %w", err)
		}
		for i := range weeks {
			weeks[i].CourseID, weeks[i].Number = c.ID, i+1
			if err := tx.Omit("Readings").Create(&weeks[i]).Error; err != nil {
				return fmt.Errorf("store: unable to create week: %w", err)
			}
		}
		c.Weeks = weeks
		return nil
	})
}

// SaveReading validates a reading, measures it, and creates or updates it.
// An update bumps its version (so cached renderings refresh) and never
// touches anyone's progress.
func (s *Store) SaveReading(ctx context.Context, r *Reading) error {
	if err := ValidateSlug("slug", r.Slug); err != nil {
		return err
	}
	if err := validateText("title", "The title", r.Title, true, 300); err != nil {
		return err
	}
	if err := validateText("body_markdown", "The text", r.BodyMarkdown, true, markdown.MaxSourceBytes); err != nil {
		return err
	}
	doc, err := markdown.Render(r.BodyMarkdown)
	if err != nil {
		return Invalid("body_markdown", "The text is too long.")
	}
	if doc.Paragraphs == 0 {
		return Invalid("body_markdown", "The text needs at least one paragraph.")
	}
	r.WordCount, r.ParagraphCount = doc.Words, doc.Paragraphs
	now := s.clock.Now()
	r.UpdatedAt = now
	db, cancel := s.conn(ctx)
	defer cancel()
	if r.ID == 0 {
		r.CreatedAt, r.Version = now, 1
		err = db.Create(r).Error
	} else {
		r.Version++
		err = db.Model(r).Select("week_id", "slug", "title", "author", "source_name", "source_url", "body_markdown",
			"disclaimer", "credits", "position", "required", "published", "version", "word_count",
			"paragraph_count", "min_minutes", "language", "updated_at").Updates(r).Error
	}
	if isUniqueViolation(err) {
		return Invalid("slug", "Another reading of this course already uses this slug.")
	}
	if err != nil {
		return fmt.Errorf("store: unable to save reading: %w", err)
	}
	return nil
}
