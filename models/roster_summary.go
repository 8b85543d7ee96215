package models

import (
	"fmt"

	"gorm.io/gorm"
)

// rosterSummary counts the course's students per cohort in one grouped
// query; every cohort of the course appears, even an empty one.
func (s *Store) rosterSummary(db *gorm.DB, q *rosterQuery) (*RosterSummary, error) {
	sql := &sqlText{}
	sql.add(`SELECT e.cohort_id,
  SUM(CASE WHEN e.status <> ? THEN 1 ELSE 0 END) AS total,
  SUM(CASE WHEN e.status = ? THEN 1 ELSE 0 END) AS active,
  SUM(CASE WHEN e.status = ? THEN 1 ELSE 0 END) AS waitlisted,
  SUM(CASE WHEN e.status = ? THEN 1 ELSE 0 END) AS completed,
  SUM(CASE WHEN e.status = ? THEN 1 ELSE 0 END) AS withdrawn,
  SUM(CASE WHEN e.status = ? AND `, StatusWithdrawn, StatusActive, StatusWaitlisted, StatusCompleted, StatusWithdrawn, StatusActive)
	sql.expr(openedExpr).add(" = 0 THEN 1 ELSE 0 END) AS not_started,\n  SUM(CASE WHEN ").
		expr(q.sc.atRiskExpr(q.cutoff())).add(" THEN 1 ELSE 0 END) AS at_risk\nFROM enrollments e\n").
		expr(s.progressJoin(q.courseID)).add("\nWHERE e.course_id = ? GROUP BY e.cohort_id", q.courseID)
	var counts []CohortSummary
	if err := db.Raw(sql.String(), sql.args...).Scan(&counts).Error; err != nil {
		return nil, fmt.Errorf("store: unable to count the roster: %w", err)
	}
	sum := &RosterSummary{}
	for _, c := range q.sc.cohorts {
		cs := CohortSummary{CohortID: c.ID}
		for _, n := range counts {
			if n.CohortID == c.ID {
				cs = n
			}
		}
		cs.CohortName, cs.Pacing = c.Name, c.Pacing
		sum.Cohorts = append(sum.Cohorts, cs)
		sum.Total.add(&cs)
	}
	return sum, nil
}

func (t *CohortSummary) add(c *CohortSummary) {
	t.Total += c.Total
	t.Active += c.Active
	t.Waitlisted += c.Waitlisted
	t.Completed += c.Completed
	t.Withdrawn += c.Withdrawn
	t.NotStarted += c.NotStarted
	t.AtRisk += c.AtRisk
}
