package models

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
	"gorm.io/gorm"
)

// nudgeShown is how many students the nudge list names: as many as the
// roster's first page, where the list links for the rest. The button
// reminds them all; the page stays a page to read at a glance, and its
// cost does not grow with the class.
const nudgeShown = DefaultRosterLimit

// NudgeList is who in a cohort needs a nudge: active students behind the
// schedule and quiet for Days days (the roster's "at risk", less disabled
// accounts, so exactly whom RemindCohort writes to).
type NudgeList struct {
	Days     int
	Students []NudgeStudent
	// More is set when more students need a nudge than the list names.
	More bool
	// RemindedAt holds, per user id, their latest reminder this week.
	RemindedAt map[int64]time.Time
	// WeekStart is the Monday (UTC) the week began.
	WeekStart time.Time
}

// NudgeStudent is one student of the nudge list.
type NudgeStudent struct {
	EnrollmentID    int64
	UserID          int64
	FullName        string
	Email           string
	RemindersOptOut bool
	EmailVerified   bool
	ReadingsDone    int
	ReadingsDue     int
	LastActivityAt  *time.Time
}

// Reminded is the student's latest reminder this week, or nil.
func (n *NudgeList) Reminded(userID int64) *time.Time {
	if t, ok := n.RemindedAt[userID]; ok {
		return &t
	}
	return nil
}

// compareTimes orders never (nil) first, then from the oldest.
func compareTimes(a, b *time.Time) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	return a.Compare(*b)
}

// nudgeDoneSQL counts an enrollment's completed required readings.
const nudgeDoneSQL = `(SELECT COUNT(*) FROM reading_progress p JOIN readings r ON r.id = p.reading_id
  WHERE p.enrollment_id = e.id AND r.required = ? AND r.published = ? AND p.completed_at IS NOT NULL)`

// NudgeList selects the cohort's at-risk students and the reminders they
// already got this week (the instructor's or the weekly one). The students
// are walked in enrollment order (the cohort index's), so the query stops
// after the first nudgeShown at risk whatever the class size; they are then
// shown the quietest first.
func (s *Store) NudgeList(ctx context.Context, course *Course, cohort *Cohort, days int) (*NudgeList, error) {
	if err := checkNudge(course, cohort, days); err != nil {
		return nil, err
	}
	db, cancel := s.conn(ctx)
	defer cancel()
	due, err := readingsDue(db, cohort, s.clock.Now())
	if err != nil {
		return nil, err
	}
	return s.nudgeList(ctx, course, cohort, days, due)
}

// NudgeListOf is NudgeList for the cohort of an insight just read, whose
// funnel counted the readings due: one statement fewer.
func (s *Store) NudgeListOf(ctx context.Context, course *Course, in *CohortInsight, days int) (*NudgeList, error) {
	if err := checkNudge(course, in.Cohort, days); err != nil {
		return nil, err
	}
	return s.nudgeList(ctx, course, in.Cohort, days, in.ReadingsDue)
}

// checkNudge refuses days out of range and a cohort of another course.
func checkNudge(course *Course, cohort *Cohort, days int) error {
	if days < 1 || days > MaxInactiveDays {
		return Invalid("days", fmt.Sprintf("Days without activity must be between 1 and %d.", MaxInactiveDays))
	}
	if cohort.CourseID != course.ID {
		return ErrNotFound
	}
	return nil
}

// nudgeQuery selects a cohort's students to nudge, in enrollment order,
// each with their latest reminder of the week from the course (the
// instructor's or the weekly one). The reminder is the latest row's
// created_at rather than MAX(created_at): SQLite's driver gives an
// aggregate's result as text, having no declared type for it, where a
// subquery's plain column keeps its column's type (a time).
var nudgeQuery = `SELECT e.id, e.user_id, u.full_name, u.email, u.reminders_opt_out,
  u.email_verified_at IS NOT NULL, e.last_activity_at, ` + nudgeDoneSQL + `,
  (SELECT o.created_at FROM outbox o WHERE o.user_id = e.user_id AND o.course_id = ? AND o.kind IN (?, ?)
    AND o.created_at >= ? ORDER BY o.created_at DESC LIMIT 1) AS reminded_at
FROM enrollments e JOIN users u ON u.id = e.user_id
WHERE e.cohort_id = ? AND e.status = ? AND u.disabled_at IS NULL
  AND ` + activityExpr.sql + ` < ? AND ` + nudgeDoneSQL + ` < ?
ORDER BY e.id LIMIT ?`

// nudgeList selects the students to nudge, with due the required readings
// open to the cohort now, and the reminders they got this week, in one
// statement.
func (s *Store) nudgeList(ctx context.Context, course *Course, cohort *Cohort, days, due int) (*NudgeList, error) {
	now := s.clock.Now()
	out := &NudgeList{Days: days, RemindedAt: map[int64]time.Time{}, WeekStart: mondayOf(epochWeek(now))}
	cutoff := now.Add(-time.Duration(days) * 24 * time.Hour)
	args := []any{true, true, course.ID, MailReminder, MailWeeklyReminder, out.WeekStart,
		cohort.ID, StatusActive, cutoff, true, true, due, nudgeShown + 1}
	out.Students = make([]NudgeStudent, 0, nudgeShown+1)
	// The students' last activities live in one array, not one allocation
	// each; reminded holds each student's latest reminder.
	activities := make([]time.Time, 0, nudgeShown+1)
	reminded := make([]pgtype.Timestamptz, 0, nudgeShown+1)
	var n NudgeStudent
	var last, remindedAt pgtype.Timestamptz
	dests := []any{&n.EnrollmentID, &n.UserID, &n.FullName, &n.Email, &n.RemindersOptOut,
		&n.EmailVerified, &last, &n.ReadingsDone, &remindedAt}
	err := s.readRows(ctx, "students to nudge", nudgeQuery, args, dests, func() error {
		n.ReadingsDue, n.LastActivityAt = due, nil
		if last.Valid {
			activities = append(activities, last.Time)
			n.LastActivityAt = &activities[len(activities)-1]
		}
		out.Students = append(out.Students, n)
		reminded = append(reminded, remindedAt)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(out.Students) > nudgeShown {
		out.Students, out.More, reminded = out.Students[:nudgeShown], true, reminded[:nudgeShown]
	}
	for i, at := range reminded {
		if at.Valid {
			out.RemindedAt[out.Students[i].UserID] = at.Time
		}
	}
	slices.SortStableFunc(out.Students, func(a, b NudgeStudent) int { return compareTimes(a.LastActivityAt, b.LastActivityAt) })
	return out, nil
}

// readingsDue counts the course's required readings whose week is open to
// the cohort at now, as loadSchedule does for every cohort.
func readingsDue(db *gorm.DB, cohort *Cohort, now time.Time) (int, error) {
	var weeks []int
	err := db.Raw(`SELECT w.number FROM readings r JOIN weeks w ON w.id = r.week_id
WHERE r.course_id = ? AND r.required = ? AND r.published = ?`, cohort.CourseID, true, true).Scan(&weeks).Error
	if err != nil {
		return 0, fmt.Errorf("store: unable to load required readings: %w", err)
	}
	due := 0
	for _, n := range weeks {
		if cohort.WeekOpen(n, now) {
			due++
		}
	}
	return due, nil
}
