package models

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// ReadingInput is what the reading editor submits.
type ReadingInput struct {
	WeekNumber   int
	Slug         string
	Title        string
	Author       string
	SourceName   string
	SourceURL    string
	BodyMarkdown string
	Disclaimer   string
	Credits      string
	Required     bool
	Published    bool
	// MinMinutes is the minimum reading time; nil for the default.
	MinMinutes *int
	// Language is a canonical BCP 47 tag (ParseLanguageTag) or "".
	Language string
}

func (in ReadingInput) apply(r *Reading, weekID int64) {
	r.WeekID, r.Slug, r.Title, r.Author = weekID, in.Slug, in.Title, in.Author
	r.SourceName, r.SourceURL, r.BodyMarkdown = in.SourceName, in.SourceURL, in.BodyMarkdown
	r.Disclaimer, r.Credits, r.Required, r.Published = in.Disclaimer, in.Credits, in.Required, in.Published
	r.MinMinutes, r.Language = in.MinMinutes, in.Language
}

// weekOf finds week number of a course inside tx.
func weekOf(tx *gorm.DB, courseID int64, number int) (*Week, error) {
	var w Week
	if err := tx.Where("course_id = ? AND number = ?", courseID, number).Take(&w).Error; err != nil {
		if errors.Is(notFound(err), ErrNotFound) {
			return nil, Invalid("week", "Choose one of the course's weeks.")
		}
		return nil, fmt.Errorf("store: unable to load week: %w", err)
	}
	return &w, nil
}

// nextPosition is the position after the last reading of a week.
func nextPosition(tx *gorm.DB, weekID int64) (int, error) {
	var last int
	err := tx.Raw("SELECT COALESCE(MAX(position), 0) FROM readings WHERE week_id = ?", weekID).Scan(&last).Error
	if err != nil {
		return 0, fmt.Errorf("store: unable to find the last position: %w", err)
	}
	return last + 1, nil
}

// CreateReading adds a reading at the end of its week.
func (s *Store) CreateReading(ctx context.Context, actorID int64, c *Course, in ReadingInput) (*Reading, error) {
	r := &Reading{CourseID: c.ID}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := s.lockCourseForChange(tx, c.ID); err != nil {
			return err
		}
		w, err := weekOf(tx, c.ID, in.WeekNumber)
		if err != nil {
			return err
		}
		in.apply(r, w.ID)
		if r.Position, err = nextPosition(tx, w.ID); err != nil {
			return err
		}
		if err := s.within(tx).SaveReading(ctx, r); err != nil {
			return err
		}
		if err := s.audit(tx, actorID, "reading.create", readingTarget(c, r),
			fmt.Sprintf("week %d, %s, %s", in.WeekNumber, requiredWord(r.Required), publishedWord(r.Published))); err != nil {
			return err
		}
		_, err = s.completeEligible(tx, c)
		return err
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// UpdateReading saves an edited reading through SaveReading, which bumps its
// version and leaves everyone's progress alone. version is the version the
// editor started from: a newer one means somebody else saved meanwhile.
func (s *Store) UpdateReading(ctx context.Context, actorID int64, c *Course, id int64, version int, in ReadingInput) (*Reading, error) {
	var r Reading
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := s.lockCourseForChange(tx, c.ID); err != nil {
			return err
		}
		if err := tx.Where("course_id = ?", c.ID).Take(&r, id).Error; err != nil {
			return notFound(err)
		}
		if r.Version != version {
			return ErrEditConflict
		}
		w, err := weekOf(tx, c.ID, in.WeekNumber)
		if err != nil {
			return err
		}
		moved := w.ID != r.WeekID
		in.apply(&r, w.ID)
		if moved {
			if r.Position, err = nextPosition(tx, w.ID); err != nil {
				return err
			}
		}
		if err := s.within(tx).SaveReading(ctx, &r); err != nil {
			return err
		}
		if err := s.audit(tx, actorID, "reading.update", readingTarget(c, &r),
			fmt.Sprintf("version %d, week %d, %s, %s", r.Version, in.WeekNumber, requiredWord(r.Required), publishedWord(r.Published))); err != nil {
			return err
		}
		_, err = s.completeEligible(tx, c)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &r, nil
}

func requiredWord(required bool) string {
	if required {
		return "required"
	}
	return "optional"
}

func publishedWord(published bool) string {
	if published {
		return "published"
	}
	return "draft"
}

// MoveReading swaps a reading with its neighbour in the week (up is towards
// the start) and renumbers the week's positions 1…n. It reports false when
// the reading is already first or last.
func (s *Store) MoveReading(ctx context.Context, actorID int64, c *Course, r *Reading, up bool) (bool, error) {
	moved := false
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var ids []int64
		if err := tx.Model(&Reading{}).Where("week_id = ?", r.WeekID).Order("position, id").Pluck("id", &ids).Error; err != nil {
			return fmt.Errorf("store: unable to read the week's order: %w", err)
		}
		i := positionOfID(ids, r.ID)
		j := i + 1
		if up {
			j = i - 1
		}
		if i < 0 || j < 0 || j >= len(ids) {
			return nil
		}
		ids[i], ids[j] = ids[j], ids[i]
		if err := renumber(tx, ids); err != nil {
			return err
		}
		moved = true
		direction := "down"
		if up {
			direction = "up"
		}
		return s.audit(tx, actorID, "reading.move", readingTarget(c, r), fmt.Sprintf("moved %s to position %d", direction, j+1))
	})
	return moved, err
}

func positionOfID(ids []int64, id int64) int {
	for i, v := range ids {
		if v == id {
			return i
		}
	}
	return -1
}

// renumber sets positions 1…n in the order of ids, in one statement.
func renumber(tx *gorm.DB, ids []int64) error {
	var b strings.Builder
	args := make([]any, 0, 3*len(ids))
	b.WriteString("UPDATE readings SET position = CASE id")
	for i, id := range ids {
		b.WriteString(" WHEN ? THEN ?")
		args = append(args, id, i+1)
	}
	b.WriteString(" ELSE position END WHERE id IN ?")
	args = append(args, ids)
	if err := tx.Exec(b.String(), args...).Error; err != nil {
		return fmt.Errorf("store: unable to reorder readings: %w", err)
	}
	return nil
}

// readingFlags are the yes/no settings a single button may change.
var readingFlags = map[string][2]string{
	"published": {"reading.unpublish", "reading.publish"},
	"required":  {"reading.optional", "reading.require"},
}

// SetReadingFlag publishes or unpublishes a reading ("published"), or makes
// it required or optional ("required"). The content is unchanged, so the
// version stays.
func (s *Store) SetReadingFlag(ctx context.Context, actorID int64, c *Course, r *Reading, flag string, on bool) error {
	actions, ok := readingFlags[flag]
	if !ok {
		return Invalid(flag, "Unknown setting.")
	}
	action := actions[0]
	if on {
		action = actions[1]
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		if err := s.lockCourseForChange(tx, c.ID); err != nil {
			return err
		}
		res := tx.Model(&Reading{}).Where("id = ? AND course_id = ?", r.ID, c.ID).
			Updates(map[string]any{flag: on, "updated_at": s.clock.Now()})
		if res.Error != nil {
			return fmt.Errorf("store: unable to update reading: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		if err := s.audit(tx, actorID, action, readingTarget(c, r), ""); err != nil {
			return err
		}
		_, err := s.completeEligible(tx, c)
		return err
	})
}

// DeleteReading removes a reading nobody has opened yet. A reading with
// progress is refused (the progress would go with it): unpublish it instead.
func (s *Store) DeleteReading(ctx context.Context, actorID int64, c *Course, r *Reading) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		if err := s.lockCourseForChange(tx, c.ID); err != nil {
			return err
		}
		res := tx.Exec(`DELETE FROM readings WHERE id = ? AND course_id = ?
  AND NOT EXISTS (SELECT 1 FROM reading_progress p WHERE p.reading_id = readings.id)`, r.ID, c.ID)
		if res.Error != nil {
			return fmt.Errorf("store: unable to delete reading: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			var n int64
			if err := tx.Model(&Reading{}).Where("id = ?", r.ID).Count(&n).Error; err != nil {
				return fmt.Errorf("store: unable to check reading: %w", err)
			}
			if n == 0 {
				return ErrNotFound
			}
			return ErrReadingHasProgress
		}
		if err := s.audit(tx, actorID, "reading.delete", readingTarget(c, r), "“"+r.Title+"”"); err != nil {
			return err
		}
		_, err := s.completeEligible(tx, c)
		return err
	})
}

// ReaderCounts tells, for each reading of a course, how many enrollments have
// opened it.
func (s *Store) ReaderCounts(ctx context.Context, courseID int64) (map[int64]int, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	var rows []struct {
		ReadingID int64
		N         int
	}
	err := db.Table("reading_progress p").Select("p.reading_id, COUNT(*) AS n").
		Joins("JOIN readings r ON r.id = p.reading_id").Where("r.course_id = ?", courseID).
		Group("p.reading_id").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to count readers: %w", err)
	}
	counts := make(map[int64]int, len(rows))
	for _, row := range rows {
		counts[row.ReadingID] = row.N
	}
	return counts, nil
}
