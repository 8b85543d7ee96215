package models

import (
	"fmt"
	"maps"
	"slices"

	"gorm.io/gorm"
)

// standingRow is one row of roster_standing (migration 16): where an active
// enrollment stands for the at-risk count, its cohort, the required
// published readings it completed and the UTC day of its last activity.
type standingRow struct {
	EnrollmentID int64
	CohortID     int64
	Done         int
	Day          int64
}

// standingKey is one count of roster_standing_counts, its shards summed.
type standingKey struct {
	CohortID int64
	Done     int
	Day      int64
}

// dayExpr is the UTC day, as the triggers keep it, of a timestamp column.
func (s *Store) dayExpr(column string) string {
	if s.dialect == Postgres {
		return "insight_day(" + column + ")"
	}
	return "CAST(julianday(" + column + ") - 2440587.5 AS INTEGER)"
}

// standingFromScratch computes every active enrollment's standing from the
// enrollments, the readings and the progress, as the triggers keep it.
func (s *Store) standingFromScratch(db *gorm.DB) ([]standingRow, error) {
	var rows []standingRow
	err := db.Raw(`SELECT e.id AS enrollment_id, e.cohort_id,
  (SELECT COUNT(*) FROM reading_progress p JOIN readings r ON r.id = p.reading_id
   WHERE p.enrollment_id = e.id AND p.completed_at IS NOT NULL AND r.course_id = e.course_id
     AND r.required = ? AND r.published = ?) AS done,
  `+s.dayExpr("COALESCE(e.last_activity_at, e.activated_at, e.created_at)")+` AS day
FROM enrollments e WHERE e.status = ? ORDER BY e.id`, true, true, StatusActive).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to recount the roster standing: %w", err)
	}
	return rows, nil
}

// repairStanding rewrites the standing and the standing counts of every
// cohort where they differ from a recount, and returns those cohorts.
func (s *Store) repairStanding(tx *gorm.DB) (map[int64]bool, error) {
	want, err := s.standingFromScratch(tx)
	if err != nil {
		return nil, err
	}
	var have []standingRow
	if err := tx.Raw("SELECT enrollment_id, cohort_id, done, day FROM roster_standing").Scan(&have).Error; err != nil {
		return nil, fmt.Errorf("store: unable to read the roster standing: %w", err)
	}
	var keptCounts []struct {
		CohortID int64
		Done     int
		Day      int64
		Students int
	}
	if err := tx.Raw(`SELECT cohort_id, done, day, SUM(students) AS students FROM roster_standing_counts
GROUP BY cohort_id, done, day`).Scan(&keptCounts).Error; err != nil {
		return nil, fmt.Errorf("store: unable to read the roster standing: %w", err)
	}
	wrong := map[int64]bool{}
	kept := map[int64]standingRow{}
	for _, r := range have {
		kept[r.EnrollmentID] = r
	}
	counts := map[standingKey]int{}
	for _, r := range want {
		if k, ok := kept[r.EnrollmentID]; !ok || k != r {
			wrong[r.CohortID] = true
		}
		delete(kept, r.EnrollmentID)
		counts[standingKey{r.CohortID, r.Done, r.Day}]++
	}
	for _, r := range kept { // standing of enrollments no longer active
		wrong[r.CohortID] = true
	}
	for _, c := range keptCounts {
		k := standingKey{c.CohortID, c.Done, c.Day}
		if counts[k] != c.Students {
			wrong[c.CohortID] = true
		}
		delete(counts, k)
	}
	for k := range counts { // counts missing altogether
		wrong[k.CohortID] = true
	}
	for _, id := range slices.Sorted(maps.Keys(wrong)) {
		if err := s.rewriteStanding(tx, id, want); err != nil {
			return nil, err
		}
	}
	return wrong, nil
}

// rewriteStanding replaces one cohort's standing and counts with want's.
func (s *Store) rewriteStanding(tx *gorm.DB, cohortID int64, want []standingRow) error {
	fail := func(err error) error { return fmt.Errorf("store: unable to repair the roster standing: %w", err) }
	for _, table := range []string{"roster_standing", "roster_standing_counts"} {
		if err := tx.Exec("DELETE FROM "+table+" WHERE cohort_id = ?", cohortID).Error; err != nil {
			return fail(err)
		}
	}
	shards := map[standingKey]map[int64]int{}
	for _, r := range want {
		if r.CohortID != cohortID {
			continue
		}
		if err := tx.Exec("INSERT INTO roster_standing (enrollment_id, cohort_id, done, day) VALUES (?, ?, ?, ?)",
			r.EnrollmentID, r.CohortID, r.Done, r.Day).Error; err != nil {
			return fail(err)
		}
		k := standingKey{r.CohortID, r.Done, r.Day}
		if shards[k] == nil {
			shards[k] = map[int64]int{}
		}
		shards[k][s.standingShard(r.EnrollmentID)]++
	}
	for k, byShard := range shards {
		for shard, n := range byShard {
			if err := tx.Exec("INSERT INTO roster_standing_counts (cohort_id, done, day, shard, students) VALUES (?, ?, ?, ?, ?)",
				k.CohortID, k.Done, k.Day, shard, n).Error; err != nil {
				return fail(err)
			}
		}
	}
	return nil
}

// standingShard is the shard an enrollment's count is kept in: one of 16
// on PostgreSQL, so concurrent writers rarely share a row; SQLite writes
// one at a time and keeps shard 0.
func (s *Store) standingShard(enrollmentID int64) int64 {
	if s.dialect == Postgres {
		return enrollmentID % 16
	}
	return 0
}
