package models

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
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

// CohortInsight reads the cohort cohortID of the course with its funnel and
// weekly activity from the kept counts, in two small statements whatever
// the class size: the cohort with its counts by status (cohort_counts) and
// weekly activity, and the funnel's readings with their counters. The rows
// are scanned by hand. ErrNotFound when the course has no such cohort.
func (s *Store) CohortInsight(ctx context.Context, course *Course, cohortID int64) (*CohortInsight, error) {
	now := s.clock.Now()
	cohort, certified, active, err := s.cohortActivity(ctx, course.ID, cohortID)
	if err != nil {
		return nil, err
	}
	out := &CohortInsight{Cohort: cohort, Students: certified.seated}
	if err := s.addFunnel(ctx, out, course.ID, certified.completed, now); err != nil {
		return nil, err
	}
	out.addWeeks(active, now)
	return out, nil
}

// cohortSeats is a cohort's kept counts the insight reads: everyone who
// held a seat, and those who completed (and were certified).
type cohortSeats struct{ seated, completed int }

// The statements of cohortActivity: a cohort of a course with its kept
// counts, on PostgreSQL once on each row of its students active per week (a
// cohort without any has one row), on SQLite alone, its weeks apart.
var (
	cohortSeatsSelect = "SELECT " + qualified("co", cohortColumns) + `,
  COALESCE(cc.active + cc.completed + cc.withdrawn, 0), COALESCE(cc.completed, 0)`
	cohortSeatsFrom     = "FROM cohorts co LEFT JOIN cohort_counts cc ON cc.cohort_id = co.id"
	cohortSeatsWhere    = "WHERE co.id = ? AND co.course_id = ?"
	cohortActivityQuery = cohortSeatsSelect + ", w.week, w.students\n" + cohortSeatsFrom + "\nLEFT JOIN cohort_weekly_active w ON w.cohort_id = co.id\n" + cohortSeatsWhere
	cohortSeatsQuery    = cohortSeatsSelect + "\n" + cohortSeatsFrom + "\n" + cohortSeatsWhere
	cohortWeeklyQuery   = "SELECT week, students FROM cohort_weekly_active WHERE cohort_id = ?"
)

// cohortActivity reads a course's cohort, its kept counts and its students
// active per week (epochWeek → students); ErrNotFound when the course has
// no such cohort. PostgreSQL, a round trip away, reads them in one
// statement; SQLite runs in the process, where reading the cohort's columns
// again on every week's row (its times parsed from text each time) costs
// more than a second statement.
func (s *Store) cohortActivity(ctx context.Context, courseID, cohortID int64) (*Cohort, cohortSeats, map[int]int, error) {
	a := &cohortActivityRow{active: map[int]int{}}
	dests := append(a.cohort.dests(), &a.seats.seated, &a.seats.completed)
	args := []any{cohortID, courseID}
	var err error
	if s.dialect == SQLite {
		if err = s.readRow(ctx, "cohort", cohortSeatsQuery, args, dests...); err == nil {
			err = s.readRows(ctx, "the cohort's activity", cohortWeeklyQuery, []any{cohortID}, []any{&a.week, &a.students}, a.addWeek)
		}
	} else {
		found := false
		err = s.readRows(ctx, "the cohort's counts", cohortActivityQuery, args, append(dests, &a.week, &a.students), func() error {
			found = true
			return a.addWeek()
		})
		if err == nil && !found {
			err = ErrNotFound
		}
	}
	if err != nil {
		return nil, cohortSeats{}, nil, err
	}
	return &a.cohort, a.seats, a.active, nil
}

// cohortActivityRow is what cohortActivity reads, a row at a time.
type cohortActivityRow struct {
	cohort         Cohort
	seats          cohortSeats
	week, students pgtype.Int8
	active         map[int]int
}

// addWeek counts the row's week, if it has one (a cohort without active
// weeks has NULLs there).
func (a *cohortActivityRow) addWeek() error {
	if a.week.Valid && a.students.Valid {
		a.active[int(a.week.Int64)] += int(a.students.Int64)
	}
	return nil
}

// funnelQuery lists a course's required readings in the order of the
// weeks, with who in a cohort opened and who completed each (the counters'
// shards summed per reading).
const funnelQuery = `SELECT r.slug, r.title, w.number,
  COALESCE((SELECT SUM(s.readers) FROM reading_stops s WHERE s.cohort_id = ? AND s.reading_id = r.id), 0) AS opened,
  COALESCE((SELECT SUM(d.readers) FROM reading_completions d WHERE d.cohort_id = ? AND d.reading_id = r.id), 0) AS completed
FROM readings r JOIN weeks w ON w.id = r.week_id
WHERE r.course_id = ? AND r.required = ? AND r.published = ? ORDER BY w.number, r.position, r.id`

// addFunnel lists, after joining, who opened and who completed each
// required reading, then the certificates; it counts the readings due at
// now.
func (s *Store) addFunnel(ctx context.Context, c *CohortInsight, courseID int64, certified int, now time.Time) error {
	c.Funnel = append(c.Funnel, FunnelStep{Step: StepJoined, Students: c.Students})
	var r funnelReading
	args := []any{c.Cohort.ID, c.Cohort.ID, courseID, true, true}
	err := s.readRows(ctx, "the funnel", funnelQuery, args, []any{&r.Slug, &r.Title, &r.Number, &r.Opened, &r.Completed}, func() error {
		c.Funnel = append(c.Funnel,
			FunnelStep{Step: StepOpened, Students: r.Opened, Week: r.Number, Title: r.Title, Reading: r.Slug},
			FunnelStep{Step: StepCompleted, Students: r.Completed, Week: r.Number, Title: r.Title, Reading: r.Slug})
		if c.Cohort.WeekOpen(r.Number, now) {
			c.ReadingsDue++
		}
		return nil
	})
	if err != nil {
		return err
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
