package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// maxActiveWeeks bounds the weekly activity chart.
const maxActiveWeeks = 52

// CohortInsight is a cohort's way through the course: the funnel from
// joining to the certificate, and its students active week by week.
type CohortInsight struct {
	Cohort   *Cohort
	Students int
	Funnel   []FunnelStep
	Weeks    []ActiveWeek
	// ReadingsDue counts the required readings whose week is open to the
	// cohort now (the funnel's readings), as the nudge list needs.
	ReadingsDue int
}

// The steps of the funnel, in order: joining, then opening and completing
// each required reading, then the certificate.
const (
	StepJoined      = "joined"
	StepOpened      = "opened"
	StepCompleted   = "completed"
	StepCertificate = "certificate"
)

// FunnelStep is one step of the funnel. It names the step by its kind and
// reading; the page words it in the reader's language.
type FunnelStep struct {
	Step     string
	Students int
	// Week, Title and Reading (its slug) are the step's reading; zero for
	// the first and last steps.
	Week    int
	Title   string
	Reading string
}

// ActiveWeek is one Monday-to-Sunday week and the students active in it.
type ActiveWeek struct {
	Monday   time.Time
	Students int
}

// Small reports a class too small for shares to stay anonymous.
func (c *CohortInsight) Small() bool { return c.Students < SmallCohort }

// Share is part as a whole percentage of the class.
func (c *CohortInsight) Share(part int) int { return sharePercent(part, c.Students) }

// funnelReading is a required reading as the funnel lists it, with the
// cohort's students who opened and who completed it.
type funnelReading struct {
	Slug      string
	Title     string
	Number    int
	Opened    int
	Completed int
}

// CohortInsight reads a cohort's funnel and weekly activity from the kept
// counts, in two small statements whatever the class size: the cohort's
// counts by status (cohort_counts) with its weekly activity, and the
// funnel's readings with their counters. The rows are scanned by hand.
func (s *Store) CohortInsight(ctx context.Context, course *Course, cohort *Cohort) (*CohortInsight, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	out := &CohortInsight{Cohort: cohort}
	now := s.clock.Now()
	certified, active, err := cohortActivity(db, cohort.ID)
	if err != nil {
		return nil, err
	}
	out.Students = certified.seated
	if err := out.addFunnel(db, course.ID, certified.completed, now); err != nil {
		return nil, err
	}
	out.addWeeks(active, now)
	return out, nil
}

// cohortSeats is a cohort's kept counts the insight reads: everyone who
// held a seat, and those who completed (and were certified).
type cohortSeats struct{ seated, completed int }

// cohortActivity reads a cohort's kept counts and its students active per
// week (epochWeek → students) in one statement, told apart by kind.
func cohortActivity(db *gorm.DB, cohortID int64) (cohortSeats, map[int]int, error) {
	rows, err := db.Raw(`SELECT 0 AS kind, active + completed + withdrawn AS a, completed AS b FROM cohort_counts WHERE cohort_id = ?
UNION ALL
SELECT 1, week, students FROM cohort_weekly_active WHERE cohort_id = ?`, cohortID, cohortID).Rows()
	if err != nil {
		return cohortSeats{}, nil, fmt.Errorf("store: unable to count the cohort: %w", err)
	}
	defer func() { _ = rows.Close() }()
	var seats cohortSeats
	active := map[int]int{}
	for rows.Next() {
		var kind, a, b int
		if err := rows.Scan(&kind, &a, &b); err != nil {
			return cohortSeats{}, nil, fmt.Errorf("store: unable to read the cohort's counts: %w", err)
		}
		if kind == 0 {
			seats = cohortSeats{seated: a, completed: b}
		} else {
			active[a] += b
		}
	}
	if err := rows.Err(); err != nil {
		return cohortSeats{}, nil, fmt.Errorf("store: unable to count the cohort: %w", err)
	}
	return seats, active, nil
}

// addFunnel lists, after joining, who opened and who completed each
// required reading in the order of the weeks (summing the counters' shards
// per reading), then the certificates; it counts the readings due at now.
func (c *CohortInsight) addFunnel(db *gorm.DB, courseID int64, certified int, now time.Time) error {
	rows, err := db.Raw(`SELECT r.slug, r.title, w.number,
  COALESCE((SELECT SUM(s.readers) FROM reading_stops s WHERE s.cohort_id = ? AND s.reading_id = r.id), 0) AS opened,
  COALESCE((SELECT SUM(d.readers) FROM reading_completions d WHERE d.cohort_id = ? AND d.reading_id = r.id), 0) AS completed
FROM readings r JOIN weeks w ON w.id = r.week_id
WHERE r.course_id = ? AND r.required = ? AND r.published = ? ORDER BY w.number, r.position, r.id`,
		c.Cohort.ID, c.Cohort.ID, courseID, true, true).Rows()
	if err != nil {
		return fmt.Errorf("store: unable to load the funnel: %w", err)
	}
	defer func() { _ = rows.Close() }()
	c.Funnel = append(c.Funnel, FunnelStep{Step: StepJoined, Students: c.Students})
	for rows.Next() {
		var r funnelReading
		if err := rows.Scan(&r.Slug, &r.Title, &r.Number, &r.Opened, &r.Completed); err != nil {
			return fmt.Errorf("store: unable to read the funnel: %w", err)
		}
		c.Funnel = append(c.Funnel,
			FunnelStep{Step: StepOpened, Students: r.Opened, Week: r.Number, Title: r.Title, Reading: r.Slug},
			FunnelStep{Step: StepCompleted, Students: r.Completed, Week: r.Number, Title: r.Title, Reading: r.Slug})
		if c.Cohort.WeekOpen(r.Number, now) {
			c.ReadingsDue++
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: unable to load the funnel: %w", err)
	}
	c.Funnel = append(c.Funnel, FunnelStep{Step: StepCertificate, Students: certified})
	return nil
}

// epochWeek numbers Monday-to-Sunday weeks from the Monday 1969-12-29.
func epochWeek(t time.Time) int { return (epochDay(t) + 3) / 7 }

// mondayOf is the first day of an epochWeek.
func mondayOf(week int) time.Time {
	return time.Unix(int64(week*7-3)*86400, 0).UTC()
}

// addWeeks lists the weeks from the cohort's start to now (or to its last
// active week), with the students active in each (by epochWeek).
func (c *CohortInsight) addWeeks(active map[int]int, now time.Time) {
	first, last := epochWeek(c.Cohort.StartsAt), epochWeek(now)
	for w := range active {
		first, last = min(first, w), max(last, w)
	}
	first = max(first, last-maxActiveWeeks+1)
	for w := first; w <= last; w++ {
		c.Weeks = append(c.Weeks, ActiveWeek{Monday: mondayOf(w), Students: active[w]})
	}
}
