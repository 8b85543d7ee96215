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
	// walk makes a page walk the people in the sort key's order (SQLite,
	// whose planner would rather sort the class; see walkSortIndex); people
	// is how many there are, read with the summary on SQLite.
	walk   bool
	people int64
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
// first (buildPage), so a page costs the same whatever the size of the class.
func (q *rosterQuery) build(s *Store, paged bool) *sqlText {
	if paged && q.pageFirst() {
		return q.buildPage(s)
	}
	sql := &sqlText{}
	q.columns(sql, "u")
	if q.textSort() {
		sql.expr(q.sortKey()).add(" AS sort_text")
	} else {
		sql.add("'' AS sort_text")
	}
	if len(q.checks) > 0 {
		sql.add(",\n  COALESCE(cr.check_id, 0) AS check_id, " + fmt.Sprintf(checkScoreColumns, "check_"))
	}
	sql.add(`
FROM enrollments e
JOIN users u ON u.id = e.user_id
JOIN cohorts co ON co.id = e.cohort_id
LEFT JOIN certificates cert ON cert.enrollment_id = e.id
`)
	sql.expr(s.progressJoin(q.courseID))
	if len(q.checks) > 0 {
		sql.add("\nLEFT JOIN check_results cr ON cr.enrollment_id = e.id AND cr.check_id IN ?", q.checks)
	}
	sql.add("\nWHERE e.course_id = ?", q.courseID)
	q.filters(sql)
	if paged && q.cursor != nil {
		q.keyset(sql)
	}
	q.order(sql, q.sortKey())
	if paged {
		sql.add("\nLIMIT ?", q.f.Limit+1)
	}
	return sql
}

// buildPage writes a page whose rows are picked by the sort key alone: the
// page CTE takes the enrollment and person columns of the page's rows, in
// order, and stops after the page (walking the sort key's index where the
// database can); cohorts, certificates and progress are then joined to
// those rows only, through their indexes.
func (q *rosterQuery) buildPage(s *Store) *sqlText {
	sql := &sqlText{}
	sql.add(`WITH page AS (SELECT e.id, e.user_id, e.status, e.cohort_id, e.created_at, e.activated_at,
  e.last_activity_at, e.completed_at, u.full_name, u.email, u.reminders_opt_out, u.email_verified_at, `).
		expr(q.sortKey()).add(" AS sort_key\n")
	if q.walk {
		// SQLite keeps the written join order after CROSS JOIN: the
		// people in the sort key's order, each looked up in the course.
		sql.add("FROM users u CROSS JOIN enrollments e\nWHERE e.user_id = u.id AND e.course_id = ?", q.courseID)
	} else {
		sql.add("FROM enrollments e JOIN users u ON u.id = e.user_id\nWHERE e.course_id = ?", q.courseID)
	}
	q.filters(sql)
	if q.cursor != nil {
		q.keyset(sql)
	}
	q.order(sql, q.sortKey())
	sql.add(" LIMIT ?)\n", q.f.Limit+1)
	q.columns(sql, "e")
	if q.textSort() {
		sql.add("e.sort_key AS sort_text")
	} else {
		sql.add("'' AS sort_text")
	}
	sql.add(`
FROM page e
JOIN cohorts co ON co.id = e.cohort_id
LEFT JOIN certificates cert ON cert.enrollment_id = e.id
`).expr(s.pageProgressJoin(q.courseID))
	q.order(sql, sqlExpr{sql: "e.sort_key"})
	return sql
}

// columns writes the select list up to the sort key, with the person's
// columns read from the alias user.
func (q *rosterQuery) columns(sql *sqlText, user string) {
	sql.add(`SELECT e.id AS enrollment_id, e.user_id, ` + user + `.full_name, ` + user + `.email, ` + user + `.reminders_opt_out,
  ` + user + `.email_verified_at IS NOT NULL AS email_verified, e.status,
  e.cohort_id, co.name AS cohort_name, e.created_at AS enrolled_at, e.last_activity_at, e.completed_at,
  cert.code AS certificate_code, cert.revoked_at AS certificate_revoked_at, `)
	sql.expr(percentExpr(q.required())).add(" AS percent, ").expr(doneExpr).add(" AS readings_done, ").
		add("CAST(? AS INTEGER) AS readings_required, ", q.required()).
		expr(q.sc.dueExpr()).add(" AS readings_due, ").expr(openedExpr).add(" AS readings_opened, ")
	sql.add("(CASE WHEN ").expr(q.sc.atRiskExpr(q.cutoff())).add(" THEN 1 ELSE 0 END) AS at_risk, ")
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
func (q *rosterQuery) order(sql *sqlText, key sqlExpr) {
	dir := q.direction()
	sql.add("\nORDER BY ").expr(key).add(" " + dir + ", e.id " + dir)
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
	// The bound alone lets the database start its walk of the key's
	// index at the cursor instead of filtering the rows before it.
	sql.add(" AND ").expr(key).add(" "+op+"= ?", v)
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
	summary, err := s.rosterSummary(db, q)
	if err != nil {
		return nil, nil, err
	}
	q.walk = s.walkSortIndex(q, summary)
	sql := q.build(s, true)
	rows, sortTexts, err := queryRosterPage(db, q, sql)
	if err != nil {
		return nil, nil, err
	}
	page := q.page(rows, sortTexts)
	if err := s.addCheckScores(db, q, page); err != nil {
		return nil, nil, err
	}
	return page, summary, nil
}

// walkSortIndex decides, on SQLite, whether a page sorted by name or email
// walks the people in that order (their index on the key), looking each up
// in the course, rather than sorting the matching students. SQLite's planner
// does not count the walk's early stop at the page's end, so it always
// sorts; the walk reads about limit × people / matching rows, sorting reads
// the matching ones, so the walk wins when matching² > limit × people. The
// matching students are estimated from the kept counts and the people are
// counted with them; PostgreSQL decides from its own statistics.
func (s *Store) walkSortIndex(q *rosterQuery, sum *RosterSummary) bool {
	if s.dialect != SQLite || (q.f.Sort != "name" && q.f.Sort != "email") || !q.pageFirst() {
		return false
	}
	matching := int64(q.matching(sum))
	return matching*matching > int64(q.f.Limit+1)*q.people
}

// matching estimates from the kept counts how many students the filter's
// status and segment select.
func (q *rosterQuery) matching(sum *RosterSummary) int {
	c := &sum.Total
	for i := range sum.Cohorts {
		if sum.Cohorts[i].CohortID == q.f.CohortID {
			c = &sum.Cohorts[i]
		}
	}
	if q.f.Segment == RosterSegmentCompleted {
		return c.Completed
	}
	switch q.f.Status {
	case StatusActive:
		return c.Active
	case StatusWaitlisted:
		return c.Waitlisted
	case StatusCompleted:
		return c.Completed
	case StatusWithdrawn:
		return c.Withdrawn
	case RosterStatusAll:
		return c.Total + c.Withdrawn
	}
	return c.Total
}

// page trims the look-ahead row, restores the display order and sets the
// neighbouring cursors; sortTexts are the rows' sort texts.
func (q *rosterQuery) page(rows []RosterRow, sortTexts []string) *RosterPage {
	more := len(rows) > q.f.Limit
	if more {
		rows, sortTexts = rows[:q.f.Limit], sortTexts[:q.f.Limit]
	}
	if q.reverse {
		slices.Reverse(rows)
		slices.Reverse(sortTexts)
	}
	p := &RosterPage{RequiredReadings: q.required(), Rows: rows}
	if len(rows) == 0 {
		return p
	}
	last := len(rows) - 1
	if more || q.reverse {
		p.Next = q.cursorFor(&rows[last], sortTexts[last]).encode()
	}
	if q.cursor != nil && (!q.reverse || more) {
		p.Prev = q.cursorFor(&rows[0], sortTexts[0]).encode()
	}
	return p
}
