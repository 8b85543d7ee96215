package models

import (
	"context"
	"fmt"
	"slices"
	"time"

	"courseportal/models/markdown"

	"gorm.io/gorm"
)

// Progress limits.
const (
	// MaxSecondsPerUpdate caps one update's reading time; the server also caps
	// it by the real time since the previous update.
	MaxSecondsPerUpdate = 300
	// firstUpdateSeconds caps the first update, which has no previous one.
	firstUpdateSeconds = 30
	// completionWordsPerMinute sets the auto-completion floor: nobody reads
	// faster than this, so less time than words/600 minutes is skimming.
	completionWordsPerMinute = 600
)

// ReadingProgress is one person's progress through one reading.
type ReadingProgress struct {
	EnrollmentID   int64 `gorm:"primaryKey"`
	ReadingID      int64 `gorm:"primaryKey"`
	Percent        int
	Furthest       int
	SecondsRead    int
	FirstOpenedAt  time.Time
	LastActivityAt time.Time
	LastBeatMs     int64
	CompletedAt    *time.Time
}

// TableName pins the table name (GORM would pluralise it).
func (ReadingProgress) TableName() string { return "reading_progress" }

// Position is the anchor of the furthest paragraph read, like "p-12".
func (p *ReadingProgress) Position() string {
	if p == nil {
		return ""
	}
	return position(p.Furthest)
}

// position is the anchor of a furthest paragraph; empty before the first.
func position(furthest int) string {
	if furthest == 0 {
		return ""
	}
	return markdown.ParagraphID(furthest)
}

// ProgressUpdate is what the reader's script reports.
type ProgressUpdate struct {
	Percent  int
	Position string
	Seconds  int
}

// ParsePosition turns "p-12" into 12; empty is 0.
func ParsePosition(pos string) (int, error) {
	if pos == "" {
		return 0, nil
	}
	n, ok := markdown.ParagraphNumber(pos)
	if !ok {
		return 0, Invalid("position", fmt.Sprintf("position must look like %q", markdown.ParagraphID(12)))
	}
	return n, nil
}

// ProgressResult is the state after an update.
type ProgressResult struct {
	Percent         int
	Furthest        int
	SecondsRead     int
	Completed       bool
	CourseCompleted bool
	CertificateCode string
}

// Position is the anchor of the furthest paragraph read, like "p-12".
func (r *ProgressResult) Position() string { return position(r.Furthest) }

// RecordProgress stores a progress report atomically: percent and furthest
// paragraph only grow, and reading time grows by at most the real time since
// the previous report. A reading whose every paragraph was seen for long
// enough completes itself.
func (s *Store) RecordProgress(ctx context.Context, a *Access, u ProgressUpdate) (*ProgressResult, error) {
	furthest, err := u.check()
	if err != nil {
		return nil, err
	}
	if furthest > a.Reading.ParagraphCount {
		return nil, Invalid("position", fmt.Sprintf("this reading has %d paragraphs", a.Reading.ParagraphCount))
	}
	row, err := s.recordBeat(ctx, a, u, furthest)
	if err != nil {
		return nil, err
	}
	return s.afterBeat(ctx, a, row)
}

// check validates a report and returns its furthest paragraph.
func (u ProgressUpdate) check() (int, error) {
	if u.Percent < 0 || u.Percent > 100 {
		return 0, Invalid("percent", "percent must be between 0 and 100")
	}
	if u.Seconds < 0 || u.Seconds > MaxSecondsPerUpdate*12 {
		return 0, Invalid("seconds", "seconds must be between 0 and 3600")
	}
	return ParsePosition(u.Position)
}

// needsCompletion reports whether a saved report finished a reading that
// its check does not complete: every paragraph seen, for long enough.
func needsCompletion(row *ReadingProgress, hasCheck bool, wordCount int) bool {
	return row.CompletedAt == nil && !hasCheck && row.Percent >= 100 &&
		row.SecondsRead >= wordCount*60/completionWordsPerMinute
}

// afterBeat turns a saved report into its result, completing the reading
// (and perhaps the course) when the report finished it.
func (s *Store) afterBeat(ctx context.Context, a *Access, row *ReadingProgress) (*ProgressResult, error) {
	result := &ProgressResult{Percent: row.Percent, Furthest: row.Furthest, SecondsRead: row.SecondsRead,
		Completed: row.CompletedAt != nil}
	// A reading with a knowledge check is completed by passing it.
	if needsCompletion(row, a.CheckID != 0, a.Reading.WordCount) {
		err := s.tx(ctx, func(tx *gorm.DB) error {
			now, err := s.lockForCompletion(tx, a)
			if err != nil {
				return err
			}
			return s.completeReading(tx, a, now, result)
		})
		if err != nil {
			return nil, err
		}
	}
	if a.Enrollment.Status == StatusCompleted && result.CertificateCode == "" {
		result.CourseCompleted, result.CertificateCode = true, a.CertificateCode
	}
	return result, nil
}

// recordBeat saves one progress report and the enrollment's last activity
// atomically: on PostgreSQL as one statement (a data-modifying CTE), on
// SQLite as a short transaction.
func (s *Store) recordBeat(ctx context.Context, a *Access, u ProgressUpdate, furthest int) (*ReadingProgress, error) {
	now := s.clock.Now()
	// A replayed report records its id in the write's transaction.
	if s.dialect == Postgres && !replaying(ctx) {
		db, cancel := s.conn(ctx)
		defer cancel()
		return s.upsertProgress(db, a, u, furthest, now,
			"WITH touched AS (UPDATE enrollments SET last_activity_at = ? WHERE id = ?) ", now, a.Enrollment.ID)
	}
	var row *ReadingProgress
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := s.claimReplayedWrite(tx); err != nil {
			return err
		}
		if _, err := s.touchEnrollment(tx, a.Enrollment.ID); err != nil {
			return err
		}
		var err error
		row, err = s.upsertProgress(tx, a, u, furthest, now, "")
		return err
	})
	return row, err
}

// CompleteReading is the "Mark as complete" button. It is accepted once the
// person has had the reading open for its minimum reading time (a
// *TooSoonError before), and never for a reading with a knowledge check,
// which passing the check completes (ErrCheckRequired). Completing it again
// changes nothing.
func (s *Store) CompleteReading(ctx context.Context, a *Access) (*ProgressResult, error) {
	if a.Progress == nil || a.Progress.CompletedAt == nil {
		if a.CheckID != 0 {
			return nil, ErrCheckRequired
		}
		if err := s.readLongEnough(ctx, a); err != nil {
			return nil, err
		}
	}
	var result *ProgressResult
	err := s.tx(ctx, func(tx *gorm.DB) error {
		now, err := s.lockForCompletion(tx, a)
		if err != nil {
			return err
		}
		if err := s.claimReplayedWrite(tx); err != nil {
			return err
		}
		row, err := s.upsertProgress(tx, a, ProgressUpdate{}, 0, now, "")
		if err != nil {
			return err
		}
		result = &ProgressResult{Percent: row.Percent, Furthest: row.Furthest, SecondsRead: row.SecondsRead,
			Completed: row.CompletedAt != nil}
		if row.CompletedAt != nil {
			return nil
		}
		return s.completeReading(tx, a, now, result)
	})
	if err != nil {
		return nil, err
	}
	return result, nil
}

// readLongEnough refuses completion before the reading's minimum time has
// passed since the person first opened it. Someone who never opened it is
// noted as opening it now.
func (s *Store) readLongEnough(ctx context.Context, a *Access) error {
	minimum := a.Reading.MinimumOpen()
	if minimum <= 0 {
		return nil
	}
	now := s.clock.Now()
	opened := now
	if a.Progress != nil {
		opened = a.Progress.FirstOpenedAt
	} else if err := s.NoteOpened(ctx, a); err != nil {
		return err
	}
	if at := opened.Add(minimum); now.Before(at) {
		return &TooSoonError{Left: at.Sub(now), At: at}
	}
	return nil
}

// NoteOpened records, the first time a person opens a reading, when they
// did: the evidence "Mark as complete" is measured against. Later views
// cost nothing (the access query already carries the progress row).
func (s *Store) NoteOpened(ctx context.Context, a *Access) error {
	if a.Progress != nil {
		return nil
	}
	row, err := s.recordBeat(ctx, a, ProgressUpdate{}, 0)
	if err != nil {
		return err
	}
	row.EnrollmentID, row.ReadingID = a.Enrollment.ID, a.Reading.ID
	a.Progress = row
	return nil
}

// lockForCompletion starts every transaction that may complete an
// enrollment: the course first (see lockCourseShared), then the enrollment.
func (s *Store) lockForCompletion(tx *gorm.DB, a *Access) (time.Time, error) {
	if err := s.lockCourseShared(tx, a.Course.ID); err != nil {
		return time.Time{}, err
	}
	return s.touchEnrollment(tx, a.Enrollment.ID)
}

// touchEnrollment records activity; as the first write of the transaction it
// also locks the enrollment row, which serialises completions of one person.
func (s *Store) touchEnrollment(tx *gorm.DB, enrollmentID int64) (time.Time, error) {
	now := s.clock.Now()
	err := tx.Exec("UPDATE enrollments SET last_activity_at = ? WHERE id = ?", now, enrollmentID).Error
	if err != nil {
		return now, fmt.Errorf("store: unable to touch enrollment: %w", err)
	}
	return now, nil
}

// upsertProgress writes a report with one upsert; prefix may hold a CTE
// (with its arguments) to run in the same statement.
func (s *Store) upsertProgress(tx *gorm.DB, a *Access, u ProgressUpdate, furthest int, now time.Time,
	prefix string, prefixArgs ...any) (*ReadingProgress, error) {
	sql := prefix + progressWriteSQL(s.greatest(), s.least(), progressValues)
	values, seconds := progressWriteArgs(u, furthest, now)
	// A new slice: appending to prefixArgs could write into the caller's.
	args := slices.Concat(prefixArgs, []any{a.Enrollment.ID, a.Reading.ID}, values, []any{seconds})
	var row ReadingProgress
	err := tx.Raw(sql, args...).Scan(&row).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to save progress: %w", err)
	}
	return &row, nil
}

// progressValues is the row of progressWriteSQL as parameters.
const progressValues = "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"

// progressWriteSQL is the one statement that writes progress, on every path
// (a report, the first view, a completion, a passed check): a monotonic
// upsert of the row given by rows (a VALUES list or a SELECT) of
// (enrollment_id, reading_id, percent, furthest, seconds_read,
// first_opened_at, last_activity_at, last_beat_ms), followed by one
// placeholder, the report's seconds. Percent and furthest only grow, and
// reading time grows by at most the real time since the previous report. g
// and l are the dialect's two-argument maximum and minimum.
func progressWriteSQL(g, l, rows string) string {
	return `INSERT INTO reading_progress
  (enrollment_id, reading_id, percent, furthest, seconds_read, first_opened_at, last_activity_at, last_beat_ms)
` + rows + `
ON CONFLICT (enrollment_id, reading_id) DO UPDATE SET
  percent = ` + g + `(reading_progress.percent, excluded.percent),
  furthest = ` + g + `(reading_progress.furthest, excluded.furthest),
  seconds_read = reading_progress.seconds_read + ` + l + `(?, ` + g + `(0, (excluded.last_beat_ms - reading_progress.last_beat_ms + 999) / 1000)),
  last_activity_at = ` + g + `(reading_progress.last_activity_at, excluded.last_activity_at),
  last_beat_ms = ` + g + `(reading_progress.last_beat_ms, excluded.last_beat_ms)
RETURNING percent, furthest, seconds_read, first_opened_at, completed_at`
}

// progressWriteArgs are progressWriteSQL's values after the enrollment and
// the reading (percent, furthest, seconds_read, first_opened_at,
// last_activity_at, last_beat_ms), and its last argument, the seconds.
func progressWriteArgs(u ProgressUpdate, furthest int, now time.Time) (values []any, seconds int) {
	seconds = min(u.Seconds, MaxSecondsPerUpdate)
	return []any{u.Percent, furthest, min(seconds, firstUpdateSeconds), now, now, now.UnixMilli()}, seconds
}

// completeReading marks the reading complete and, when it was the last
// required one, completes the enrollment and issues its certificate.
func (s *Store) completeReading(tx *gorm.DB, a *Access, now time.Time, result *ProgressResult) error {
	res := tx.Exec(`UPDATE reading_progress SET completed_at = ?, percent = 100
WHERE enrollment_id = ? AND reading_id = ? AND completed_at IS NULL`, now, a.Enrollment.ID, a.Reading.ID)
	if res.Error != nil {
		return fmt.Errorf("store: unable to complete reading: %w", res.Error)
	}
	result.Completed, result.Percent = true, 100
	code, err := s.completeCourseIfDone(tx, a, now)
	if err != nil {
		return err
	}
	result.CourseCompleted, result.CertificateCode = code != "", code
	return nil
}

// completeCourseIfDone completes the enrollment when no required reading is
// left and the course certifies, exactly once, and returns the new
// certificate's code.
func (s *Store) completeCourseIfDone(tx *gorm.DB, a *Access, now time.Time) (string, error) {
	var left int64
	err := tx.Raw(`SELECT COUNT(*) FROM readings r
WHERE r.course_id = ? AND r.required = ? AND r.published = ?
  AND NOT EXISTS (SELECT 1 FROM reading_progress p
                  WHERE p.reading_id = r.id AND p.enrollment_id = ? AND p.completed_at IS NOT NULL)`,
		a.Course.ID, true, true, a.Enrollment.ID).Scan(&left).Error
	if err != nil {
		return "", fmt.Errorf("store: unable to count readings left: %w", err)
	}
	if left > 0 {
		return "", nil
	}
	rules, err := courseRules(tx, a.Course.ID)
	if err != nil || rules.Required == 0 || !rules.Ready() {
		return "", err
	}
	return s.completeEnrollment(tx, a, now, rules.Criteria())
}
