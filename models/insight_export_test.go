package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// ReadingInsightFromProgress computes a reading's insight like
// ReadingInsight, but from the raw progress rows instead of the counters:
// what the tests compare the counters with.
func (s *Store) ReadingInsightFromProgress(ctx context.Context, course *Course, r *Reading, cohortID int64) (*ReadingInsight, error) {
	return s.readingInsight(ctx, course, r, cohortID, s.countsFromProgress)
}

// countsFromProgress groups the raw progress rows the way the counters do,
// and counts the scope's seats again from the enrollments.
func (s *Store) countsFromProgress(ctx context.Context, scope *insightScope, readingID int64) ([]readingStop, []completionCount, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	cohortIDs := scope.ids
	seated, err := seatedCount(db, cohortIDs)
	if err != nil {
		return nil, nil, fmt.Errorf("recount: %w", err)
	}
	scope.seated = seated
	var rows []struct {
		CohortID    int64
		Furthest    int
		SecondsRead int
		CompletedAt *time.Time
	}
	err = db.Raw(`SELECT e.cohort_id, p.furthest, p.seconds_read, p.completed_at
FROM reading_progress p JOIN enrollments e ON e.id = p.enrollment_id
WHERE e.cohort_id IN ? AND p.reading_id = ?`, cohortIDs, readingID).Scan(&rows).Error
	if err != nil {
		return nil, nil, fmt.Errorf("recount: %w", err)
	}
	type stopKey struct {
		cohort           int64
		furthest, minute int
	}
	type dayKey struct {
		cohort int64
		day    int
	}
	stops, days := map[stopKey]*readingStop{}, map[dayKey]*completionCount{}
	for _, r := range rows {
		k := stopKey{r.CohortID, r.Furthest, stopMinute(r.SecondsRead)}
		if stops[k] == nil {
			stops[k] = &readingStop{CohortID: k.cohort, Furthest: k.furthest, Minute: k.minute}
		}
		stops[k].Readers++
		if r.CompletedAt != nil {
			d := dayKey{r.CohortID, epochDay(*r.CompletedAt)}
			if days[d] == nil {
				days[d] = &completionCount{CohortID: d.cohort, Day: d.day}
			}
			days[d].Readers++
		}
	}
	var outStops []readingStop
	for _, v := range stops {
		outStops = append(outStops, *v)
	}
	var outDays []completionCount
	for _, v := range days {
		outDays = append(outDays, *v)
	}
	return outStops, outDays, nil
}

// ReadingStopRow is a counter row as the tests compare them.
type ReadingStopRow = readingStop

// StoredStops and RawStops are the counter rows of a reading in one cohort,
// kept and recounted, sorted the same way.
func (s *Store) StoredStops(ctx context.Context, cohortID, readingID int64) ([]ReadingStopRow, []completionCount, error) {
	return s.storedCounts(ctx, &insightScope{cohortID: cohortID, ids: []int64{cohortID}}, readingID)
}

// RawStops recounts the counter rows from the progress rows.
func (s *Store) RawStops(ctx context.Context, cohortID, readingID int64) ([]ReadingStopRow, []completionCount, error) {
	return s.countsFromProgress(ctx, &insightScope{cohortID: cohortID, ids: []int64{cohortID}}, readingID)
}

// seatedCount counts from the enrollments everyone who held a seat in the
// cohorts: what the kept counts are compared with.
func seatedCount(db *gorm.DB, cohortIDs []int64) (int, error) {
	var n int64
	err := db.Raw("SELECT COUNT(*) FROM enrollments WHERE cohort_id IN ? AND status IN ?", cohortIDs,
		[]string{StatusActive, StatusCompleted, StatusWithdrawn}).Scan(&n).Error
	if err != nil {
		return 0, fmt.Errorf("store: unable to count the cohort: %w", err)
	}
	return int(n), nil
}
