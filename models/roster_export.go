package models

import (
	"context"
	"fmt"
	"time"
)

// ExportTimeout bounds a whole export, which may outlive the usual query
// deadline on a large class.
const ExportTimeout = 5 * time.Minute

// StreamRoster runs the roster query without paging and hands each row to
// fn as the database returns it, so memory stays flat whatever the class
// size. Each row's Checks hold the student's scores on checks, in their
// order (RosterChecks lists a course's). The row passed to fn is reused:
// copy what must outlive the call. An error from fn stops the export and
// is returned.
func (s *Store) StreamRoster(ctx context.Context, course *Course, f RosterFilter, checks []RosterCheck, fn func(*RosterRow) error) error {
	ctx, cancel := context.WithTimeout(ctx, ExportTimeout)
	defer cancel()
	db := s.db.WithContext(ctx)
	f.After, f.Before = "", ""
	q, err := s.newRosterQuery(db, course, f)
	if err != nil {
		return err
	}
	column := make(map[int64]int, len(checks))
	for i, c := range checks {
		q.checks = append(q.checks, c.CheckID)
		column[c.CheckID] = i
	}
	sql := q.build(s, false)
	rows, err := db.Raw(sql.String(), sql.args...).Rows()
	if err != nil {
		return fmt.Errorf("store: unable to export roster: %w", err)
	}
	defer rows.Close()
	// A student comes as one row per check result, next to each other; the
	// student is handed on when the next one starts.
	sc := newRosterScanner(len(q.checks) > 0)
	row := &sc.row
	var held RosterRow
	scores := make([]CheckScore, len(checks))
	for rows.Next() {
		if err := sc.scan(rows); err != nil {
			return err
		}
		if row.EnrollmentID != held.EnrollmentID {
			if held.EnrollmentID != 0 {
				if err := fn(&held); err != nil {
					return err
				}
			}
			clear(scores)
			held, held.Checks = row.RosterRow, scores
		}
		if i, ok := column[row.CheckID]; ok {
			scores[i] = CheckScore{Attempts: row.CheckAttempts, BestPercent: row.CheckBestPercent, Passed: row.CheckPassed}
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: unable to export roster: %w", err)
	}
	if held.EnrollmentID != 0 {
		return fn(&held)
	}
	return nil
}

// StudentProgress is one student's progress through a course, reading by
// reading.
type StudentProgress struct {
	User       *User
	Enrollment *Enrollment
	Readings   []StudentReading
}

// StudentReading is one reading of the syllabus with the student's progress.
type StudentReading struct {
	Week           int
	ReadingID      int64
	Slug           string
	Title          string
	Required       bool
	Percent        int
	Furthest       int
	SecondsRead    int
	FirstOpenedAt  *time.Time
	LastActivityAt *time.Time
	CompletedAt    *time.Time
	// Checked is set when the reading has a check; the student's score on
	// it is then in CheckScore.
	Checked bool
	CheckScore
}

// StudentProgressIn loads a student's latest enrollment in a course and
// their progress and check score on each published reading, in three
// queries. A person never
// enrolled in the course is not found.
func (s *Store) StudentProgressIn(ctx context.Context, courseID, userID int64) (*StudentProgress, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	var sp StudentProgress
	var u User
	if err := db.Select("id, email, full_name, role, reminders_opt_out").Take(&u, userID).Error; err != nil {
		return nil, notFound(err)
	}
	var e Enrollment
	err := db.Where("user_id = ? AND course_id = ?", userID, courseID).Order("id DESC").Take(&e).Error
	if err != nil {
		return nil, notFound(err)
	}
	sp.User, sp.Enrollment = &u, &e
	err = db.Raw(`SELECT w.number AS week, r.id AS reading_id, r.slug, r.title, r.required,
  (CASE WHEN p.completed_at IS NOT NULL THEN 100 ELSE COALESCE(p.percent, 0) END) AS percent,
  COALESCE(p.furthest, 0) AS furthest, COALESCE(p.seconds_read, 0) AS seconds_read,
  p.first_opened_at, p.last_activity_at, p.completed_at,
  (CASE WHEN k.id IS NULL THEN 0 ELSE 1 END) AS checked, `+fmt.Sprintf(checkScoreColumns, "")+`
FROM readings r
JOIN weeks w ON w.id = r.week_id
LEFT JOIN reading_progress p ON p.reading_id = r.id AND p.enrollment_id = ?
LEFT JOIN checks k ON k.reading_id = r.id
LEFT JOIN check_results cr ON cr.check_id = k.id AND cr.enrollment_id = ?
WHERE r.course_id = ? AND r.published = ?
ORDER BY w.number, r.position, r.id`, e.ID, e.ID, courseID, true).Scan(&sp.Readings).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to load student progress: %w", err)
	}
	return &sp, nil
}
