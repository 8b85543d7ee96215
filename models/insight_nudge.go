package models

import (
	"context"
	"fmt"
	"time"
)

// nudgeShown is how many students the nudge list names.
const nudgeShown = MaxRosterLimit

// NudgeList is who in a cohort needs a nudge: students behind the schedule
// and quiet for Days days (the roster's "at risk"), the longest quiet first.
type NudgeList struct {
	Days     int
	Students []RosterRow
	// More is how many more at-risk students the list does not name.
	More int
	// RemindedAt holds, per user id, their latest reminder this week.
	RemindedAt map[int64]time.Time
	// WeekStart is the Monday (UTC) the week began.
	WeekStart time.Time
}

// Reminded is the student's latest reminder this week, or nil.
func (n *NudgeList) Reminded(userID int64) *time.Time {
	if t, ok := n.RemindedAt[userID]; ok {
		return &t
	}
	return nil
}

// NudgeList selects the cohort's at-risk students and the reminders they
// already got this week (the instructor's or the weekly one).
func (s *Store) NudgeList(ctx context.Context, course *Course, cohortID int64, days int) (*NudgeList, error) {
	f := RosterFilter{CohortID: cohortID, Status: StatusActive, Segment: RosterSegmentAtRisk, InactiveDays: days,
		Sort: "last_activity", Limit: nudgeShown}
	if err := f.Normalize(); err != nil {
		return nil, err
	}
	page, summary, err := s.Roster(ctx, course, f)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	out := &NudgeList{Days: f.InactiveDays, Students: page.Rows, RemindedAt: map[int64]time.Time{},
		WeekStart: mondayOf(epochWeek(now))}
	for _, c := range summary.Cohorts {
		if c.CohortID == cohortID {
			out.More = max(0, c.AtRisk-len(page.Rows))
		}
	}
	if len(page.Rows) == 0 {
		return out, nil
	}
	users := make([]int64, len(page.Rows))
	for i, r := range page.Rows {
		users[i] = r.UserID
	}
	var rows []struct {
		UserID    int64
		CreatedAt time.Time
	}
	db, cancel := s.conn(ctx)
	defer cancel()
	err = db.Raw(`SELECT user_id, created_at FROM outbox
WHERE user_id IN ? AND course_id = ? AND kind IN ? AND created_at >= ?`,
		users, course.ID, []string{MailReminder, MailWeeklyReminder}, out.WeekStart).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to load this week's reminders: %w", err)
	}
	for _, r := range rows {
		if r.CreatedAt.After(out.RemindedAt[r.UserID]) {
			out.RemindedAt[r.UserID] = r.CreatedAt
		}
	}
	return out, nil
}
