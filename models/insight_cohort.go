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
// counts, in three small queries whatever the class size: the cohort's
// counts by status (cohort_counts), the funnel's readings with their
// counters, and the weekly activity.
func (s *Store) CohortInsight(ctx context.Context, course *Course, cohort *Cohort) (*CohortInsight, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	out := &CohortInsight{Cohort: cohort}
	var counts struct {
		Seated    int
		Certified int
	}
	err := db.Raw(`SELECT active + completed + withdrawn AS seated, completed AS certified
FROM cohort_counts WHERE cohort_id = ?`, cohort.ID).Scan(&counts).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to count the cohort: %w", err)
	}
	out.Students = counts.Seated
	if err := out.addFunnel(db, course.ID, counts.Certified); err != nil {
		return nil, err
	}
	return out, out.addWeeks(db, s.clock.Now())
}

// addFunnel lists, after joining, who opened and who completed each
// required reading in the order of the weeks (summing the counters' shards
// per reading), then the certificates.
func (c *CohortInsight) addFunnel(db *gorm.DB, courseID int64, certified int) error {
	var readings []funnelReading
	err := db.Raw(`SELECT r.slug, r.title, w.number,
  COALESCE((SELECT SUM(s.readers) FROM reading_stops s WHERE s.cohort_id = ? AND s.reading_id = r.id), 0) AS opened,
  COALESCE((SELECT SUM(d.readers) FROM reading_completions d WHERE d.cohort_id = ? AND d.reading_id = r.id), 0) AS completed
FROM readings r JOIN weeks w ON w.id = r.week_id
WHERE r.course_id = ? AND r.required = ? AND r.published = ? ORDER BY w.number, r.position, r.id`,
		c.Cohort.ID, c.Cohort.ID, courseID, true, true).Scan(&readings).Error
	if err != nil {
		return fmt.Errorf("store: unable to load the funnel: %w", err)
	}
	c.Funnel = append(c.Funnel, FunnelStep{Step: StepJoined, Students: c.Students})
	for _, r := range readings {
		c.Funnel = append(c.Funnel,
			FunnelStep{Step: StepOpened, Students: r.Opened, Week: r.Number, Title: r.Title, Reading: r.Slug},
			FunnelStep{Step: StepCompleted, Students: r.Completed, Week: r.Number, Title: r.Title, Reading: r.Slug})
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
// active week), with the students active in each.
func (c *CohortInsight) addWeeks(db *gorm.DB, now time.Time) error {
	var rows []struct {
		Week     int
		Students int
	}
	if err := db.Raw("SELECT week, students FROM cohort_weekly_active WHERE cohort_id = ?", c.Cohort.ID).
		Scan(&rows).Error; err != nil {
		return fmt.Errorf("store: unable to load weekly activity: %w", err)
	}
	first, last := epochWeek(c.Cohort.StartsAt), epochWeek(now)
	active := map[int]int{}
	for _, r := range rows {
		active[r.Week] += r.Students
		first, last = min(first, r.Week), max(last, r.Week)
	}
	first = max(first, last-maxActiveWeeks+1)
	for w := first; w <= last; w++ {
		c.Weeks = append(c.Weeks, ActiveWeek{Monday: mondayOf(w), Students: active[w]})
	}
	return nil
}
