package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Pacing values.
const (
	PacingScheduled = "scheduled"
	PacingSelfPaced = "self-paced"
)

// Cohort is one run of a course.
type Cohort struct {
	ID             int64
	CourseID       int64
	Name           string
	StartsAt       time.Time
	EnrollOpensAt  *time.Time
	EnrollClosesAt *time.Time
	Capacity       *int
	SeatsTaken     int
	Pacing         string
	CreatedAt      time.Time
}

// EnrollmentOpen reports whether people can join at t.
func (c *Cohort) EnrollmentOpen(t time.Time) bool {
	if c.EnrollOpensAt != nil && t.Before(*c.EnrollOpensAt) {
		return false
	}
	return c.EnrollClosesAt == nil || t.Before(*c.EnrollClosesAt)
}

// WeekOpensAt is when week n opens: scheduled cohorts open week N N-1 weeks
// after the start; self-paced cohorts open everything at once.
func (c *Cohort) WeekOpensAt(n int) time.Time {
	if c.Pacing == PacingSelfPaced {
		return time.Time{}
	}
	return c.StartsAt.Add(time.Duration(n-1) * 7 * 24 * time.Hour)
}

// WeekOpen reports whether week n is open at t.
func (c *Cohort) WeekOpen(n int, t time.Time) bool { return !t.Before(c.WeekOpensAt(n)) }

// SeatsLeft is the number of free seats, or -1 when unlimited.
func (c *Cohort) SeatsLeft() int {
	if c.Capacity == nil {
		return -1
	}
	return max(0, *c.Capacity-c.SeatsTaken)
}

// OpenCohort is the cohort of a course that takes enrollments now: the most
// recently starting one whose window is open.
func (s *Store) OpenCohort(ctx context.Context, courseID int64) (*Cohort, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	return s.openCohort(db, courseID)
}

func (s *Store) openCohort(db *gorm.DB, courseID int64) (*Cohort, error) {
	now := s.clock.Now()
	var c Cohort
	err := db.Where("course_id = ?", courseID).
		Where("enroll_opens_at IS NULL OR enroll_opens_at <= ?", now).
		Where("enroll_closes_at IS NULL OR enroll_closes_at > ?", now).
		Order("starts_at DESC, id DESC").Take(&c).Error
	if err != nil {
		return nil, notFound(err)
	}
	return &c, nil
}

// CohortByID loads a cohort.
func (s *Store) CohortByID(ctx context.Context, id int64) (*Cohort, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	var c Cohort
	if err := db.Take(&c, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &c, nil
}

// CreateCohort stores a new cohort.
func (s *Store) CreateCohort(ctx context.Context, c *Cohort) error {
	if c.Pacing != PacingScheduled && c.Pacing != PacingSelfPaced {
		return Invalid("pacing", "Pacing must be scheduled or self-paced.")
	}
	if c.Capacity != nil && *c.Capacity < 1 {
		return Invalid("capacity", "Capacity must be at least 1, or empty for unlimited.")
	}
	c.CreatedAt = s.clock.Now()
	db, cancel := s.conn(ctx)
	defer cancel()
	if err := db.Create(c).Error; err != nil {
		return fmt.Errorf("store: unable to create cohort: %w", err)
	}
	return nil
}

// lockCohort serialises seat changes of one cohort. SQLite transactions are
// already exclusive (BEGIN IMMEDIATE), so only PostgreSQL needs a row lock.
func (s *Store) lockCohort(tx *gorm.DB, cohortID int64) error {
	if s.dialect != Postgres {
		return nil
	}
	var id int64
	if err := tx.Raw("SELECT id FROM cohorts WHERE id = ? FOR UPDATE", cohortID).Scan(&id).Error; err != nil {
		return fmt.Errorf("store: unable to lock cohort: %w", err)
	}
	return nil
}

// takeSeat claims a seat if one is free; the check constraint backs it up.
func takeSeat(tx *gorm.DB, cohortID int64) (bool, error) {
	res := tx.Exec("UPDATE cohorts SET seats_taken = seats_taken + 1 WHERE id = ? AND (capacity IS NULL OR seats_taken < capacity)", cohortID)
	if res.Error != nil {
		return false, fmt.Errorf("store: unable to take seat: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}

func releaseSeat(tx *gorm.DB, cohortID int64) error {
	if err := tx.Exec("UPDATE cohorts SET seats_taken = seats_taken - 1 WHERE id = ? AND seats_taken > 0", cohortID).Error; err != nil {
		return fmt.Errorf("store: unable to release seat: %w", err)
	}
	return nil
}

// fillFreeSeats gives free seats to the longest-waiting people, in order, and
// returns those promoted. Call it with the cohort locked.
func (s *Store) fillFreeSeats(tx *gorm.DB, cohortID int64) ([]Enrollment, error) {
	var promoted []Enrollment
	for {
		var next Enrollment
		err := tx.Where("cohort_id = ? AND status = ?", cohortID, StatusWaitlisted).Order("id").Take(&next).Error
		if notFound(err) == ErrNotFound {
			return promoted, nil
		}
		if err != nil {
			return nil, fmt.Errorf("store: unable to read waitlist: %w", err)
		}
		ok, err := takeSeat(tx, cohortID)
		if err != nil || !ok {
			return promoted, err
		}
		now := s.clock.Now()
		if err := tx.Model(&next).Updates(map[string]any{"status": StatusActive, "activated_at": now}).Error; err != nil {
			return nil, fmt.Errorf("store: unable to promote from waitlist: %w", err)
		}
		next.Status, next.ActivatedAt = StatusActive, &now
		promoted = append(promoted, next)
	}
}
