package models

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrNoQuickPath says a request cannot be served in one statement here (not
// PostgreSQL, or nothing matched): the caller takes the ordinary path, which
// explains any refusal.
var ErrNoQuickPath = errors.New("store: no one-statement path for this request")

// progressReportAccess is the CTE of a report sent with a session: the live
// session's enrollment in the reading's course, when the person may read it
// now (published, enrolled active or completed, the week open, the position
// within the reading), with what the answer needs.
const progressReportAccess = `WITH a AS (
  SELECT e.id AS enrollment_id, r.id AS reading_id, u.id AS user_id, e.status, r.word_count,
    ck.id AS check_id, cert.code AS certificate_code, s.last_seen_at
  FROM sessions s JOIN users u ON u.id = s.user_id
  JOIN courses c ON c.slug = ? AND c.published
  JOIN readings r ON r.course_id = c.id AND r.slug = ? AND r.published AND r.paragraph_count >= ?
  JOIN weeks w ON w.id = r.week_id
  JOIN enrollments e ON e.course_id = c.id AND e.user_id = u.id AND e.status IN ('active', 'completed')
  JOIN cohorts co ON co.id = e.cohort_id
  LEFT JOIN certificates cert ON cert.enrollment_id = e.id
  LEFT JOIN checks ck ON ck.reading_id = r.id
  WHERE ` + sessionValid + `
    AND (co.pacing = 'self-paced' OR co.starts_at + (w.number - 1) * interval '7 days' <= ?)
), touched AS (UPDATE enrollments SET last_activity_at = ? WHERE id IN (SELECT enrollment_id FROM a)),
written AS (`

// progressReportQuery is a whole progress report on PostgreSQL in one
// statement: the session, the access checks, the enrollment's last activity
// and the write (progressWriteSQL), returning what the answer needs.
var progressReportQuery = progressReportAccess +
	progressWriteSQL("GREATEST", "LEAST", "SELECT a.enrollment_id, a.reading_id, ?::int, ?::int, ?::int, ?::timestamptz, ?::timestamptz, ?::bigint FROM a") +
	`)
SELECT w.percent, w.furthest, w.seconds_read, w.first_opened_at, w.completed_at,
  a.user_id, a.status, a.word_count, a.check_id IS NOT NULL, COALESCE(a.certificate_code, ''), a.last_seen_at
FROM written w, a`

// progressReportArgs are progressReportQuery's arguments, in order.
func progressReportArgs(id, courseSlug, readingSlug string, furthest int, u ProgressUpdate, now time.Time) []any {
	args := append([]any{courseSlug, readingSlug, furthest}, sessionValidArgs(id, now)...)
	values, seconds := progressWriteArgs(u, furthest, now)
	args = append(append(append(args, now, now), values...), seconds)
	return args
}

// RecordProgressBySession records a report sent with a session token in
// one prepared statement on PostgreSQL, under the rules of UserBySession,
// ReadingAccess and RecordProgress. It returns ErrNoQuickPath when the
// database is SQLite or the statement matched nothing (an ended session, a
// refusal, a position past the end): nothing was written then, and the
// ordinary path decides and explains. A report that completes the reading
// goes on to the completion's own transaction.
func (s *Store) RecordProgressBySession(ctx context.Context, token, courseSlug, readingSlug string,
	u ProgressUpdate) (*ProgressResult, error) {
	if s.dialect != Postgres || token == "" || len(token) > 128 {
		return nil, ErrNoQuickPath
	}
	furthest, err := u.check()
	if err != nil {
		return nil, ErrNoQuickPath
	}
	id, now := sessionID(token), s.clock.Now()
	ctx, cancel := context.WithTimeout(ctx, queryTimeout)
	defer cancel()
	var row ReadingProgress
	var userID int64
	var status, code string
	var wordCount int
	var hasCheck bool
	var lastSeen time.Time
	found, err := s.queryRowPrepared(ctx, progressReportQuery,
		progressReportArgs(id, courseSlug, readingSlug, furthest, u, now),
		&row.Percent, &row.Furthest, &row.SecondsRead, &row.FirstOpenedAt, &row.CompletedAt,
		&userID, &status, &wordCount, &hasCheck, &code, &lastSeen)
	if err != nil {
		return nil, fmt.Errorf("store: unable to save progress: %w", err)
	}
	if !found {
		return nil, ErrNoQuickPath
	}
	if _, err := s.touchSessionIfIdle(ctx, id, lastSeen, now); err != nil {
		return nil, err
	}
	if needsCompletion(&row, hasCheck, wordCount) {
		a, err := s.ReadingAccess(ctx, userID, courseSlug, readingSlug)
		if err != nil {
			return nil, err
		}
		return s.afterBeat(ctx, a, &row)
	}
	result := &ProgressResult{Percent: row.Percent, Furthest: row.Furthest, SecondsRead: row.SecondsRead,
		Completed: row.CompletedAt != nil}
	if status == StatusCompleted {
		result.CourseCompleted, result.CertificateCode = true, code
	}
	return result, nil
}

// Statement is an SQL statement with ? placeholders and the names of its
// parameters, in order.
type Statement struct {
	SQL    string
	Params []string
}

// ProgressUpdateStatements are the statements a progress report sent with
// a session cookie runs on PostgreSQL, for the load benchmark's pgbench
// ceiling to run exactly them: one, progressReportQuery.
func ProgressUpdateStatements() []Statement {
	return []Statement{{SQL: progressReportQuery, Params: []string{"course_slug", "reading_slug", "furthest",
		"session_id", "now", "idle_since", "student", "staff_idle_since", "now", "now",
		"percent", "furthest", "first_seconds", "now", "now", "now_ms", "seconds"}}}
}
