package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
)

// rosterQuery is a validated roster request bound to its course and schedule.
type rosterQuery struct {
	courseID int64
	f        RosterFilter
	sc       *rosterSchedule
	now      time.Time
	cursor   *rosterCursor
	// reverse is set when paging backwards: the query runs in the opposite
	// order and the rows are flipped afterwards.
	reverse bool
	// checks, in an export, joins the students' results on these checks:
	// one row per result, a student's rows next to each other.
	checks []int64
}

// newRosterQuery validates the filter against the course's cohorts.
func (s *Store) newRosterQuery(db *gorm.DB, course *Course, f RosterFilter) (*rosterQuery, error) {
	if err := f.Normalize(); err != nil {
		return nil, err
	}
	q := &rosterQuery{courseID: course.ID, f: f, now: s.clock.Now()}
	for _, raw := range []string{f.After, f.Before} {
		if raw == "" {
			continue
		}
		c, err := decodeRosterCursor(raw, f.Sort, f.Desc)
		if err != nil {
			return nil, err
		}
		q.cursor, q.reverse = c, raw == f.Before
	}
	sc, err := s.loadSchedule(db, course.ID, q.now)
	if err != nil {
		return nil, err
	}
	if f.CohortID != 0 && sc.cohort(f.CohortID) == nil {
		return nil, Invalid("cohort", "This cohort does not belong to the course.")
	}
	q.sc = sc
	return q, nil
}

func (q *rosterQuery) required() int { return q.sc.required[q.courseID] }

func (q *rosterQuery) cutoff() time.Time {
	return q.now.Add(-time.Duration(q.f.InactiveDays) * 24 * time.Hour)
}

// sortKey is the expression the roster is ordered by; the id breaks ties.
func (q *rosterQuery) sortKey() sqlExpr {
	switch q.f.Sort {
	case "email":
		return sqlExpr{sql: "LOWER(u.email)"}
	case "status":
		return sqlExpr{sql: "e.status"}
	case "percent":
		return percentExpr(q.required())
	case "last_activity":
		return sqlExpr{sql: "COALESCE(e.last_activity_at, ?)", args: []any{nullTime}}
	case "completed_at":
		return sqlExpr{sql: "COALESCE(e.completed_at, ?)", args: []any{nullTime}}
	}
	return sqlExpr{sql: "LOWER(u.full_name)"}
}

// textSort reports whether the sort key is text, read back as sort_text so
// the cursor holds exactly what the database compares.
func (q *rosterQuery) textSort() bool {
	return slices.Contains([]string{"name", "email", "status"}, q.f.Sort)
}

// build writes the roster statement: one query with the progress aggregate
// joined, filtered, ordered and (when paged) limited. When the page's rows
// can be chosen without the progress aggregate, a paged query picks them
// first (by the sort key's index) and aggregates progress for those rows
// only, so a page costs the same whatever the size of the class.
func (q *rosterQuery) build(s *Store, paged bool) *sqlText {
	sql := &sqlText{}
	pageFirst := paged && q.pageFirst()
	if pageFirst {
		sql.add("WITH page AS (SELECT e.id FROM enrollments e\nJOIN users u ON u.id = e.user_id\nWHERE e.course_id = ?", q.courseID)
		q.filters(sql)
		if q.cursor != nil {
			q.keyset(sql)
		}
		q.order(sql)
		sql.add(" LIMIT ?)\n", q.f.Limit+1)
	}
	sql.add(`SELECT e.id AS enrollment_id, e.user_id, u.full_name, u.email, u.reminders_opt_out,
  u.email_verified_at IS NOT NULL AS email_verified, e.status,
  e.cohort_id, co.name AS cohort_name, e.created_at AS enrolled_at, e.last_activity_at, e.completed_at,
  cert.code AS certificate_code, cert.revoked_at AS certificate_revoked_at, `)
	sql.expr(percentExpr(q.required())).add(" AS percent, ").expr(doneExpr).add(" AS readings_done, ").
		add("CAST(? AS INTEGER) AS readings_required, ", q.required()).
		expr(q.sc.dueExpr()).add(" AS readings_due, ").expr(openedExpr).add(" AS readings_opened, ")
	sql.add("(CASE WHEN ").expr(q.sc.atRiskExpr(q.cutoff())).add(" THEN 1 ELSE 0 END) AS at_risk, ")
	if q.textSort() {
		sql.expr(q.sortKey()).add(" AS sort_text")
	} else {
		sql.add("'' AS sort_text")
	}
	if len(q.checks) > 0 {
		sql.add(",\n  COALESCE(cr.check_id, 0) AS check_id, " + fmt.Sprintf(checkScoreColumns, "check_"))
	}
	if pageFirst {
		sql.add("\nFROM page pg JOIN enrollments e ON e.id = pg.id")
	} else {
		sql.add("\nFROM enrollments e")
	}
	sql.add(`
JOIN users u ON u.id = e.user_id
JOIN cohorts co ON co.id = e.cohort_id
LEFT JOIN certificates cert ON cert.enrollment_id = e.id
`)
	if pageFirst {
		sql.expr(s.pageProgressJoin(q.courseID))
		q.order(sql)
		return sql
	}
	sql.expr(s.progressJoin(q.courseID))
	if len(q.checks) > 0 {
		sql.add("\nLEFT JOIN check_results cr ON cr.enrollment_id = e.id AND cr.check_id IN ?", q.checks)
	}
	sql.add("\nWHERE e.course_id = ?", q.courseID)
	q.filters(sql)
	if paged && q.cursor != nil {
		q.keyset(sql)
	}
	q.order(sql)
	if paged {
		sql.add("\nLIMIT ?", q.f.Limit+1)
	}
	return sql
}

// pageFirst reports whether the filter and sort need no progress aggregate,
// so a page's rows can be picked before progress is aggregated.
func (q *rosterQuery) pageFirst() bool {
	if q.f.Sort == "percent" {
		return false
	}
	return q.f.Segment == RosterSegmentAll || q.f.Segment == RosterSegmentCompleted
}

// order writes the ORDER BY clause: the sort key, then the id.
func (q *rosterQuery) order(sql *sqlText) {
	dir := q.direction()
	sql.add("\nORDER BY ").expr(q.sortKey()).add(" " + dir + ", e.id " + dir)
}

// direction is the SQL order of this query, flipped when paging backwards.
func (q *rosterQuery) direction() string {
	if q.f.Desc != q.reverse {
		return "DESC"
	}
	return "ASC"
}

func (q *rosterQuery) filters(sql *sqlText) {
	if q.f.CohortID != 0 {
		sql.add(" AND e.cohort_id = ?", q.f.CohortID)
	}
	switch q.f.Status {
	case RosterStatusAll:
	case RosterStatusLive:
		sql.add(" AND e.status <> ?", StatusWithdrawn)
	default:
		sql.add(" AND e.status = ?", q.f.Status)
	}
	switch q.f.Segment {
	case RosterSegmentNotStart:
		sql.add(" AND e.status = ? AND ", StatusActive).expr(openedExpr).add(" = 0")
	case RosterSegmentProgress:
		sql.add(" AND e.status = ? AND ", StatusActive).expr(openedExpr).add(" > 0")
	case RosterSegmentAtRisk:
		sql.add(" AND ").expr(q.sc.atRiskExpr(q.cutoff()))
	case RosterSegmentCompleted:
		sql.add(" AND e.status = ?", StatusCompleted)
	}
}

// keyset continues after (or before) the cursor's row.
func (q *rosterQuery) keyset(sql *sqlText) {
	op := ">"
	if q.direction() == "DESC" {
		op = "<"
	}
	key, v := q.sortKey(), q.cursor.value
	sql.add(" AND (").expr(key).add(" "+op+" ?", v).add(" OR (").expr(key).add(" = ?", v).
		add(" AND e.id "+op+" ?))", q.cursor.ID)
}

// CheckRosterFilter normalises a filter and checks it against the course,
// as Roster and StreamRoster will, so an export can refuse bad input before
// it starts streaming.
func (s *Store) CheckRosterFilter(ctx context.Context, course *Course, f *RosterFilter) error {
	if err := f.Normalize(); err != nil {
		return err
	}
	if f.CohortID == 0 {
		return nil
	}
	cohort, err := s.CohortByID(ctx, f.CohortID)
	if err == nil && cohort.CourseID != course.ID {
		err = ErrNotFound
	}
	if errors.Is(err, ErrNotFound) {
		return Invalid("cohort", "This cohort does not belong to the course.")
	}
	return err
}

// rosterScanRow is a roster row with the raw sort key and, in an export,
// one of the student's check results.
type rosterScanRow struct {
	RosterRow
	SortText         string
	CheckID          int64
	CheckAttempts    int
	CheckBestPercent int
	CheckPassed      bool
}

// Roster returns one page of a course's roster, with the class summary and
// the page's check scores, in a fixed number of queries whatever the number
// of students.
func (s *Store) Roster(ctx context.Context, course *Course, f RosterFilter) (*RosterPage, *RosterSummary, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	q, err := s.newRosterQuery(db, course, f)
	if err != nil {
		return nil, nil, err
	}
	sql := q.build(s, true)
	var rows []rosterScanRow
	if err := db.Raw(sql.String(), sql.args...).Scan(&rows).Error; err != nil {
		return nil, nil, fmt.Errorf("store: unable to load roster: %w", err)
	}
	page := q.page(rows)
	if err := s.addCheckScores(db, q, page); err != nil {
		return nil, nil, err
	}
	summary, err := s.rosterSummary(db, q)
	if err != nil {
		return nil, nil, err
	}
	return page, summary, nil
}

// page trims the look-ahead row, restores the display order and sets the
// neighbouring cursors.
func (q *rosterQuery) page(rows []rosterScanRow) *RosterPage {
	more := len(rows) > q.f.Limit
	if more {
		rows = rows[:q.f.Limit]
	}
	if q.reverse {
		slices.Reverse(rows)
	}
	p := &RosterPage{RequiredReadings: q.required(), Rows: make([]RosterRow, len(rows))}
	for i := range rows {
		p.Rows[i] = rows[i].RosterRow
	}
	if len(rows) == 0 {
		return p
	}
	if more || q.reverse {
		p.Next = q.cursorFor(&rows[len(rows)-1]).encode()
	}
	if q.cursor != nil && (!q.reverse || more) {
		p.Prev = q.cursorFor(&rows[0]).encode()
	}
	return p
}
