package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// cohortCounts is one row of cohort_counts: a cohort's students by status
// and the active ones who have opened nothing yet, kept by the triggers of
// migration 15 in the transactions that change them.
type cohortCounts struct {
	CohortID   int64
	Active     int
	Waitlisted int
	Completed  int
	Withdrawn  int
	NotStarted int
}

// rosterSummary counts the course's students per cohort in one query: the
// kept counts (one row per cohort) and, since being at risk depends on the
// time, the students at risk counted now: the active students inactive
// since the cutoff, less those who completed what is due, found through the
// index of completed progress. Every cohort of the course appears, even an
// empty one.
func (s *Store) rosterSummary(db *gorm.DB, q *rosterQuery) (*RosterSummary, error) {
	sql := &sqlText{}
	sql.add(`SELECT cc.cohort_id, cc.active, cc.waitlisted, cc.completed, cc.withdrawn, cc.not_started,
  COALESCE(r.at_risk, 0) AS at_risk, `+s.peopleColumn()+` AS people
FROM cohort_counts cc JOIN cohorts co ON co.id = cc.cohort_id
LEFT JOIN (SELECT e.cohort_id, COUNT(*) AS at_risk FROM enrollments e
  LEFT JOIN (SELECT p.enrollment_id, COUNT(*) AS done FROM reading_progress p JOIN readings r ON r.id = p.reading_id
    WHERE p.completed_at IS NOT NULL AND r.course_id = ? AND r.required = ? AND r.published = ?
    GROUP BY p.enrollment_id) d ON d.enrollment_id = e.id
  WHERE e.course_id = ? AND e.status = ? AND `, q.courseID, true, true, q.courseID, StatusActive).
		expr(activityExpr).add(" < ? AND COALESCE(d.done, 0) < ", q.cutoff()).expr(q.sc.dueExpr()).
		add(` GROUP BY e.cohort_id) r ON r.cohort_id = cc.cohort_id
WHERE co.course_id = ?`, q.courseID)
	var counts []struct {
		CohortID                                                     int64
		Active, Waitlisted, Completed, Withdrawn, NotStarted, AtRisk int
		People                                                       int64
	}
	if err := db.Raw(sql.String(), sql.args...).Scan(&counts).Error; err != nil {
		return nil, fmt.Errorf("store: unable to count the roster: %w", err)
	}
	sum := &RosterSummary{}
	if len(counts) > 0 {
		q.people = counts[0].People
	}
	for _, c := range q.sc.cohorts {
		cs := CohortSummary{CohortID: c.ID, CohortName: c.Name, Pacing: c.Pacing}
		for _, n := range counts {
			if n.CohortID == c.ID {
				cs.Active, cs.Waitlisted, cs.Completed, cs.Withdrawn = n.Active, n.Waitlisted, n.Completed, n.Withdrawn
				cs.NotStarted, cs.AtRisk, cs.Total = n.NotStarted, n.AtRisk, n.Active+n.Waitlisted+n.Completed
			}
		}
		sum.Cohorts = append(sum.Cohorts, cs)
		sum.Total.add(&cs)
	}
	return sum, nil
}

// peopleColumn counts the people on SQLite, for walkSortIndex; PostgreSQL
// needs no count.
func (s *Store) peopleColumn() string {
	if s.dialect == SQLite {
		return "(SELECT COUNT(*) FROM users)"
	}
	return "0"
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

// countsFromScratch computes every cohort's counts from the enrollments and
// the progress, as the kept counts should be.
func countsFromScratch(db *gorm.DB) ([]cohortCounts, error) {
	var counts []cohortCounts
	err := db.Raw(`SELECT co.id AS cohort_id,
  SUM(CASE WHEN e.status = ? THEN 1 ELSE 0 END) AS active,
  SUM(CASE WHEN e.status = ? THEN 1 ELSE 0 END) AS waitlisted,
  SUM(CASE WHEN e.status = ? THEN 1 ELSE 0 END) AS completed,
  SUM(CASE WHEN e.status = ? THEN 1 ELSE 0 END) AS withdrawn,
  SUM(CASE WHEN e.status = ? AND NOT EXISTS (SELECT 1 FROM reading_progress p WHERE p.enrollment_id = e.id)
    THEN 1 ELSE 0 END) AS not_started
FROM cohorts co LEFT JOIN enrollments e ON e.cohort_id = co.id
GROUP BY co.id ORDER BY co.id`, StatusActive, StatusWaitlisted, StatusCompleted, StatusWithdrawn, StatusActive).
		Scan(&counts).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to recount the roster: %w", err)
	}
	return counts, nil
}

// keptCounts reads cohort_counts, in cohort order.
func keptCounts(db *gorm.DB) ([]cohortCounts, error) {
	var counts []cohortCounts
	err := db.Raw(`SELECT cohort_id, active, waitlisted, completed, withdrawn, not_started
FROM cohort_counts ORDER BY cohort_id`).Scan(&counts).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to read the roster counts: %w", err)
	}
	return counts, nil
}

// RepairRosterCounts recomputes every cohort's kept counts from the
// enrollments and the progress, and returns how many cohorts were wrong:
// for after rows were changed by hand, outside the portal. On PostgreSQL
// the enrollments and the progress are locked against writes meanwhile.
func (s *Store) RepairRosterCounts(ctx context.Context) (int, error) {
	fixed := 0
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if s.dialect == Postgres {
			if err := tx.Exec("LOCK TABLE enrollments, reading_progress, cohort_counts IN SHARE ROW EXCLUSIVE MODE").Error; err != nil {
				return fmt.Errorf("store: unable to lock the roster: %w", err)
			}
		}
		want, err := countsFromScratch(tx)
		if err != nil {
			return err
		}
		have, err := keptCounts(tx)
		if err != nil {
			return err
		}
		kept := map[int64]cohortCounts{}
		for _, c := range have {
			kept[c.CohortID] = c
		}
		for _, c := range want {
			if k, ok := kept[c.CohortID]; ok && k == c {
				continue
			}
			fixed++
			if err := tx.Exec("DELETE FROM cohort_counts WHERE cohort_id = ?", c.CohortID).Error; err != nil {
				return fmt.Errorf("store: unable to repair the roster counts: %w", err)
			}
			if err := tx.Exec(`INSERT INTO cohort_counts (cohort_id, active, waitlisted, completed, withdrawn, not_started)
VALUES (?, ?, ?, ?, ?, ?)`, c.CohortID, c.Active, c.Waitlisted, c.Completed, c.Withdrawn, c.NotStarted).Error; err != nil {
				return fmt.Errorf("store: unable to repair the roster counts: %w", err)
			}
		}
		return nil
	})
	return fixed, err
}
