package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

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
	if in.Pacing != PacingScheduled && in.Pacing != PacingSelfPaced {
		return nil, Invalid("pacing", "Pacing must be scheduled or self-paced.")
	}
	if in.Capacity != nil && *in.Capacity < 1 {
		return nil, Invalid("capacity", "Capacity must be at least 1, or empty for unlimited.")
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
