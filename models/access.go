package models

import (
	"context"
	"fmt"
	"time"
)

// Access is what a signed-in person may do with one reading: it carries the
// rows the checks were made on, so handlers need not load them again.
type Access struct {
	Course     *Course
	Reading    *Reading
	Week       *Week
	Enrollment *Enrollment
	Cohort     *Cohort
	Progress   *ReadingProgress
	// CertificateCode is set once the enrollment is completed.
	CertificateCode string
	// CheckID is the reading's knowledge check, 0 when it has none.
	CheckID int64
}

// accessRow is the one joined row ReadingAccess reads.
type accessRow struct {
	CourseID, ReadingID, WeekID             int64
	CourseSlug, CourseTitle, CourseSubtitle string
	CourseProvider                          string
	CoursePublished                         bool
	ReadingSlug, ReadingTitle, Author       string
	SourceName, SourceURL                   string
	Disclaimer, Credits                     string
	ReadingRequired, ReadingPublished       bool
	ReadingVersion, WordCount               int
	ParagraphCount, ReadingPosition         int
	MinMinutes                              *int
	ReadingLanguage                         string
	CheckID                                 *int64
	WeekNumber                              int
	WeekTitle                               string
	EnrollmentID, CohortID                  *int64
	EnrollmentStatus                        *string
	EnrollmentCreatedAt                     *time.Time
	CompletedAt                             *time.Time
	CohortName, Pacing                      *string
	StartsAt                                *time.Time
	Percent, Furthest, SecondsRead          *int
	FirstOpenedAt, LastActivityAt           *time.Time
	ProgressCompletedAt                     *time.Time
	CertificateCode                         *string
}

// accessColumns are the columns of accessRow, in its field order (see
// accessRow.dests), read from the joins of accessJoins.
const accessColumns = `c.id AS course_id, c.slug AS course_slug, c.title AS course_title, c.subtitle AS course_subtitle,
  c.provider AS course_provider, c.published AS course_published,
  r.id AS reading_id, r.slug AS reading_slug, r.title AS reading_title, r.author, r.source_name, r.source_url,
  r.disclaimer, r.credits, r.required AS reading_required, r.published AS reading_published,
  r.version AS reading_version, r.word_count, r.paragraph_count, r.position AS reading_position,
  r.min_minutes, r.language AS reading_language, ck.id AS check_id,
  w.id AS week_id, w.number AS week_number, w.title AS week_title,
  e.id AS enrollment_id, e.cohort_id, e.status AS enrollment_status, e.created_at AS enrollment_created_at,
  e.completed_at,
  co.name AS cohort_name, co.pacing, co.starts_at,
  p.percent, p.furthest, p.seconds_read, p.first_opened_at, p.last_activity_at, p.completed_at AS progress_completed_at,
  cert.code AS certificate_code`

// accessJoins follows a course c: the reading (by slug, the first
// placeholder), its week, and the enrollment of the user given as SQL
// (a placeholder or a column) with its cohort, progress and certificate.
func accessJoins(user string) string {
	return `
JOIN readings r ON r.course_id = c.id AND r.slug = ?
JOIN weeks w ON w.id = r.week_id
LEFT JOIN enrollments e ON e.course_id = c.id AND e.user_id = ` + user + ` AND e.status <> 'withdrawn'
LEFT JOIN cohorts co ON co.id = e.cohort_id
LEFT JOIN reading_progress p ON p.enrollment_id = e.id AND p.reading_id = r.id
LEFT JOIN certificates cert ON cert.enrollment_id = e.id
LEFT JOIN checks ck ON ck.reading_id = r.id`
}

// accessQuery reads an accessRow for a reading slug, a user id and a
// course slug.
var accessQuery = "SELECT " + accessColumns + "\nFROM courses c" + accessJoins("?") + "\nWHERE c.slug = ?"

// dests are the scan destinations of accessColumns, in order.
func (row *accessRow) dests() []any {
	return []any{&row.CourseID, &row.CourseSlug, &row.CourseTitle, &row.CourseSubtitle, &row.CourseProvider,
		&row.CoursePublished, &row.ReadingID, &row.ReadingSlug, &row.ReadingTitle, &row.Author, &row.SourceName,
		&row.SourceURL, &row.Disclaimer, &row.Credits, &row.ReadingRequired, &row.ReadingPublished,
		&row.ReadingVersion, &row.WordCount, &row.ParagraphCount, &row.ReadingPosition, &row.MinMinutes,
		&row.ReadingLanguage, &row.CheckID,
		&row.WeekID, &row.WeekNumber, &row.WeekTitle, &row.EnrollmentID, &row.CohortID, &row.EnrollmentStatus,
		&row.EnrollmentCreatedAt, &row.CompletedAt, &row.CohortName, &row.Pacing, &row.StartsAt, &row.Percent,
		&row.Furthest, &row.SecondsRead, &row.FirstOpenedAt, &row.LastActivityAt, &row.ProgressCompletedAt,
		&row.CertificateCode}
}

// ReadingAccess loads a reading for a user in one query and checks that they
// may read it: enrolled (active or completed), reading published, its week
// open. On a refusal it returns what it found with the reason.
func (s *Store) ReadingAccess(ctx context.Context, userID int64, courseSlug, readingSlug string) (*Access, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	var row accessRow
	res := db.Raw(accessQuery, readingSlug, userID, courseSlug).Scan(&row)
	if res.Error != nil {
		return nil, fmt.Errorf("store: unable to load reading access: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return nil, ErrNotFound
	}
	return row.granted(userID, s.clock.Now())
}

// granted turns the row into an Access and checks that the user may read
// the reading at now: published, enrolled (active or completed), its week
// open. On a refusal it returns what it found with the reason.
func (row *accessRow) granted(userID int64, now time.Time) (*Access, error) {
	if !row.CoursePublished || !row.ReadingPublished {
		return nil, ErrNotFound
	}
	a := row.access(userID)
	switch {
	case a.Enrollment == nil:
		return a, ErrNotEnrolled
	case !a.Enrollment.CanRead():
		return a, ErrNotActive
	case !a.Cohort.WeekOpen(a.Week.Number, now):
		return a, ErrReadingLocked
	}
	return a, nil
}

func (row *accessRow) access(userID int64) *Access {
	a := &Access{
		Course: &Course{ID: row.CourseID, Slug: row.CourseSlug, Title: row.CourseTitle, Subtitle: row.CourseSubtitle,
			Provider: row.CourseProvider, Published: row.CoursePublished},
		Reading: &Reading{ID: row.ReadingID, CourseID: row.CourseID, WeekID: row.WeekID, Slug: row.ReadingSlug,
			Title: row.ReadingTitle, Author: row.Author, SourceName: row.SourceName, SourceURL: row.SourceURL,
			Disclaimer: row.Disclaimer, Credits: row.Credits, Required: row.ReadingRequired,
			Published: row.ReadingPublished, Version: row.ReadingVersion, WordCount: row.WordCount,
			ParagraphCount: row.ParagraphCount, Position: row.ReadingPosition, MinMinutes: row.MinMinutes,
			Language: row.ReadingLanguage},
		Week: &Week{ID: row.WeekID, CourseID: row.CourseID, Number: row.WeekNumber, Title: row.WeekTitle},
	}
	if row.CheckID != nil {
		a.CheckID = *row.CheckID
	}
	if row.EnrollmentID == nil {
		return a
	}
	a.Enrollment = &Enrollment{ID: *row.EnrollmentID, UserID: userID, CourseID: row.CourseID, CohortID: *row.CohortID,
		Status: *row.EnrollmentStatus, CreatedAt: *row.EnrollmentCreatedAt, CompletedAt: row.CompletedAt}
	a.Cohort = &Cohort{ID: *row.CohortID, CourseID: row.CourseID, Name: *row.CohortName, Pacing: *row.Pacing,
		StartsAt: *row.StartsAt}
	if row.Percent != nil {
		a.Progress = &ReadingProgress{EnrollmentID: a.Enrollment.ID, ReadingID: row.ReadingID, Percent: *row.Percent,
			Furthest: *row.Furthest, SecondsRead: *row.SecondsRead, FirstOpenedAt: *row.FirstOpenedAt,
			LastActivityAt: *row.LastActivityAt, CompletedAt: row.ProgressCompletedAt}
	}
	if row.CertificateCode != nil {
		a.CertificateCode = *row.CertificateCode
	}
	return a
}
