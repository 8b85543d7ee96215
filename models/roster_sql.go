package models

import (
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// sqlExpr is a fragment of SQL with its parameters, so an expression used in
// several places (select list, filter, order, keyset) carries its arguments.
type sqlExpr struct {
	sql  string
	args []any
}

// sqlText accumulates a statement and its parameters in order.
type sqlText struct {
	b    strings.Builder
	args []any
}

func (q *sqlText) add(sql string, args ...any) *sqlText {
	q.b.WriteString(sql)
	q.args = append(q.args, args...)
	return q
}

func (q *sqlText) expr(e sqlExpr) *sqlText { return q.add(e.sql, e.args...) }

// String is the statement's text.
func (q *sqlText) String() string { return q.b.String() }

// nullTime stands in for a missing date in sort keys: it sorts first
// ascending, last descending, and keeps keyset comparisons free of NULLs.
var nullTime = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)

// rosterSchedule is what the schedule expects of each cohort now: the
// required readings whose week has opened. Self-paced cohorts have every
// week open, so they are expected to finish.
type rosterSchedule struct {
	cohorts  []Cohort
	required map[int64]int // course id → required published readings
	due      map[int64]int // cohort id → required readings open now
	checked  map[int64]int // course id → published readings with a check
}

// loadSchedule reads the cohorts and the required readings' weeks, of one
// course or (courseID 0) of all, and counts the readings with a check: two
// queries, whatever the class size.
func (s *Store) loadSchedule(db *gorm.DB, courseID int64, now time.Time) (*rosterSchedule, error) {
	sc := &rosterSchedule{required: map[int64]int{}, due: map[int64]int{}, checked: map[int64]int{}}
	q := db.Model(&Cohort{}).Order("starts_at DESC, id DESC")
	if courseID != 0 {
		q = q.Where("course_id = ?", courseID)
	}
	if err := q.Find(&sc.cohorts).Error; err != nil {
		return nil, fmt.Errorf("store: unable to load cohorts: %w", err)
	}
	readings, err := queryScheduledReadings(db, courseID)
	if err != nil {
		return nil, err
	}
	for _, r := range readings {
		if r.Checked {
			sc.checked[r.CourseID]++
		}
		if r.Required {
			sc.required[r.CourseID]++
		}
	}
	for _, c := range sc.cohorts {
		for _, r := range readings {
			if r.Required && r.CourseID == c.CourseID && c.WeekOpen(r.Number, now) {
				sc.due[c.ID]++
			}
		}
	}
	return sc, nil
}

// scheduledReading is a published reading that is required or checked.
type scheduledReading struct {
	CourseID          int64
	Number            int
	Required, Checked bool
}

// queryScheduledReadings reads the published readings that are required or
// have a check, with their week's number, of one course or (0) of all.
func queryScheduledReadings(db *gorm.DB, courseID int64) ([]scheduledReading, error) {
	stmt := &sqlText{}
	stmt.add(`SELECT r.course_id, w.number, r.required, (CASE WHEN k.id IS NULL THEN 0 ELSE 1 END) AS checked
FROM readings r JOIN weeks w ON w.id = r.week_id LEFT JOIN checks k ON k.reading_id = r.id
WHERE r.published = ? AND (r.required = ? OR k.id IS NOT NULL)`, true, true)
	if courseID != 0 {
		stmt.add(" AND r.course_id = ?", courseID)
	}
	return queryRows(db, stmt, "required readings", func(r *scheduledReading) []any {
		return []any{&r.CourseID, &r.Number, &r.Required, &r.Checked}
	})
}

// cohort finds a loaded cohort.
func (sc *rosterSchedule) cohort(id int64) *Cohort {
	for i := range sc.cohorts {
		if sc.cohorts[i].ID == id {
			return &sc.cohorts[i]
		}
	}
	return nil
}

// dueExpr is the number of required readings due for e's cohort.
func (sc *rosterSchedule) dueExpr() sqlExpr { return sc.dueOf("e.cohort_id") }

// dueOf is the number of required readings due for the cohort in column.
func (sc *rosterSchedule) dueOf(column string) sqlExpr {
	if len(sc.cohorts) == 0 {
		return sqlExpr{sql: "0"}
	}
	var e sqlExpr
	e.sql = "(CASE " + column
	for _, c := range sc.cohorts {
		e.sql += " WHEN ? THEN ?"
		e.args = append(e.args, c.ID, sc.due[c.ID])
	}
	e.sql += " ELSE 0 END)"
	return e
}

// progressJoin aggregates each enrollment's progress over the course's
// readings in one pass: the percent sum and completions of required
// published readings, and how many readings were opened at all.
func (s *Store) progressJoin(courseID int64) sqlExpr {
	where, args := "", []any{true, true, true, true}
	if courseID != 0 {
		where, args = " WHERE r.course_id = ?", append(args, courseID)
	}
	return sqlExpr{sql: `LEFT JOIN (SELECT p.enrollment_id,
    SUM(CASE WHEN r.required = ? AND r.published = ?
        THEN (CASE WHEN p.completed_at IS NOT NULL THEN 100 ELSE ` + s.least() + `(p.percent, 100) END) ELSE 0 END) AS pct_sum,
    SUM(CASE WHEN r.required = ? AND r.published = ? AND p.completed_at IS NOT NULL THEN 1 ELSE 0 END) AS done,
    COUNT(*) AS opened
  FROM reading_progress p JOIN readings r ON r.id = p.reading_id` + where + `
  GROUP BY p.enrollment_id) agg ON agg.enrollment_id = e.id`, args: args}
}

// pageProgressJoin is progressJoin for the rows of the statement's page
// CTE only: SQLite looks each row's progress up by the progress key (the
// order written after CROSS JOIN, which it keeps); PostgreSQL plans the
// join itself (a lateral subquery, tried instead, planned far worse once
// its plan was cached).
func (s *Store) pageProgressJoin(courseID int64) sqlExpr {
	return sqlExpr{sql: `LEFT JOIN (SELECT p.enrollment_id,
    SUM(CASE WHEN r.required = ? AND r.published = ?
        THEN (CASE WHEN p.completed_at IS NOT NULL THEN 100 ELSE ` + s.least() + `(p.percent, 100) END) ELSE 0 END) AS pct_sum,
    SUM(CASE WHEN r.required = ? AND r.published = ? AND p.completed_at IS NOT NULL THEN 1 ELSE 0 END) AS done,
    COUNT(*) AS opened
  FROM page pg CROSS JOIN reading_progress p JOIN readings r ON r.id = p.reading_id
  WHERE p.enrollment_id = pg.id AND r.course_id = ?
  GROUP BY p.enrollment_id) agg ON agg.enrollment_id = e.id`, args: []any{true, true, true, true, courseID}}
}

// Expressions over one roster row.
var (
	doneExpr     = sqlExpr{sql: "COALESCE(agg.done, 0)"}
	openedExpr   = sqlExpr{sql: "COALESCE(agg.opened, 0)"}
	activityExpr = sqlExpr{sql: "COALESCE(e.last_activity_at, e.activated_at, e.created_at)"}
)

// percentExpr is the learner's percent, as models/course_view.go computes
// it: over the required readings as they are now, so a course completed
// before a reading was added shows the reading missing; with no required
// reading at all, a completed course is 100.
func percentExpr(required int) sqlExpr {
	if required == 0 {
		return sqlExpr{sql: "(CASE WHEN e.status = ? THEN 100 ELSE 0 END)", args: []any{StatusCompleted}}
	}
	return sqlExpr{sql: "(COALESCE(agg.pct_sum, 0) / ?)", args: []any{required}}
}

// atRiskExpr: active, no activity since cutoff, and fewer readings completed
// than the schedule has opened.
func (sc *rosterSchedule) atRiskExpr(cutoff time.Time) sqlExpr {
	due := sc.dueExpr()
	args := append([]any{StatusActive, cutoff}, due.args...)
	return sqlExpr{sql: "(e.status = ? AND " + activityExpr.sql + " < ? AND " + doneExpr.sql + " < " + due.sql + ")", args: args}
}
