package models

import (
	"fmt"

	"gorm.io/gorm"
)

// rosterSummary counts the course's students per cohort in one grouped
// query; every cohort of the course appears, even an empty one. Progress is
// reduced to what the counts need, the completed required readings of each
// enrollment with any progress, so the class is read in one cheap pass.
func (s *Store) rosterSummary(db *gorm.DB, q *rosterQuery) (*RosterSummary, error) {
	sql := &sqlText{}
	sql.add(`SELECT e.cohort_id,
  SUM(CASE WHEN e.status <> ? THEN 1 ELSE 0 END) AS total,
  SUM(CASE WHEN e.status = ? THEN 1 ELSE 0 END) AS active,
  SUM(CASE WHEN e.status = ? THEN 1 ELSE 0 END) AS waitlisted,
  SUM(CASE WHEN e.status = ? THEN 1 ELSE 0 END) AS completed,
  SUM(CASE WHEN e.status = ? THEN 1 ELSE 0 END) AS withdrawn,
  SUM(CASE WHEN e.status = ? AND st.enrollment_id IS NULL THEN 1 ELSE 0 END) AS not_started,
  SUM(CASE WHEN e.status = ? AND `, StatusWithdrawn, StatusActive, StatusWaitlisted, StatusCompleted, StatusWithdrawn,
		StatusActive, StatusActive)
	sql.expr(activityExpr).add(" < ? AND COALESCE(st.done, 0) < ", q.cutoff()).expr(q.sc.dueExpr()).
		add(` THEN 1 ELSE 0 END) AS at_risk
FROM enrollments e
LEFT JOIN (SELECT p.enrollment_id,
    SUM(CASE WHEN r.required = ? AND r.published = ? AND p.completed_at IS NOT NULL THEN 1 ELSE 0 END) AS done
  FROM reading_progress p JOIN readings r ON r.id = p.reading_id
  WHERE r.course_id = ?
  GROUP BY p.enrollment_id) st ON st.enrollment_id = e.id
WHERE e.course_id = ? GROUP BY e.cohort_id`, true, true, q.courseID, q.courseID)
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
