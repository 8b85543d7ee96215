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
	var c Cohort
	if err := s.readRow(ctx, "cohort", cohortByIDQuery, []any{id}, c.dests()...); err != nil {
		return nil, err
	}
	return &c, nil
}

// cohortColumns are every column of the cohorts table, in the order of
// Cohort.dests.
const cohortColumns = "id, course_id, name, starts_at, enroll_opens_at, enroll_closes_at, capacity, seats_taken, pacing, created_at"

var cohortByIDQuery = "SELECT " + cohortColumns + " FROM cohorts WHERE id = ?"

// dests are the cohort's fields in the order of cohortColumns.
func (c *Cohort) dests() []any {
	return []any{&c.ID, &c.CourseID, &c.Name, &c.StartsAt, &c.EnrollOpensAt, &c.EnrollClosesAt, &c.Capacity,
		&c.SeatsTaken, &c.Pacing, &c.CreatedAt}
}

// validateSeating checks what every cohort keeps, however it is saved: a
// known pacing and, when seats are limited, at least one seat.
func validateSeating(pacing string, capacity *int) error {
	if pacing != PacingScheduled && pacing != PacingSelfPaced {
		return Invalid("pacing", "Pacing must be scheduled or self-paced.")
	}
	if capacity != nil && *capacity < 1 {
		return Invalid("capacity", "Capacity must be at least 1, or empty for unlimited.")
	}
	return nil
}

// CreateCohort stores a new cohort.
func (s *Store) CreateCohort(ctx context.Context, c *Cohort) error {
	if err := validateSeating(c.Pacing, c.Capacity); err != nil {
		return err
	}
	c.CreatedAt = s.clock.Now()
	db, cancel := s.conn(ctx)
	defer cancel()
	if err := db.Create(c).Error; err != nil {
		return fmt.Errorf("store: unable to create cohort: %w", err)
	}
	return nil
}

// ConsoleCohort is a cohort with the size of its waitlist and of its
// completed group.
type ConsoleCohort struct {
	Cohort
	Waitlisted int
	Completed  int
}

// CohortsOf lists a course's cohorts, newest start first, in one query.
func (s *Store) CohortsOf(ctx context.Context, courseID int64) ([]*ConsoleCohort, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	var rows []*ConsoleCohort
	err := db.Table("cohorts").Select(`cohorts.*,
  (SELECT COUNT(*) FROM enrollments e WHERE e.cohort_id = cohorts.id AND e.status = ?) AS waitlisted,
  (SELECT COUNT(*) FROM enrollments e WHERE e.cohort_id = cohorts.id AND e.status = ?) AS completed`,
		StatusWaitlisted, StatusCompleted).
		Where("course_id = ?", courseID).Order("starts_at DESC, id DESC").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to list cohorts: %w", err)
	}
	return rows, nil
}

// CohortInput is what the cohort form submits. A nil capacity is unlimited.
type CohortInput struct {
	Name           string
	StartsAt       time.Time
	EnrollOpensAt  *time.Time
	EnrollClosesAt *time.Time
	Capacity       *int
	Pacing         string
}

func (in CohortInput) validate() error {
	if err := validateText("name", "The name", in.Name, true, 200); err != nil {
		return err
	}
	if in.EnrollOpensAt != nil && in.EnrollClosesAt != nil && !in.EnrollClosesAt.After(*in.EnrollOpensAt) {
		return Invalid("enroll_closes_at", "Enrollment must close after it opens.")
	}
	return nil
}

// CreateCohortFor adds a cohort to a course and records it.
func (s *Store) CreateCohortFor(ctx context.Context, actorID int64, c *Course, in CohortInput) (*Cohort, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	k := &Cohort{CourseID: c.ID, Name: in.Name, StartsAt: in.StartsAt, EnrollOpensAt: in.EnrollOpensAt,
		EnrollClosesAt: in.EnrollClosesAt, Capacity: in.Capacity, Pacing: in.Pacing}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := s.within(tx).CreateCohort(ctx, k); err != nil {
			return err
		}
		return s.audit(tx, actorID, "cohort.create", cohortTarget(c, k.ID), "“"+k.Name+"”, capacity "+capacityText(k.Capacity))
	})
	if err != nil {
		return nil, err
	}
	return k, nil
}

func capacityText(capacity *int) string {
	if capacity == nil {
		return "unlimited"
	}
	return fmt.Sprint(*capacity)
}

// UpdateCohort saves a cohort. Capacity may not drop below the seats taken
// (ErrCapacityTooLow); seats it adds go to the waitlist in order, in the same
// transaction. It returns the people promoted.
func (s *Store) UpdateCohort(ctx context.Context, actorID int64, c *Course, id int64, in CohortInput) ([]Enrollment, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	if err := validateSeating(in.Pacing, in.Capacity); err != nil {
		return nil, err
	}
	var promoted []Enrollment
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := s.lockCohort(tx, id); err != nil {
			return err
		}
		var cur Cohort
		if err := tx.Where("course_id = ?", c.ID).Take(&cur, id).Error; err != nil {
			return notFound(err)
		}
		if in.Capacity != nil && *in.Capacity < cur.SeatsTaken {
			return ErrCapacityTooLow
		}
		err := tx.Model(&Cohort{}).Where("id = ?", id).Updates(map[string]any{
			"name": in.Name, "starts_at": in.StartsAt, "enroll_opens_at": in.EnrollOpensAt,
			"enroll_closes_at": in.EnrollClosesAt, "capacity": in.Capacity, "pacing": in.Pacing,
		}).Error
		if err != nil {
			return fmt.Errorf("store: unable to update cohort: %w", err)
		}
		if promoted, err = s.fillFreeSeats(tx, id); err != nil {
			return err
		}
		for i := range promoted {
			if err := s.enqueuePromotionMail(tx, &promoted[i], c); err != nil {
				return err
			}
		}
		detail := "capacity " + capacityText(cur.Capacity) + " → " + capacityText(in.Capacity)
		if len(promoted) > 0 {
			detail += fmt.Sprintf("; %d promoted from the waitlist", len(promoted))
		}
		return s.audit(tx, actorID, "cohort.update", cohortTarget(c, id), detail)
	})
	if err != nil {
		return nil, err
	}
	return promoted, nil
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

// ConsoleMember is an enrollment with the person's name and email.
type ConsoleMember struct {
	Enrollment
	FullName string
	Email    string
}

// CohortMembers lists a cohort's enrollments of the given statuses in the
// order they arrived (the waitlist's order), a page at a time.
func (s *Store) CohortMembers(ctx context.Context, cohortID int64, statuses []string, limit, offset int) ([]ConsoleMember, int64, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	var total int64
	base := db.Table("enrollments").Where("enrollments.cohort_id = ? AND enrollments.status IN ?", cohortID, statuses)
	if err := base.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("store: unable to count cohort members: %w", err)
	}
	var rows []ConsoleMember
	err := base.Select("enrollments.*, users.full_name, users.email").
		Joins("JOIN users ON users.id = enrollments.user_id").
		Order("enrollments.id").Limit(limit).Offset(offset).Scan(&rows).Error
	if err != nil {
		return nil, 0, fmt.Errorf("store: unable to list cohort members: %w", err)
	}
	return rows, total, nil
}
