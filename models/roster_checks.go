package models

import (
	"context"
	"fmt"
	"slices"

	"gorm.io/gorm"
)

// RosterCheck is a published reading of a course that has a knowledge
// check: one group of the roster's check columns.
type RosterCheck struct {
	CheckID      int64
	ReadingID    int64
	ReadingSlug  string
	ReadingTitle string
	Week         int
	PassPercent  int
}

// CheckScore is a student's standing on one check of the roster; the zero
// value is a check not taken yet.
type CheckScore struct {
	Attempts    int
	BestPercent int
	Passed      bool
}

// Taken reports whether the student made any attempt.
func (c CheckScore) Taken() bool { return c.Attempts > 0 }

// rosterChecksSQL lists a course's checked readings in syllabus order;
// joins is where a caller adds its results.
func rosterChecksSQL(courseID int64, columns string, joins sqlExpr) *sqlText {
	sql := &sqlText{}
	sql.add(`SELECT k.id AS check_id, r.id AS reading_id, r.slug AS reading_slug, r.title AS reading_title,
  w.number AS week, k.pass_percent` + columns + `
FROM checks k
JOIN readings r ON r.id = k.reading_id
JOIN weeks w ON w.id = r.week_id`)
	sql.expr(joins)
	sql.add("\nWHERE r.course_id = ? AND r.published = ?\nORDER BY w.number, r.position, r.id", courseID, true)
	return sql
}

// RosterChecks lists the course's published readings that have a check, in
// syllabus order: the check columns of a roster export.
func (s *Store) RosterChecks(ctx context.Context, courseID int64) ([]RosterCheck, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	sql := rosterChecksSQL(courseID, "", sqlExpr{})
	var checks []RosterCheck
	if err := db.Raw(sql.String(), sql.args...).Scan(&checks).Error; err != nil {
		return nil, fmt.Errorf("store: unable to list the course's checks: %w", err)
	}
	return checks, nil
}

// checkScoreColumns read one check_results row (cr) as a CheckScore, zero
// when the outer join found none.
const checkScoreColumns = `COALESCE(cr.attempts, 0) AS %[1]sattempts, COALESCE(cr.best_percent, 0) AS %[1]sbest_percent,
  (CASE WHEN cr.passed_at IS NULL THEN 0 ELSE 1 END) AS %[1]spassed`

// addCheckScores lists the course's checks and fills each row of the page
// with its scores, in one query over the page's enrollments only; none when
// the page is empty or the course has no check.
func (s *Store) addCheckScores(db *gorm.DB, q *rosterQuery, p *RosterPage) error {
	courseID := q.courseID
	if len(p.Rows) == 0 || q.sc.checked[courseID] == 0 {
		return nil
	}
	ids := make([]int64, len(p.Rows))
	for i := range p.Rows {
		ids[i] = p.Rows[i].EnrollmentID
	}
	sql := rosterChecksSQL(courseID, ", COALESCE(cr.enrollment_id, 0) AS enrollment_id, "+fmt.Sprintf(checkScoreColumns, ""),
		sqlExpr{sql: "\nLEFT JOIN check_results cr ON cr.check_id = k.id AND cr.enrollment_id IN ?", args: []any{ids}})
	// A result per check and student of the page who took it, or one
	// without a student for a check nobody on the page took.
	type result struct {
		RosterCheck
		enrollmentID int64
		score        CheckScore
	}
	found, err := queryRows(db, sql, "check scores", func(f *result) []any {
		return []any{&f.CheckID, &f.ReadingID, &f.ReadingSlug, &f.ReadingTitle, &f.Week, &f.PassPercent, &f.enrollmentID,
			&f.score.Attempts, &f.score.BestPercent, &f.score.Passed}
	})
	if err != nil {
		return err
	}
	at := make([]int, len(found)) // each result's check, in p.Checks
	for i, f := range found {
		if len(p.Checks) == 0 || p.Checks[len(p.Checks)-1].CheckID != f.CheckID {
			p.Checks = append(p.Checks, f.RosterCheck)
		}
		at[i] = len(p.Checks) - 1
	}
	// Every row has a score, taken or not, on each check: one array
	// holds them all.
	n := len(p.Checks)
	if n == 0 {
		return nil
	}
	scores := make([]CheckScore, n*len(p.Rows))
	for i := range p.Rows {
		p.Rows[i].Checks = scores[i*n : (i+1)*n : (i+1)*n]
	}
	for k, f := range found {
		if i := slices.Index(ids, f.enrollmentID); i >= 0 {
			p.Rows[i].Checks[at[k]] = f.score
		}
	}
	return nil
}
