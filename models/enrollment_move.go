package models

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// MoveEnrollment moves a seated or waitlisted student to another cohort of
// the same course. A seated student needs a free seat there (ErrCohortFull
// otherwise) and their old seat goes to the old cohort's waitlist; a
// waitlisted student is seated in the new cohort if it has room, and refused
// when it is full, so nobody jumps a queue.
func (s *Store) MoveEnrollment(ctx context.Context, actorID int64, c *Course, enrollmentID, toCohortID int64) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		e, err := s.lockedEnrollment(tx, c, enrollmentID, toCohortID)
		if err != nil {
			return err
		}
		if e.CohortID == toCohortID {
			return ErrSameCohort
		}
		if e.Status != StatusActive && e.Status != StatusWaitlisted {
			return ErrNotActive
		}
		var to Cohort
		if err := tx.Where("course_id = ?", c.ID).Take(&to, toCohortID).Error; err != nil {
			return Invalid("cohort_id", "Choose another cohort of this course.")
		}
		seated, err := takeSeat(tx, to.ID)
		if err != nil {
			return err
		}
		if !seated {
			return ErrCohortFull
		}
		updates := map[string]any{"cohort_id": to.ID}
		if e.Status == StatusWaitlisted {
			updates["status"], updates["activated_at"] = StatusActive, s.clock.Now()
		}
		res := tx.Model(&Enrollment{}).Where("id = ? AND status = ? AND cohort_id = ?", e.ID, e.Status, e.CohortID).Updates(updates)
		if res.Error != nil {
			return fmt.Errorf("store: unable to move enrollment: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		if e.Status == StatusActive {
			if err := s.handOnSeat(tx, e.CohortID, c); err != nil {
				return err
			}
		}
		return s.audit(tx, actorID, "enrollment.move", enrollmentTarget(c, e),
			fmt.Sprintf("%s from cohort %d to cohort %d “%s”", e.Status, e.CohortID, to.ID, to.Name))
	})
}

// lockedEnrollment loads an enrollment of the course with its cohort (and
// the other cohort, if any) locked, reading it again under the lock: before
// it, a promotion or another move may have changed it. Cohorts are locked
// in id order, so two opposite moves cannot deadlock.
func (s *Store) lockedEnrollment(tx *gorm.DB, c *Course, enrollmentID, otherCohortID int64) (*Enrollment, error) {
	var e Enrollment
	if err := tx.Where("course_id = ?", c.ID).Take(&e, enrollmentID).Error; err != nil {
		return nil, notFound(err)
	}
	locked := e.CohortID
	if err := s.lockPair(tx, e.CohortID, otherCohortID); err != nil {
		return nil, err
	}
	if err := tx.Take(&e, enrollmentID).Error; err != nil {
		return nil, notFound(err)
	}
	if e.CohortID != locked {
		return nil, ErrEnrollmentChanged
	}
	return &e, nil
}

// lockPair locks two cohorts in id order (b may be 0: none).
func (s *Store) lockPair(tx *gorm.DB, a, b int64) error {
	if b == 0 || a == b {
		return s.lockCohort(tx, a)
	}
	if a > b {
		a, b = b, a
	}
	if err := s.lockCohort(tx, a); err != nil {
		return err
	}
	return s.lockCohort(tx, b)
}

// handOnSeat releases a seat of a cohort and gives it to the longest-waiting
// person.
func (s *Store) handOnSeat(tx *gorm.DB, cohortID int64, c *Course) error {
	if err := releaseSeat(tx, cohortID); err != nil {
		return err
	}
	promoted, err := s.fillFreeSeats(tx, cohortID)
	if err != nil {
		return err
	}
	for i := range promoted {
		if err := s.enqueuePromotionMail(tx, &promoted[i], c); err != nil {
			return err
		}
	}
	return nil
}

// RemoveEnrollment takes a student out of the course (as if they withdrew);
// their seat goes to the waitlist. Completed enrollments stay: revoke the
// certificate instead.
func (s *Store) RemoveEnrollment(ctx context.Context, actorID int64, c *Course, enrollmentID int64) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		e, err := s.lockedEnrollment(tx, c, enrollmentID, 0)
		if err != nil {
			return err
		}
		switch e.Status {
		case StatusCompleted:
			return ErrAlreadyCompleted
		case StatusWithdrawn:
			return ErrNotFound
		}
		if err := s.endEnrollment(tx, e, c); err != nil {
			return err
		}
		var u User
		if err := tx.Select("id, email").Take(&u, e.UserID).Error; err != nil {
			return fmt.Errorf("store: unable to load student: %w", err)
		}
		return s.audit(tx, actorID, "enrollment.remove", enrollmentTarget(c, e),
			strings.TrimSpace(u.Email+" ("+e.Status+") from cohort "+fmt.Sprint(e.CohortID)))
	})
}
