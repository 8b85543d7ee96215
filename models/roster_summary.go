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

// rosterSummary counts the course's students per cohort in one query, from
// kept rows only: the counts by status (one row per cohort) and the
// students at risk now (roster_standing, migration 16): the counts of the
// days before the cutoff's day with fewer readings done than are due, and
// the students last active on the cutoff's day itself before the cutoff,
// counted one by one (the time of each looked up by its key: a join would
// have PostgreSQL scan every enrollment). Every cohort of the course
// appears, even an empty one.
func (s *Store) rosterSummary(db *gorm.DB, q *rosterQuery) (*RosterSummary, error) {
	cutoff := q.cutoff()
	due := q.sc.dueOf("cc.cohort_id")
	sql := &sqlText{}
	sql.add(`SELECT cc.cohort_id, cc.active, cc.waitlisted, cc.completed, cc.withdrawn, cc.not_started,
  COALESCE((SELECT SUM(k.students) FROM roster_standing_counts k
    WHERE k.cohort_id = cc.cohort_id AND k.day < ? AND k.done < `, epochDay(cutoff)).expr(due).add(`), 0)
  + (SELECT COUNT(*) FROM roster_standing t
    WHERE t.cohort_id = cc.cohort_id AND t.day = ? AND t.done < `, epochDay(cutoff)).expr(due).
		add(" AND (SELECT ").expr(activityExpr).add(` FROM enrollments e WHERE e.id = t.enrollment_id) < ?) AS at_risk, `+
		s.peopleColumn()+` AS people
FROM cohort_counts cc JOIN cohorts co ON co.id = cc.cohort_id
WHERE co.course_id = ?`, cutoff, q.courseID)
	counts, err := queryCohortCounts(db, sql, &q.people)
	if err != nil {
		return nil, err
	}
	sum := &RosterSummary{Cohorts: make([]CohortSummary, 0, len(q.sc.cohorts))}
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

// queryCohortCounts runs the summary's statement and reads its counts, and
// the people counted with them.
func queryCohortCounts(db *gorm.DB, stmt *sqlText, people *int64) ([]CohortSummary, error) {
	return queryRows(db, stmt, "the roster's counts", func(n *CohortSummary) []any {
		return []any{&n.CohortID, &n.Active, &n.Waitlisted, &n.Completed, &n.Withdrawn, &n.NotStarted, &n.AtRisk, people}
	})
}

// peopleColumn counts the people on SQLite, for walkSortIndex; PostgreSQL
// needs no count.
func (s *Store) peopleColumn() string {
	if s.dialect == SQLite {
		return "(SELECT COUNT(*) FROM users)"
	}
	return "0"
}

// utcDay is the day of t as the kept standing counts it: days since
// 1970-01-01 in UTC (the portal's times are all later).
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

// RepairRosterCounts recomputes every cohort's kept counts and standing
// (roster_standing.go) from the enrollments, the readings and the progress,
// and returns how many cohorts were wrong: for after rows were changed by
// hand, outside the portal. On PostgreSQL the tables it reads and writes
// are locked against writes meanwhile.
func (s *Store) RepairRosterCounts(ctx context.Context) (int, error) {
	fixed := 0
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if s.dialect == Postgres {
			if err := tx.Exec(`LOCK TABLE enrollments, readings, reading_progress, cohort_counts, roster_standing,
  roster_standing_counts IN SHARE ROW EXCLUSIVE MODE`).Error; err != nil {
				return fmt.Errorf("store: unable to lock the roster: %w", err)
			}
		}
		wrong, err := repairCohortCounts(tx)
		if err != nil {
			return err
		}
		standing, err := s.repairStanding(tx)
		if err != nil {
			return err
		}
		for id := range standing {
			wrong[id] = true
		}
		fixed = len(wrong)
		return nil
	})
	return fixed, err
}

// repairCohortCounts rewrites the cohort_counts rows that differ from a
// recount, and returns their cohorts.
func repairCohortCounts(tx *gorm.DB) (map[int64]bool, error) {
	want, err := countsFromScratch(tx)
	if err != nil {
		return nil, err
	}
	have, err := keptCounts(tx)
	if err != nil {
		return nil, err
	}
	kept := map[int64]cohortCounts{}
	for _, c := range have {
		kept[c.CohortID] = c
	}
	wrong := map[int64]bool{}
	for _, c := range want {
		if k, ok := kept[c.CohortID]; ok && k == c {
			continue
		}
		wrong[c.CohortID] = true
		if err := tx.Exec("DELETE FROM cohort_counts WHERE cohort_id = ?", c.CohortID).Error; err != nil {
			return nil, fmt.Errorf("store: unable to repair the roster counts: %w", err)
		}
		if err := tx.Exec(`INSERT INTO cohort_counts (cohort_id, active, waitlisted, completed, withdrawn, not_started)
VALUES (?, ?, ?, ?, ?, ?)`, c.CohortID, c.Active, c.Waitlisted, c.Completed, c.Withdrawn, c.NotStarted).Error; err != nil {
			return nil, fmt.Errorf("store: unable to repair the roster counts: %w", err)
		}
	}
	return wrong, nil
}
