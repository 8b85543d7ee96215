package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Enrollment statuses.
const (
	StatusActive     = "active"
	StatusWaitlisted = "waitlisted"
	StatusCompleted  = "completed"
	StatusWithdrawn  = "withdrawn"
)

// Enrollment is a person's place in a cohort.
type Enrollment struct {
	ID             int64
	UserID         int64
	CourseID       int64
	CohortID       int64
	Status         string
	CreatedAt      time.Time
	ActivatedAt    *time.Time
	CompletedAt    *time.Time
	WithdrawnAt    *time.Time
	LastActivityAt *time.Time
}

// Live reports whether the enrollment still holds or awaits a seat.
func (e *Enrollment) Live() bool { return e != nil && e.Status != StatusWithdrawn }

// CanRead reports whether the enrollment gives access to readings.
func (e *Enrollment) CanRead() bool {
	return e != nil && (e.Status == StatusActive || e.Status == StatusCompleted)
}

// EnrollResult is the outcome of an enrollment request.
type EnrollResult struct {
	Enrollment Enrollment
	// Position in the waitlist (1 = next), zero unless waitlisted.
	Position int
	// Existing is true when the person was already enrolled.
	Existing bool
}

// Enroll places a user in the course's open cohort, or on its waitlist when
// full. Enrolling again returns the existing enrollment.
func (s *Store) Enroll(ctx context.Context, userID int64, course *Course) (*EnrollResult, error) {
	for attempt := 0; ; attempt++ {
		res, err := s.enrollOnce(ctx, userID, course)
		if err == nil && !res.Existing {
			s.events.Enrolled(res.Enrollment.Status == StatusWaitlisted)
		}
		// A concurrent request for the same person won the unique index: the
		// enrollment exists now, so read it back.
		if isUniqueViolation(err) && attempt < 2 {
			continue
		}
		return res, err
	}
}

func (s *Store) enrollOnce(ctx context.Context, userID int64, course *Course) (*EnrollResult, error) {
	if !course.Published {
		return nil, ErrNotFound // a draft course takes nobody
	}
	var result *EnrollResult
	err := s.tx(ctx, func(tx *gorm.DB) error {
		existing, err := s.liveEnrollment(tx, userID, course.ID)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		if existing != nil {
			pos, err := waitlistPosition(tx, existing)
			result = &EnrollResult{Enrollment: *existing, Position: pos, Existing: true}
			return err
		}
		cohort, err := s.openCohort(tx, course.ID)
		if errors.Is(err, ErrNotFound) {
			return ErrEnrollmentClosed
		}
		if err != nil {
			return err
		}
		if err := s.lockCohort(tx, cohort.ID); err != nil {
			return err
		}
		seated, err := takeSeat(tx, cohort.ID)
		if err != nil {
			return err
		}
		now := s.clock.Now()
		e := Enrollment{UserID: userID, CourseID: course.ID, CohortID: cohort.ID, Status: StatusWaitlisted, CreatedAt: now}
		if seated {
			e.Status, e.ActivatedAt = StatusActive, &now
		}
		if err := tx.Create(&e).Error; err != nil {
			if isUniqueViolation(err) {
				return err
			}
			return fmt.Errorf("store: unable to create enrollment: %w", err)
		}
		pos, err := waitlistPosition(tx, &e)
		if err != nil {
			return err
		}
		result = &EnrollResult{Enrollment: e, Position: pos}
		return s.enqueueEnrollmentMail(tx, &e, course, pos)
	})
	if err != nil {
		return nil, err
	}
	return result, nil
}

// Withdraw ends a user's live enrollment; a freed seat goes to the
// longest-waiting person in the same transaction.
func (s *Store) Withdraw(ctx context.Context, userID int64, course *Course) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		e, err := s.lockLiveEnrollment(tx, userID, course.ID)
		if err != nil {
			return err
		}
		if e.Status == StatusCompleted {
			return ErrAlreadyCompleted
		}
		return s.endEnrollment(tx, e, course)
	})
}

// lockLiveEnrollment reads the user's live enrollment with its cohort locked,
// reading it again under the lock: staff may move it to another cohort, or a
// freed seat may promote it, between the first read and the lock.
func (s *Store) lockLiveEnrollment(tx *gorm.DB, userID, courseID int64) (*Enrollment, error) {
	for range 3 {
		e, err := s.liveEnrollment(tx, userID, courseID)
		if errors.Is(err, ErrNotFound) {
			return nil, ErrNotEnrolled
		}
		if err != nil {
			return nil, err
		}
		if err := s.lockCohort(tx, e.CohortID); err != nil {
			return nil, err
		}
		again, err := s.liveEnrollment(tx, userID, courseID)
		if errors.Is(err, ErrNotFound) {
			return nil, ErrNotEnrolled
		}
		if err != nil {
			return nil, err
		}
		if again.CohortID == e.CohortID {
			return again, nil
		}
	}
	return nil, ErrEnrollmentChanged
}

// endEnrollment withdraws e and hands its seat on. Callers run it inside a
// transaction.
func (s *Store) endEnrollment(tx *gorm.DB, e *Enrollment, course *Course) error {
	if err := s.lockCohort(tx, e.CohortID); err != nil {
		return err
	}
	res := tx.Model(&Enrollment{}).Where("id = ? AND status = ? AND cohort_id = ?", e.ID, e.Status, e.CohortID).
		Updates(map[string]any{"status": StatusWithdrawn, "withdrawn_at": s.clock.Now()})
	if res.Error != nil {
		return fmt.Errorf("store: unable to withdraw: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		// Changed since it was read: refuse rather than free a seat twice.
		return ErrEnrollmentChanged
	}
	if e.Status != StatusActive {
		return nil
	}
	if err := releaseSeat(tx, e.CohortID); err != nil {
		return err
	}
	promoted, err := s.fillFreeSeats(tx, e.CohortID)
	if err != nil {
		return err
	}
	for i := range promoted {
		if err := s.enqueuePromotionMail(tx, &promoted[i], course); err != nil {
			return err
		}
	}
	return nil
}

// liveEnrollment finds the user's enrollment in a course that is not withdrawn.
func (s *Store) liveEnrollment(db *gorm.DB, userID, courseID int64) (*Enrollment, error) {
	var e Enrollment
	err := db.Where("user_id = ? AND course_id = ? AND status <> ?", userID, courseID, StatusWithdrawn).Take(&e).Error
	if err != nil {
		return nil, notFound(err)
	}
	return &e, nil
}

// EnrollmentInCourse loads one enrollment of a course.
func (s *Store) EnrollmentInCourse(ctx context.Context, courseID, id int64) (*Enrollment, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	var e Enrollment
	if err := db.Where("course_id = ?", courseID).Take(&e, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &e, nil
}

// EnrollmentFor returns the user's live enrollment in a course and, when
// waitlisted, their position.
func (s *Store) EnrollmentFor(ctx context.Context, userID, courseID int64) (*Enrollment, int, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	e, err := s.liveEnrollment(db, userID, courseID)
	if err != nil {
		return nil, 0, err
	}
	pos, err := waitlistPosition(db, e)
	return e, pos, err
}

// waitlistPosition counts the waitlisted people of the cohort who arrived
// no later than e.
func waitlistPosition(db *gorm.DB, e *Enrollment) (int, error) {
	if e.Status != StatusWaitlisted {
		return 0, nil
	}
	var n int64
	err := db.Model(&Enrollment{}).
		Where("cohort_id = ? AND status = ? AND id <= ?", e.CohortID, StatusWaitlisted, e.ID).Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("store: unable to compute waitlist position: %w", err)
	}
	return int(n), nil
}
