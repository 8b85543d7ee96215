package models

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

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

// nudgeList selects the students to nudge, with due the required readings
// open to the cohort now.
func (s *Store) nudgeList(ctx context.Context, course *Course, cohort *Cohort, days, due int) (*NudgeList, error) {
	cohortID := cohort.ID
	db, cancel := s.conn(ctx)
	defer cancel()
	now := s.clock.Now()
	out := &NudgeList{Days: days, RemindedAt: map[int64]time.Time{}, WeekStart: mondayOf(epochWeek(now))}
	cutoff := now.Add(-time.Duration(days) * 24 * time.Hour)
	rows, err := db.Raw(`SELECT e.id, e.user_id, u.full_name, u.email, u.reminders_opt_out,
  u.email_verified_at IS NOT NULL, e.last_activity_at, `+nudgeDoneSQL+`
FROM enrollments e JOIN users u ON u.id = e.user_id
WHERE e.cohort_id = ? AND e.status = ? AND u.disabled_at IS NULL
  AND `+activityExpr.sql+` < ? AND `+nudgeDoneSQL+` < ?
ORDER BY e.id LIMIT ?`,
		true, true, cohortID, StatusActive, cutoff, true, true, due, nudgeShown+1).Rows()
	if err != nil {
		return nil, fmt.Errorf("store: unable to select students to nudge: %w", err)
	}
	defer func() { _ = rows.Close() }()
	out.Students = make([]NudgeStudent, 0, nudgeShown+1)
	for rows.Next() {
		var n NudgeStudent
		var last sql.NullTime
		if err := rows.Scan(&n.EnrollmentID, &n.UserID, &n.FullName, &n.Email, &n.RemindersOptOut,
			&n.EmailVerified, &last, &n.ReadingsDone); err != nil {
			return nil, fmt.Errorf("store: unable to read students to nudge: %w", err)
		}
		if last.Valid {
			n.LastActivityAt = &last.Time
		}
		out.Students = append(out.Students, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: unable to select students to nudge: %w", err)
	}
	if len(out.Students) > nudgeShown {
		out.Students, out.More = out.Students[:nudgeShown], true
	}
	slices.SortStableFunc(out.Students, func(a, b NudgeStudent) int { return compareTimes(a.LastActivityAt, b.LastActivityAt) })
	for i := range out.Students {
		out.Students[i].ReadingsDue = due
	}
	return out, s.addReminded(db, course.ID, out)
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

// addReminded notes who on the list got a reminder this week.
func (s *Store) addReminded(db *gorm.DB, courseID int64, out *NudgeList) error {
	if len(out.Students) == 0 {
		return nil
	}
	users := make([]int64, len(out.Students))
	for i, r := range out.Students {
		users[i] = r.UserID
	}
	rows, err := db.Raw(`SELECT user_id, created_at FROM outbox
WHERE user_id IN ? AND course_id = ? AND kind IN ? AND created_at >= ?`,
		users, courseID, []string{MailReminder, MailWeeklyReminder}, out.WeekStart).Rows()
	if err != nil {
		return fmt.Errorf("store: unable to load this week's reminders: %w", err)
	}
	defer func() { _ = rows.Close() }()
	for rows.Next() {
		var userID int64
		var at time.Time
		if err := rows.Scan(&userID, &at); err != nil {
			return fmt.Errorf("store: unable to read this week's reminders: %w", err)
		}
		if at.After(out.RemindedAt[userID]) {
			out.RemindedAt[userID] = at
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: unable to load this week's reminders: %w", err)
	}
	return nil
}
